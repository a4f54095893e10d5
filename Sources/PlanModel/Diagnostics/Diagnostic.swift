/// The one shape every testbed error takes for the user: what went wrong, where, why, and what to do.
///
/// Every error type of every layer (`InputError`, `LabError`, `ConnectionError`, `NodeError`, …) describes
/// itself as diagnostics, and `DiagnosticText` renders them one way:
/// ```
/// topologies/lab.yaml:14:19: error: link endpoint names unknown node 'db3'
///     endpoints: ["web1:eth1", "db3:eth1"]
///                              ^
/// cause: …
/// hint: nodes declared in this topology: web1, web2, db1
/// ```
/// or, for an error about a node rather than a file, `error: node 'alfa' (127.0.0.1:22): …`.
public struct Diagnostic: Sendable, Hashable, Codable {
    public enum Severity: String, Sendable, Hashable, Codable {
        case error, warning
    }

    /// What kind of failure it is; the CLI maps this (and only this) to an exit code.
    public enum Category: String, Sendable, Hashable, Codable {
        /// Something the user wrote is wrong (a file, an argument).
        case input
        /// A request testbed will not carry out as things stand (not root, lab already up, lock held, …).
        case refused
        /// A node could not be reached, authenticated or trusted.
        case connection
        /// Something failed while doing the work.
        case failure
    }

    /// A stable identifier, `layer.kind` (`input.unknown-reference`, `lab.already-up`, …), for tools and tests.
    public var code: String
    public var severity: Severity
    public var category: Category
    /// What went wrong, in one line.
    public var message: String
    /// Who it is about when it is not a file position: `node 'alfa' (127.0.0.1:22)`.
    public var subject: String?
    /// Where in an input file, when the problem is in one.
    public var location: InputLocation?
    /// The text of the line at `location`, shown with a caret under the column.
    public var sourceLine: String?
    /// Supporting lines (reasons, differences), shown indented under the message.
    public var details: [String]
    /// The underlying failure: a tool's message, a system error, a libssh2 error.
    public var cause: String?
    /// What the user can do about it.
    public var hint: String?

    public init(
        code: String, category: Category, message: String, severity: Severity = .error, subject: String? = nil,
        location: InputLocation? = nil, sourceLine: String? = nil, details: [String] = [], cause: String? = nil,
        hint: String? = nil
    ) {
        self.code = code
        self.severity = severity
        self.category = category
        self.message = message
        self.subject = subject
        self.location = location
        self.sourceLine = sourceLine
        self.details = details
        self.cause = cause
        self.hint = hint
    }
}

/// An error that can describe itself as diagnostics. Its `description` is their rendering.
public protocol DiagnosticConvertible: Error, CustomStringConvertible {
    /// One or more diagnostics, in the order they should be read.
    var diagnostics: [Diagnostic] { get }
}

extension DiagnosticConvertible {
    public var description: String { DiagnosticText.render(diagnostics) }

    /// The category that decides the exit code: the gravest of the diagnostics.
    public var category: Diagnostic.Category {
        let order: [Diagnostic.Category] = [.failure, .connection, .refused, .input]
        let errors = diagnostics.filter { $0.severity == .error }.map(\.category)
        return order.first { errors.contains($0) } ?? diagnostics.first?.category ?? .failure
    }
}
