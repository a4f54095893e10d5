/// One system's `/etc/iproute2/rt_tables`, kept line by line as written (comments and blank lines too), and
/// the table names `ip` reads from it.
///
/// The file is shared by every network namespace of the system. `ip` reads it once when it starts, the way
/// iproute2 6.1's `rtnl_rttable_initialize` does: blank lines and `#` comments are skipped, a line is
/// `ID NAME` (decimal or `0x` hex, anything after the name ignored), and the first malformed line ends the
/// reading ("Database … is corrupted"), so later lines define nothing.
///
/// The definitions and the name ↔ number maps are built once per change of `lines`, not once per lookup: a
/// plan looks table names up for every route and rule command, and changes the file rarely.
public struct RTTablesFile: Sendable, Hashable, Codable {
    /// The lines without their newline characters.
    public var lines: [String] {
        didSet { index = Index(lines: lines) }
    }
    private var index: Index

    public init(lines: [String]) {
        self.lines = lines
        self.index = Index(lines: lines)
    }

    /// Reads file text; a final newline does not make an extra empty line.
    public init(text: String) {
        var lines = text.split(separator: "\n", omittingEmptySubsequences: false).map(String.init)
        if lines.last == "" { lines.removeLast() }
        self.init(lines: lines)
    }

    private enum CodingKeys: String, CodingKey { case lines }

    public init(from decoder: any Decoder) throws {
        self.init(lines: try decoder.container(keyedBy: CodingKeys.self).decode([String].self, forKey: .lines))
    }

    public func encode(to encoder: any Encoder) throws {
        var container = encoder.container(keyedBy: CodingKeys.self)
        try container.encode(lines, forKey: .lines)
    }

    public static func == (lhs: RTTablesFile, rhs: RTTablesFile) -> Bool { lhs.lines == rhs.lines }

    public func hash(into hasher: inout Hasher) { hasher.combine(lines) }

    /// What `ip` reads from the lines, resolved once.
    private struct Index: Sendable {
        var entries: [Entry] = []
        /// `rtnl_rttable_a2n`: buckets in order, later lines first, built-in names last in their bucket.
        var idByName: [String: UInt32] = [:]
        /// `rtnl_rttable_n2a`: the latest definition of a number, else the built-in name.
        var nameByID: [UInt32: String] = [:]

        init(lines: [String]) {
            for (index, line) in lines.enumerated() {
                let trimmed = line.drop { $0 == " " || $0 == "\t" }
                if trimmed.isEmpty || trimmed.hasPrefix("#") { continue }
                let fields = trimmed.split(whereSeparator: { $0 == " " || $0 == "\t" })
                guard fields.count >= 2, let id = RTTablesFile.scanID(fields[0]) else { break }
                if id < 0 { continue }
                entries.append(Entry(id: UInt32(truncatingIfNeeded: id), name: String(fields[1]), line: index))
            }
            var buckets: [Int: [Entry]] = [:]
            for entry in RTTablesFile.builtins { buckets[Int(entry.id & 255), default: []].append(entry) }
            for entry in entries { buckets[Int(entry.id & 255), default: []].insert(entry, at: 0) }
            for bucket in 0..<256 {
                for entry in buckets[bucket] ?? [] {
                    if idByName[entry.name] == nil { idByName[entry.name] = entry.id }
                    if nameByID[entry.id] == nil { nameByID[entry.id] = entry.name }
                }
            }
        }
    }

    /// The file as written, every line ending with a newline.
    public var text: String { lines.map { $0 + "\n" }.joined() }

    /// Debian 12's iproute2 6.1 `rt_tables` (what a fresh lab node has: the lab copies the host's file).
    public static let debianDefault = RTTablesFile(
        text: "#\n# reserved values\n#\n255\tlocal\n254\tmain\n253\tdefault\n0\tunspec\n#\n# local\n#\n#1\tinr.ruhep\n")

    /// One `ID NAME` definition.
    public struct Entry: Sendable, Hashable, Codable {
        public var id: UInt32
        public var name: String
        /// The 0-based line it came from; nil for the names built into `ip` (local, main, default).
        public var line: Int?
    }

    /// The names built into iproute2, valid even when the file lacks them.
    static let builtins: [Entry] = [
        Entry(id: 253, name: "default", line: nil), Entry(id: 254, name: "main", line: nil),
        Entry(id: 255, name: "local", line: nil),
    ]

    /// The definitions `ip` takes from the file, in file order, stopping at the first malformed line.
    public var entries: [Entry] { index.entries }

    /// The first line `ip` would call corrupted, if any (it stops reading there).
    public var corruptedLine: Int? {
        for (index, line) in lines.enumerated() {
            let trimmed = line.drop { $0 == " " || $0 == "\t" }
            if trimmed.isEmpty || trimmed.hasPrefix("#") { continue }
            let fields = trimmed.split(whereSeparator: { $0 == " " || $0 == "\t" })
            if fields.count < 2 || Self.scanID(fields[0]) == nil { return index }
        }
        return nil
    }

    /// `sscanf("%d")` / `sscanf("0x%x")` on the first field.
    static func scanID(_ field: Substring) -> Int64? {
        if field.hasPrefix("0x") || field.hasPrefix("0X") {
            return Int64(field.dropFirst(2), radix: 16)
        }
        var digits = field
        var sign: Int64 = 1
        if digits.hasPrefix("-") {
            sign = -1
            digits = digits.dropFirst()
        } else if digits.hasPrefix("+") {
            digits = digits.dropFirst()
        }
        let numeric = digits.prefix { $0.isASCII && $0.isNumber }
        guard !numeric.isEmpty, let value = Int64(numeric) else { return nil }
        return sign * value
    }

    /// The table number `ip … table NAME` resolves to (`rtnl_rttable_a2n`): a name from the file or built in,
    /// else a number (decimal, `0x` hex or `0` octal); nil when `ip` would say the table is invalid.
    public func tableID(named name: String) -> UInt32? {
        index.idByName[name] ?? Self.parseNumber(name)
    }

    /// The name `ip` prints for a table number (`rtnl_rttable_n2a`), or nil when it prints the number.
    public func name(ofTable id: UInt32) -> String? { index.nameByID[id] }

    /// `strtoul(text, &end, 0)` accepting the whole text, within 32 bits.
    static func parseNumber(_ text: String) -> UInt32? {
        if text.hasPrefix("0x") || text.hasPrefix("0X") { return UInt32(text.dropFirst(2), radix: 16) }
        if text.count > 1 && text.hasPrefix("0") { return UInt32(text.dropFirst(), radix: 8) }
        return UInt32(text)
    }

    /// How a table is named in messages: `ntk (251)`, `main`, or `77`.
    public func describe(table id: UInt32) -> String {
        switch id {
        case 254: return "main"
        case 255: return "local"
        default:
            if let name = name(ofTable: id) { return "\(name) (\(id))" }
            return "\(id)"
        }
    }

    /// Every table number the file (or `ip`) names.
    public var usedIDs: Set<UInt32> { Set(entries.map(\.id)) }

    /// The number domain.md §1.6 gives a new table: `ntk` is 251; any other name takes the highest number
    /// ≤ 250 no line uses. Nil when all are used.
    public func allocateID(for name: String) -> UInt32? {
        if name == "ntk" { return 251 }
        let used = usedIDs
        return (1...250).reversed().first { !used.contains(UInt32($0)) }.map(UInt32.init)
    }

    /// Appends text as `tee -a` does (the text's lines, a missing final newline supplied).
    public mutating func append(_ text: String) {
        lines += RTTablesFile(text: text).lines
    }

    /// Deletes the lines a `sed -i '/PATTERN/d'` deletes; returns how many went.
    @discardableResult
    public mutating func deleteLines(matching pattern: SedPattern) -> Int {
        let before = lines.count
        let matches = pattern.makeMatcher()
        lines.removeAll(where: matches)
        return before - lines.count
    }
}
