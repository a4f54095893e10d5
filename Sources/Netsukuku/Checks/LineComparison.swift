/// Generated command lines against documented ones, for one event on one system: how many of each appear
/// in the other (as multisets), and which do not.
public struct LineComparison: Sendable, Hashable, CustomStringConvertible {
    public var system: String
    public var generated: Int
    public var documented: Int
    /// Lines present on both sides (counted once per occurrence on both).
    public var matched: Int
    /// Generated lines the documentation does not have, in generated order.
    public var onlyGenerated: [String]
    /// Documented lines the compiler did not generate, in documented order.
    public var onlyDocumented: [String]
    /// Whether the lines both sides share come in the same order.
    public var isSameOrder: Bool

    /// Compares after trimming trailing blanks (pages keep some).
    public init(system: String, generated: [String], documented: [String]) {
        self.system = system
        let generated = generated.map(Self.normalised).filter { !$0.isEmpty }
        let documented = documented.map(Self.normalised).filter { !$0.isEmpty }
        self.generated = generated.count
        self.documented = documented.count
        var remaining: [String: Int] = [:]
        for line in documented { remaining[line, default: 0] += 1 }
        var only: [String] = []
        var shared: [String] = []
        for line in generated {
            if let count = remaining[line], count > 0 {
                remaining[line] = count - 1
                shared.append(line)
            } else {
                only.append(line)
            }
        }
        onlyGenerated = only
        matched = shared.count
        var left: [String: Int] = [:]
        for line in generated { left[line, default: 0] += 1 }
        var missing: [String] = []
        var documentedShared: [String] = []
        for line in documented {
            if let count = left[line], count > 0 {
                left[line] = count - 1
                documentedShared.append(line)
            } else {
                missing.append(line)
            }
        }
        onlyDocumented = missing
        isSameOrder = shared == documentedShared
    }

    static func normalised(_ line: String) -> String {
        var line = Substring(line)
        while let last = line.last, last == " " || last == "\t" { line = line.dropLast() }
        return String(line)
    }

    /// `gamma: 54 of 55 generated lines documented, 54 of 54 documented lines generated`.
    public var description: String {
        "\(system): \(matched) of \(generated) generated lines documented, \(matched) of \(documented) documented "
            + "lines generated\(isSameOrder ? "" : " (shared lines in another order)")"
    }
}
