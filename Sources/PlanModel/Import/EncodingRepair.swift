/// What an import found wrong with a source's encoding and what it did about it (domain.md §6).
///
/// Pages of the documentation were saved after being read with the wrong encoding. The damage leaves
/// fingerprints (`ğ›½` for `𝛽`, `√†` for `à`, `路` for `·`), so it is detected, reversed where the bytes
/// survived, and reported — never silently.
public struct EncodingRepair: Sendable, Hashable, Codable {
    /// How the text was mis-read before it was saved again as UTF-8.
    public enum Damage: String, Sendable, Hashable, Codable, CaseIterable {
        /// UTF-8 read as Windows-1254, with the bytes that code page leaves undefined dropped.
        case windows1254 = "windows-1254"
        /// UTF-8 read as Mac OS Roman; nothing lost.
        case macRoman = "mac-roman"
        /// UTF-8 read as GB2312 with invalid sequences dropped; Greek letters and `à` are gone.
        case gb2312 = "gb2312"

        public var explanation: String {
            switch self {
            case .windows1254: "UTF-8 read as Windows-1254, undefined bytes dropped"
            case .macRoman: "UTF-8 read as Mac Roman"
            case .gb2312: "UTF-8 read as GB2312, invalid sequences dropped"
            }
        }
    }

    /// One repaired character and how often it was restored.
    public struct CharacterCount: Sendable, Hashable, Codable, CustomStringConvertible {
        public var character: String
        public var count: Int

        public init(character: String, count: Int) {
            self.character = character
            self.count = count
        }

        public var description: String { "\(character) \(count)" }
    }

    public var damage: Damage
    /// Restored characters, most frequent first (ties in order of first appearance).
    public var repaired: [CharacterCount]
    /// Lines whose text changed.
    public var linesRepaired: Int
    /// Lines that show the damage but could not be reversed; they are imported as they are.
    public var unrepairedLines: [Int]
    /// What is lost for good, one sentence each.
    public var losses: [String]

    public init(
        damage: Damage, repaired: [CharacterCount], linesRepaired: Int, unrepairedLines: [Int] = [],
        losses: [String] = []
    ) {
        self.damage = damage
        self.repaired = repaired
        self.linesRepaired = linesRepaired
        self.unrepairedLines = unrepairedLines
        self.losses = losses
    }

    /// Number of characters restored.
    public var repairedTotal: Int { repaired.reduce(0) { $0 + $1.count } }

    /// `à 8, 𝜀 7, 𝛽 2`.
    public var repairedList: String { repaired.map(\.description).joined(separator: ", ") }

    /// The report's lines about this repair.
    public var summary: [String] {
        var lines = [
            "encoding: \(damage.explanation); repaired \(repairedTotal) characters on \(linesRepaired) lines"
                + (repaired.isEmpty ? "" : ": \(repairedList)")
        ]
        if !unrepairedLines.isEmpty {
            lines.append(
                "  not repaired (imported as written): lines "
                    + unrepairedLines.prefix(20).map(String.init).joined(separator: ", ")
                    + (unrepairedLines.count > 20 ? ", …" : ""))
        }
        lines += losses.map { "  lost: \($0)" }
        return lines
    }
}
