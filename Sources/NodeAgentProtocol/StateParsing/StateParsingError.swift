/// A state dump the parsers could not read: which query, and what was wrong.
public struct StateParsingError: Error, Sendable, Hashable, CustomStringConvertible {
    public var query: String
    public var message: String

    public init(query: String, message: String) {
        self.query = query
        self.message = message
    }

    public var description: String { "state query '\(query)': \(message)" }
}
