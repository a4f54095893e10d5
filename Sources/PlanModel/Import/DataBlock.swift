/// A block under a system line that holds data, not commands — an interface table such as
/// `eth1         00:16:3E:FD:E2:AA   169.254.69.30`, a list of addresses. The page importer keeps it as a note
/// (rendered back byte for byte), lists it in the report and uses its addresses and MACs as evidence of which
/// system is which; it never runs and never feeds the prior-state synthesis.
public struct DataBlock: Sendable, Hashable, Codable {
    /// The system line.
    public var location: InputLocation
    /// The system as the page wrote it (empty when the name was lost).
    public var written: String
    /// The node it belongs to, when the name or its values tell.
    public var node: NodeName?
    public var rows: Int
    /// The addresses and MACs in it, in order.
    public var values: [String]

    public init(location: InputLocation, written: String, node: NodeName?, rows: Int, values: [String]) {
        self.location = location
        self.written = written
        self.node = node
        self.rows = rows
        self.values = values
    }

    /// The report's line for it.
    public var summary: String {
        let name = written.isEmpty ? "name lost" : written
        let owner = node.map { " → \($0)" } ?? " (system unknown)"
        let shown = values.prefix(4).joined(separator: " ") + (values.count > 4 ? " …" : "")
        return "\(location.fileAndLine): \(name)\(owner): \(rows) row\(rows == 1 ? "" : "s") of data"
            + (shown.isEmpty ? "" : " (\(shown))")
    }

    /// Whether the lines of a block are data: no line starts with a program or shell word, and every line has
    /// the shape of a table row (a value or an interface name first, aligned columns, or `|` separators).
    static func isData(_ lines: [String]) -> Bool {
        let rows = lines.filter { !$0.trimmingLeadingSpaces.isEmpty && !$0.trimmingLeadingSpaces.hasPrefix("#") }
        guard !rows.isEmpty else { return false }
        return rows.allSatisfy(isRow)
    }

    static func isRow(_ line: String) -> Bool {
        let trimmed = line.trimmingLeadingSpaces
        if trimmed.hasPrefix("|") { return true }
        guard let first = trimmed.split(whereSeparator: { $0 == " " || $0 == "\t" }).first.map(String.init),
            !KnownPrograms.isKnown(first), !first.contains("="), !first.contains("$"), !first.hasPrefix("-"),
            !first.hasPrefix("("), !first.hasPrefix("<")
        else { return false }
        if isValue(first) || isInterfaceName(first) { return true }
        // Aligned columns: two blanks or a tab between fields.
        let body = trimmed.trimmingTrailingBlanks
        return body.contains("  ") || body.contains("\t")
    }

    static func isValue(_ word: String) -> Bool {
        IPAddress(word) != nil || IPPrefix(word) != nil || MACAddress(word) != nil || Int(word) != nil
    }

    /// `eth1`, `lo`, `entr02_eth1`, `wlan0`, `ens3`: letters, digits, `_`, `.` and `-`, ending in a digit.
    static func isInterfaceName(_ word: String) -> Bool {
        if word == "lo" { return true }
        guard let first = word.unicodeScalars.first, let last = word.unicodeScalars.last, word.count <= 15,
            Names.isASCIIAlphanumeric(first), ("0"..."9").contains(last)
        else { return false }
        return word.unicodeScalars.allSatisfy { Names.isASCIIAlphanumeric($0) || "_.-".unicodeScalars.contains($0) }
            && word.unicodeScalars.contains { !("0"..."9").contains($0) }
    }

    /// The addresses and MACs in the rows, with their lines.
    static func values(of lines: [ScriptLine]) -> (addresses: [(IPAddress, Int)], macs: [(MACAddress, Int)]) {
        var addresses: [(IPAddress, Int)] = []
        var macs: [(MACAddress, Int)] = []
        for line in lines {
            for word in line.text.split(whereSeparator: { " \t|,;".contains($0) }) {
                if let mac = MACAddress(word) {
                    macs.append((mac, line.location.line))
                } else if let address = IPAddress(word) ?? IPPrefix(word).map(\.address) {
                    addresses.append((address, line.location.line))
                }
            }
        }
        return (addresses, macs)
    }
}
