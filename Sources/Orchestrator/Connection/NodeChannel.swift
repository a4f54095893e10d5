public import NodeAgentProtocol
public import PlanModel

/// A node you can send agent requests to. `NodeConnection` is the real one (SSH or a local process); tests
/// give the engine in-memory ones, so ordering, failures, interrupts and checks are tested without bash.
public protocol NodeChannel: Sendable {
    var name: NodeName { get }
    /// Where the node is, for messages (`host:port`, `proxy command …`).
    var address: String { get }

    /// Sends the requests pipelined and returns one answer per request, in order.
    /// - Throws: `NodeError` when the node cannot be reached or its agent fails.
    func send(_ requests: [NodeRequest], timeout: Duration) async throws(NodeError) -> [NodeResponse]
}

extension NodeConnection: NodeChannel {
    public nonisolated var address: String { target.address }
}

extension NodeChannel {
    /// Sends one request and returns its answer.
    /// - Throws: `NodeError`; an agent that refused the request (`failure`) is an `AgentError.rejected`.
    public func exchange(_ request: NodeRequest, timeout: Duration) async throws(NodeError) -> NodeResponse {
        let responses = try await send([request], timeout: timeout)
        guard let response = responses.first else {
            throw refusal("no answer to the \(request.kindName) request")
        }
        if case .failure(let message) = response { throw refusal("the agent refused: \(message)") }
        return response
    }

    /// Runs one block and returns its result.
    /// - Throws: `NodeError`.
    public func run(_ request: NodeRequest.RunRequest, timeout: Duration) async throws(NodeError)
        -> NodeResponse.RunResult
    {
        guard case .run(let result) = try await exchange(.run(request), timeout: timeout) else {
            throw refusal("the agent answered a run request with something else")
        }
        return result
    }

    /// Pings addresses and returns the answers.
    /// - Throws: `NodeError`.
    public func ping(_ request: NodeRequest.PingRequest, timeout: Duration) async throws(NodeError)
        -> NodeResponse.PingResult
    {
        guard case .ping(let result) = try await exchange(.ping(request), timeout: timeout) else {
            throw refusal("the agent answered a ping request with something else")
        }
        return result
    }

    private func refusal(_ message: String) -> NodeError {
        NodeError(
            node: name, address: address,
            kind: .agent(AgentError(.rejected, message, hint: "the request did not run; see the agent's message")))
    }
}
