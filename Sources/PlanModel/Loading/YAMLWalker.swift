public import Yams

/// A key/value pair of a YAML mapping, with the key's position kept for diagnostics.
public struct YAMLEntry {
    public let key: String
    public let keyNode: Yams.Node
    public let value: Yams.Node
}

/// Reads Yams nodes into typed values while collecting every problem as a located `InputError`.
///
/// Accessors return nil after recording an error, so loaders keep going and report all problems at once.
public struct YAMLWalker {
    public let document: YAMLDocument
    public private(set) var errors: [InputError]

    public init(document: YAMLDocument) {
        self.document = document
        self.errors = document.errors
    }

    public var source: SourceText { document.source }

    public func position(of node: Yams.Node?) -> (line: Int, column: Int) {
        guard let mark = node?.mark else { return (1, 1) }
        return (mark.line, mark.column)
    }

    public func location(of node: Yams.Node?) -> InputLocation {
        let (line, column) = position(of: node)
        return source.location(line: line, column: column)
    }

    public mutating func error(
        _ code: InputError.Code, _ message: String, at node: Yams.Node?, hint: String,
        severity: InputError.Severity = .error
    ) {
        let (line, column) = position(of: node)
        errors.append(source.error(code, message, line: line, column: column, hint: hint, severity: severity))
    }

    public mutating func append(_ error: InputError) { errors.append(error) }

    public static func describe(_ node: Yams.Node) -> String {
        switch node {
        case .mapping: "a mapping"
        case .sequence: "a list"
        case .scalar(let scalar): scalar.string.isEmpty ? "an empty value" : "'\(scalar.string)'"
        case .alias: "an alias"
        }
    }

    /// The entries of a mapping, in file order, or nil (with an error) when `node` is not a mapping.
    public mutating func mapping(_ node: Yams.Node, _ what: String) -> [YAMLEntry]? {
        guard case .mapping(let mapping) = node else {
            error(
                .wrongType, "\(what) must be a mapping, found \(Self.describe(node))", at: node,
                hint: "write it as 'key: value' lines indented under \(what)")
            return nil
        }
        var entries: [YAMLEntry] = []
        for (keyNode, value) in mapping {
            let (line, column) = position(of: keyNode)
            if document.skippedKeys.contains([line, column]) { continue }
            guard case .scalar(let scalar) = keyNode else {
                error(
                    .wrongType, "keys of \(what) must be plain names, found \(Self.describe(keyNode))",
                    at: keyNode, hint: "use a plain name as the key")
                continue
            }
            entries.append(YAMLEntry(key: scalar.string, keyNode: keyNode, value: value))
        }
        return entries
    }

    /// Records an error for every key not in `allowed`, suggesting the closest allowed key.
    public mutating func rejectUnknownKeys(_ entries: [YAMLEntry], allowed: [String], in what: String) {
        for entry in entries where !allowed.contains(entry.key) {
            let suggestion = Self.closest(to: entry.key, among: allowed).map { "did you mean '\($0)'? " } ?? ""
            error(
                .unknownKey, "unknown key '\(entry.key)' in \(what)", at: entry.keyNode,
                hint: "\(suggestion)keys allowed here: \(allowed.joined(separator: ", "))")
        }
    }

    public mutating func sequence(_ node: Yams.Node, _ what: String) -> [Yams.Node]? {
        guard case .sequence(let sequence) = node else {
            error(
                .wrongType, "\(what) must be a list, found \(Self.describe(node))", at: node,
                hint: "write it as '- item' lines or as [a, b]")
            return nil
        }
        return Array(sequence)
    }

    /// A scalar as written (YAML type resolution is ignored: `00:16:30:10:20:30` must stay a MAC, not a number).
    public mutating func string(_ node: Yams.Node, _ what: String) -> String? {
        guard case .scalar(let scalar) = node else {
            error(
                .wrongType, "\(what) must be a single value, found \(Self.describe(node))", at: node,
                hint: "write one value on the same line as the key")
            return nil
        }
        return scalar.string
    }

    public mutating func nonEmptyString(_ node: Yams.Node, _ what: String) -> String? {
        guard let text = string(node, what) else { return nil }
        guard !text.isEmpty else {
            error(.invalidValue, "\(what) is empty", at: node, hint: "give \(what) a value, or remove the key")
            return nil
        }
        return text
    }

    public mutating func int(_ node: Yams.Node, _ what: String, range: ClosedRange<Int>) -> Int? {
        guard let text = string(node, what) else { return nil }
        guard let value = Int(text), range.contains(value) else {
            error(
                .wrongType,
                "\(what) must be a whole number from \(range.lowerBound) to \(range.upperBound), found '\(text)'",
                at: node, hint: "write a number such as \(range.lowerBound)")
            return nil
        }
        return value
    }

    /// A number of seconds from 0 to a day (`2`, `0.5`).
    mutating func seconds(_ node: Yams.Node, _ what: String) -> Double? {
        guard let text = string(node, what) else { return nil }
        guard let value = Double(text), value >= 0, value <= 86_400 else {
            error(
                .wrongType, "\(what) must be a number of seconds from 0 to 86400, found '\(text)'", at: node,
                hint: "write a number such as 2 or 0.5")
            return nil
        }
        return value
    }

    public mutating func bool(_ node: Yams.Node, _ what: String) -> Bool? {
        guard let text = string(node, what) else { return nil }
        switch text.lowercased() {
        case "true", "yes", "on": return true
        case "false", "no", "off": return false
        default:
            error(.wrongType, "\(what) must be true or false, found '\(text)'", at: node, hint: "write true or false")
            return nil
        }
    }

    /// A single string or a list of strings.
    public mutating func strings(_ node: Yams.Node, _ what: String) -> [(String, Yams.Node)]? {
        if case .scalar = node { return string(node, what).map { [($0, node)] } }
        guard let items = sequence(node, what) else { return nil }
        var result: [(String, Yams.Node)] = []
        for item in items {
            if let text = string(item, "each entry of \(what)") { result.append((text, item)) }
        }
        return result
    }

    /// The allowed word within edit distance 2 of `word`, if exactly one is closest.
    public static func closest(to word: String, among candidates: [String]) -> String? {
        let scored = candidates.map { ($0, editDistance(word.lowercased(), $0.lowercased())) }
        guard let best = scored.min(by: { $0.1 < $1.1 }), best.1 <= 2 else { return nil }
        return best.0
    }

    public static func editDistance(_ a: String, _ b: String) -> Int {
        let a = Array(a.unicodeScalars)
        let b = Array(b.unicodeScalars)
        if a.isEmpty { return b.count }
        var previous = Array(0...b.count)
        for i in 1...a.count {
            var current = [i] + Array(repeating: 0, count: b.count)
            for j in stride(from: 1, through: b.count, by: 1) {
                current[j] = Swift.min(
                    previous[j] + 1, current[j - 1] + 1, previous[j - 1] + (a[i - 1] == b[j - 1] ? 0 : 1))
            }
            previous = current
        }
        return previous[b.count]
    }
}
