public import NodeAgentProtocol

/// The bookkeeping of one conversation with an agent, without I/O: which ids were issued, which answers are
/// still owed (in order), and whether the conversation can go on.
///
/// States:
/// - `open`: requests can be issued; answers must come back in issue order, with the issued id and a kind
///   that answers the request (or `failure`).
/// - `broken`: an error made the byte stream untrustworthy (timeout, EOF, desynchronisation, wrong id);
///   every further call fails fast with `unusable`, quoting the first error.
/// - `closed`: the owner closed the connection.
public struct AgentExchange: Sendable {
    public enum State: Sendable, Hashable {
        case open
        case broken(AgentError)
        case closed
    }

    public private(set) var state: State = .open
    /// The id the next request gets; ids start at 1 (the agent uses 0 for "could not read your header").
    public private(set) var nextID: UInt64 = 1
    private var owed: [(id: UInt64, kind: String)] = []
    private var owedStart = 0

    public init() {}

    /// Answers still owed, oldest first.
    public var owedCount: Int { owed.count - owedStart }

    /// The oldest answer still owed, as `(id, request kind)`.
    public var oldestOwed: (id: UInt64, kind: String)? { owedStart < owed.count ? owed[owedStart] : nil }

    /// Fails unless requests can be sent.
    /// - Throws: `AgentError` (`unusable`) after an earlier error or `close()`.
    public func checkUsable() throws(AgentError) {
        switch state {
        case .open:
            return
        case .broken(let error):
            throw AgentError(
                .unusable, "this agent connection broke earlier: \(error.code.rawValue): \(error.message)",
                hint: AgentError.reconnectHint, cause: error.cause)
        case .closed:
            throw AgentError(.unusable, "this agent connection was closed", hint: "open a new one")
        }
    }

    /// Records a request about to be written and returns its id.
    public mutating func issue(_ request: NodeRequest) -> UInt64 {
        let id = nextID
        nextID += 1
        owed.append((id, request.kindName))
        return id
    }

    /// Checks a decoded response against the oldest owed answer and retires it.
    /// - Returns: The response.
    /// - Throws: `AgentError` (`desynchronised`) for an unasked-for id, an id out of order or a response of
    ///   the wrong kind; the exchange is then broken.
    public mutating func accept(id: UInt64, response: NodeResponse) throws(AgentError) -> NodeResponse {
        try checkUsable()
        guard let expected = oldestOwed else {
            throw breakDown(desync("an answer (id \(id), '\(response.kindName)') that no request asked for"))
        }
        if id != expected.id {
            if id == 0, case .failure(let message) = response {
                throw breakDown(desync("the agent could not read the header of request \(expected.id): \(message)"))
            }
            throw breakDown(desync("an answer with id \(id) while the answer to id \(expected.id) was due"))
        }
        guard response.kindName == expected.kind || response.kindName == "failure" else {
            throw breakDown(desync("a '\(response.kindName)' answer to the '\(expected.kind)' request (id \(id))"))
        }
        owedStart += 1
        if owedStart == owed.count {
            owed.removeAll(keepingCapacity: true)
            owedStart = 0
        }
        return response
    }

    /// Marks the exchange broken by `error` (the first error wins) and returns the error to throw.
    public mutating func breakDown(_ error: AgentError) -> AgentError {
        if case .open = state, !error.leavesConnectionUsable { state = .broken(error) }
        return error
    }

    /// Marks the exchange closed.
    public mutating func close() {
        state = .closed
    }

    /// Describes a request for messages: `the 'run' request (id 3)`.
    public static func describe(id: UInt64, kind: String) -> String {
        "the '\(kind)' request (id \(id))"
    }

    private func desync(_ what: String) -> AgentError {
        AgentError(.desynchronised, "the agent sent " + what, hint: AgentError.reconnectHint)
    }
}
