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

/// Detects and reverses encoding damage in a whole text.
enum EncodingRepairer {
    /// How strongly a text shows each damage: the number of fingerprints found.
    static func scores(_ text: String) -> [EncodingRepair.Damage: Int] {
        var scores: [EncodingRepair.Damage: Int] = [:]
        let scalars = Array(text.unicodeScalars)
        let cp1254 = LegacyCodePages.reverse(LegacyCodePages.windows1254)
        let macRoman = LegacyCodePages.reverse(LegacyCodePages.macRoman)
        func isContinuation(_ scalar: Unicode.Scalar, _ table: [UInt32: UInt8]) -> Bool {
            table[scalar.value].map { (0x80...0xBF).contains($0) } ?? false
        }
        func isDigit(_ scalar: Unicode.Scalar) -> Bool { (0x30...0x39).contains(scalar.value) }
        for (index, scalar) in scalars.enumerated() {
            let next = index + 1 < scalars.count ? scalars[index + 1] : nil
            let previous = index > 0 ? scalars[index - 1] : nil
            switch scalar.value {
            case 0x011F where next?.value == 0x203A || next?.value == 0x0153:  // ğ› ğœ: F0 9D 9B/9C minus 9D
                scores[.windows1254, default: 0] += 1
            case 0x00C3, 0x00C2:  // Ã or Â + a continuation byte: a two-byte UTF-8 sequence
                if let next, isContinuation(next, cp1254) {
                    scores[.windows1254, default: 0] += 1
                }
            case 0xF8FF:  // Mac Roman 0xF0, the lead byte of every Mathematical Italic letter
                scores[.macRoman, default: 0] += 1
            case 0x221A, 0x00AC:  // √ (C3) or ¬ (C2) + a continuation byte
                if let next, isContinuation(next, macRoman) { scores[.macRoman, default: 0] += 1 }
            case 0x8DEF:  // 路 between digits: the middle dot of 1·0·1
                if let previous, let next, isDigit(previous), isDigit(next) { scores[.gb2312, default: 0] += 1 }
            case 0x732B, 0x8305:  // 猫 è, 茅 é
                scores[.gb2312, default: 0] += 1
            default: break
            }
        }
        return scores
    }

    /// The damage a text most likely has, if any, among `kinds`.
    static func detect(
        _ text: String, among kinds: [EncodingRepair.Damage] = EncodingRepair.Damage.allCases
    ) -> EncodingRepair.Damage? {
        let scores = scores(text)
        return kinds.filter { (scores[$0] ?? 0) > 0 }.max { (scores[$0] ?? 0) < (scores[$1] ?? 0) }
    }

    /// Repairs every damage the text shows, the strongest first: a page pieced together from differently
    /// damaged parts gets each part repaired. Each kind is applied at most once.
    static func repairAll(_ text: String) -> (text: String, repairs: [EncodingRepair]) {
        var text = text
        var repairs: [EncodingRepair] = []
        var remaining = EncodingRepair.Damage.allCases
        while let damage = detect(text, among: remaining) {
            remaining.removeAll { $0 == damage }
            let (repaired, repair) = apply(damage, to: text)
            text = repaired
            repairs.append(repair)
        }
        return (text, repairs)
    }

    /// The text with its damage reversed where possible, and what was done; the text unchanged and nil when
    /// no damage is found. Line breaks are never changed, so line numbers stay those of the file.
    static func repair(_ text: String) -> (text: String, repair: EncodingRepair?) {
        guard let damage = detect(text) else { return (text, nil) }
        let (repaired, repair) = apply(damage, to: text)
        return (repaired, repair)
    }

    static func apply(_ damage: EncodingRepair.Damage, to text: String) -> (text: String, repair: EncodingRepair) {
        let lines = ImportSource.lines(text).map { Substring($0) }
        var counter = CharacterCounter()
        var out: [String] = []
        var changed = 0
        var unrepaired: [Int] = []
        for (index, line) in lines.enumerated() {
            let repaired: String?
            switch damage {
            case .windows1254:
                repaired = reverseSingleByte(line, table: cp1254Reverse, restoreDropped: true)
            case .macRoman:
                repaired = reverseSingleByte(line, table: macRomanReverse, restoreDropped: false)
            case .gb2312:
                repaired = reverseGB2312(line)
            }
            guard let repaired, repaired != String(line) else {
                if repaired == nil, scores(String(line))[damage] != nil { unrepaired.append(index + 1) }
                out.append(String(line))
                continue
            }
            changed += 1
            if damage == .gb2312 {
                for scalar in line.unicodeScalars {
                    if let original = LegacyCodePages.gb2312Reverse[scalar.value], let char = Unicode.Scalar(original) {
                        counter.add(String(char))
                    }
                }
            } else {
                for scalar in repaired.unicodeScalars where scalar.value >= 0x80 { counter.add(String(scalar)) }
            }
            out.append(repaired)
        }
        let result = out.joined(separator: "\n")
        let losses = damage == .gb2312 ? gb2312Losses(in: result) : []
        let repair = EncodingRepair(
            damage: damage, repaired: counter.counts, linesRepaired: changed, unrepairedLines: unrepaired,
            losses: losses)
        return (result, repair)
    }

    static let cp1254Reverse = LegacyCodePages.reverse(LegacyCodePages.windows1254)
    static let macRomanReverse = LegacyCodePages.reverse(LegacyCodePages.macRoman)

    /// Encodes a line back to the bytes it was read from and decodes them as UTF-8; nil when the line has
    /// characters the code page cannot encode or the bytes are not UTF-8 (the line was not damaged this way).
    static func reverseSingleByte(_ line: Substring, table: [UInt32: UInt8], restoreDropped: Bool) -> String? {
        var bytes: [UInt8] = []
        bytes.reserveCapacity(line.utf8.count)
        for scalar in line.unicodeScalars {
            if scalar.value < 0x80 {
                bytes.append(UInt8(scalar.value))
            } else if let byte = table[scalar.value] {
                bytes.append(byte)
            } else {
                return nil
            }
        }
        if restoreDropped { bytes = restoreDroppedBytes(bytes) }
        return String(validating: bytes, as: UTF8.self)
    }

    /// Puts back one byte the mis-reading dropped into each UTF-8 sequence that is one byte short, choosing the
    /// undefined byte and position that yield a character documentation plausibly contains (`F0 9B BD` →
    /// `F0 9D 9B BD`, 𝛽; `E2 80` → `E2 80 9D`, ”). Sequences that cannot be completed are left as they are.
    static func restoreDroppedBytes(_ bytes: [UInt8]) -> [UInt8] {
        var out: [UInt8] = []
        out.reserveCapacity(bytes.count + 8)
        var index = 0
        while index < bytes.count {
            let lead = bytes[index]
            guard let length = UTF8Sequence.length(startingWith: lead), length > 1 else {
                out.append(lead)
                index += 1
                continue
            }
            var available = 0
            while available < length - 1, index + 1 + available < bytes.count,
                (0x80...0xBF).contains(bytes[index + 1 + available])
            {
                available += 1
            }
            let sequence = Array(bytes[index..<index + 1 + available])
            if available == length - 2, let completed = completeSequence(sequence) {
                out += completed
            } else {
                out += sequence
            }
            index += 1 + available
        }
        return out
    }

    private static func completeSequence(_ sequence: [UInt8]) -> [UInt8]? {
        for byte in LegacyCodePages.windows1254Undefined {
            for position in 1...sequence.count {
                var candidate = sequence
                candidate.insert(byte, at: position)
                guard let text = String(validating: candidate, as: UTF8.self),
                    let scalar = text.unicodeScalars.first, isPlausible(scalar)
                else { continue }
                return candidate
            }
        }
        return nil
    }

    /// Characters documentation pages use: Latin letters, Greek, punctuation, arrows and maths.
    private static func isPlausible(_ scalar: Unicode.Scalar) -> Bool {
        switch scalar.value {
        case 0xA0...0x24F, 0x370...0x3FF, 0x2000...0x206F, 0x2100...0x22FF, 0x1D400...0x1D7FF: true
        default: false
        }
    }

    /// Replaces the CJK characters GB2312 made of two-byte UTF-8 sequences by those characters.
    static func reverseGB2312(_ line: Substring) -> String? {
        var out = String.UnicodeScalarView()
        for scalar in line.unicodeScalars {
            if let original = LegacyCodePages.gb2312Reverse[scalar.value], let char = Unicode.Scalar(original) {
                out.append(char)
            } else {
                out.append(scalar)
            }
        }
        return String(out)
    }

    /// Where GB2312 dropped characters without a trace, as far as the text shows it.
    static func gb2312Losses(in text: String) -> [String] {
        var systemLines = 0
        var emphasis = 0
        for line in ImportSource.lines(text).map({ Substring($0) }) {
            if let system = SystemLine(line) {
                if system.name.isEmpty { systemLines += 1 }
                continue
            }
            emphasis += countMatches(of: "*<sub>", in: line) + countMatches(of: "<sub></sub>", in: line)
            emphasis += emptyEmphasisCount(in: line)
        }
        var losses: [String] = []
        let total = systemLines + emphasis
        if total > 0 {
            losses.append(
                "\(total) Greek letters (or other characters outside GB2312) where the text shows a gap: "
                    + "\(systemLines) system names, \(emphasis) in prose ('** (', '*<sub>1</sub>*', '<sub></sub>'); "
                    + "system names are inferred from the blocks, the rest cannot be recovered")
        }
        losses.append(
            "every 'à' and other character whose UTF-8 bytes are no GB2312 pair, without a trace "
                + "('identità' reads 'identit'); their number cannot be known from the text")
        return losses
    }

    private static func countMatches(of needle: String, in line: Substring) -> Int {
        var count = 0
        var rest = line[...]
        while let range = rest.firstRange(of: needle) {
            count += 1
            rest = rest[range.upperBound...]
        }
        return count
    }

    /// `**` standing alone between spaces or punctuation: an emphasised letter that was dropped (`*𝛽*`).
    private static func emptyEmphasisCount(in line: Substring) -> Int {
        let scalars = Array(line.unicodeScalars)
        var count = 0
        var index = 0
        while index + 1 < scalars.count {
            if scalars[index] == "*", scalars[index + 1] == "*" {
                let before = index > 0 ? scalars[index - 1] : " "
                let after = index + 2 < scalars.count ? scalars[index + 2] : " "
                if before != "*", after != "*", !before.properties.isAlphabetic, !after.properties.isAlphabetic,
                    !(0x30...0x39).contains(before.value), !(0x30...0x39).contains(after.value), after != "<"
                {
                    count += 1
                }
                index += 2
            } else {
                index += 1
            }
        }
        return count
    }
}

/// Counts characters, remembering the order they first appeared in.
struct CharacterCounter {
    private var order: [String] = []
    private var table: [String: Int] = [:]

    mutating func add(_ character: String) {
        if table[character] == nil { order.append(character) }
        table[character, default: 0] += 1
    }

    /// Most frequent first; ties keep the order of first appearance.
    var counts: [EncodingRepair.CharacterCount] {
        order.enumerated()
            .sorted { lhs, rhs in
                let (left, right) = (table[lhs.element, default: 0], table[rhs.element, default: 0])
                return left != right ? left > right : lhs.offset < rhs.offset
            }
            .map { EncodingRepair.CharacterCount(character: $0.element, count: table[$0.element, default: 0]) }
    }
}
