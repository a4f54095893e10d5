/// One parsed header line, `<MAGIC>/<version> <id> <kind> <fields…>`, with typed field accessors whose
/// errors quote the line, so a desynchronised stream is reported with what was actually seen.
struct FrameHeader: Sendable {
    /// The version after the magic, e.g. 2 in `TBRES/2`.
    let version: Int
    let id: UInt64
    let kind: String
    /// The fields after the kind.
    let fields: [Substring]
    /// The raw line, for excerpts.
    let line: [UInt8]

    /// Parses a header line without its newline.
    /// - Throws: `FrameError` (`desynchronised`) when the line is not a header with this magic.
    init(line: [UInt8], magic: String) throws(FrameError) {
        self.line = line
        guard line.allSatisfy({ (0x20..<0x7F).contains($0) }) else {
            throw .desync("a \(magic) header line contains bytes other than printable ASCII", line)
        }
        let tokens = String(decoding: line, as: UTF8.self).split(separator: " ", omittingEmptySubsequences: false)
        guard tokens.count >= 3, tokens[0].hasPrefix(magic + "/") else {
            throw .desync("expected a '\(magic)/<version> <id> <kind> …' header line", line)
        }
        let versionText = tokens[0].dropFirst(magic.count + 1)
        guard let version = WireFormat.number(versionText, maximumDigits: 4) else {
            throw .desync("the \(magic) version '\(versionText)' is not a number", line)
        }
        guard let id = WireFormat.unsigned64(tokens[1]) else {
            throw .desync("the frame id '\(tokens[1])' is not an unsigned 64-bit number", line)
        }
        guard !tokens[2].isEmpty else { throw .desync("the \(magic) header names no kind", line) }
        self.version = version
        self.id = id
        self.kind = String(tokens[2])
        self.fields = Array(tokens.dropFirst(3))
    }

    /// Fails unless there are exactly `count` fields (or at least `count` when `orMore`).
    func expectFields(_ count: Int, orMore: Bool = false) throws(FrameError) {
        guard fields.count == count || (orMore && fields.count > count) else {
            throw malformed("has \(fields.count) fields after the kind, expected \(orMore ? "at least " : "")\(count)")
        }
    }

    func field(_ index: Int) throws(FrameError) -> Substring {
        guard fields.indices.contains(index) else { throw malformed("ends before field \(index + 1)") }
        return fields[index]
    }

    /// A non-negative decimal field of at most `maximumDigits` digits.
    func number(_ index: Int, _ name: String, maximumDigits: Int = 12) throws(FrameError) -> Int {
        let text = try field(index)
        guard let value = WireFormat.number(text, maximumDigits: maximumDigits) else {
            throw malformed("field \(index + 1) (\(name)) '\(text)' is not a number of at most \(maximumDigits) digits")
        }
        return value
    }

    /// A number field where `-` means absent.
    func optionalNumber(_ index: Int, _ name: String, maximumDigits: Int = 12) throws(FrameError) -> Int? {
        try field(index) == "-" ? nil : try number(index, name, maximumDigits: maximumDigits)
    }

    /// A `0`/`1` field.
    func flag(_ index: Int, _ name: String) throws(FrameError) -> Bool {
        switch try field(index) {
        case "0": return false
        case "1": return true
        case let text: throw malformed("field \(index + 1) (\(name)) '\(text)' is neither 0 nor 1")
        }
    }

    /// An exit status field (0–255 from bash, but anything that fits `Int32` is accepted).
    func status(_ index: Int, _ name: String) throws(FrameError) -> Int32 {
        Int32(try number(index, name, maximumDigits: 9))
    }

    /// A desynchronisation error naming this frame and quoting its line.
    func malformed(_ problem: String) -> FrameError {
        .desync("the '\(kind)' frame (id \(id)) \(problem)", line)
    }
}
