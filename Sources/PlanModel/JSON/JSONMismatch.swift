/// The first place where an actual JSON document does not contain what was expected.
///
/// `path` points into the actual document. When an expected array element matched no actual element, the
/// mismatch is the one of the closest actual element, and `context` says so, e.g.
/// `$[7].gateway: expected "169.254.94.223", found "169.254.96.141" (expected element [3] matches none of the
/// 12 elements; the closest is [7])`.
public struct JSONMismatch: Sendable, Hashable, CustomStringConvertible {
    public var path: JSONPath
    /// The expected part, as compact JSON (sorted keys).
    public var expected: String
    /// The actual part, as compact JSON, or `absent`.
    public var actual: String
    /// Why an array did not match, when the mismatch was found inside one of its candidates.
    public var context: String?

    public init(path: JSONPath, expected: String, actual: String, context: String? = nil) {
        self.path = path
        self.expected = expected
        self.actual = actual
        self.context = context
    }

    public var description: String {
        var text = "\(path): expected \(expected), found \(actual)"
        if let context { text += " (\(context))" }
        return text
    }

    static let absent = "absent"
}
