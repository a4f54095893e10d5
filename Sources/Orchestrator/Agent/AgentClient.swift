public import NodeAgentProtocol

/// Talks to one node agent over an `AgentStream`: encodes requests, decodes responses, checks ids and
/// versions, and turns every stream problem into an `AgentError` naming the request concerned.
///
/// Not `Sendable`: it lives on the owning node connection's thread, and every call blocks that thread
/// until the answer arrives or the deadline passes. After a timeout, end of stream or desynchronisation the
/// client is unusable (a late answer would be taken for the next one) and every later call fails fast.
///
///     let client = AgentClient(stream: try PipeAgentStream.launchLocalAgent())
///     let info = try client.hello(until: .now + .seconds(5))
///     let result = try client.run(.init(script: "ip link show"), until: .now + .seconds(30))
public final class AgentClient {
    /// Request bytes that may be in flight unanswered while pipelining. Below a pipe's 64 KiB, so a write
    /// can never block while the agent is blocked writing an answer nobody reads.
    public static let pipelineWindow = 32 * 1024

    private let stream: any AgentStream
    private var decoder = FrameDecoder()
    private var exchange = AgentExchange()
    private let encoder = FrameEncoder()

    /// What the agent said in `hello`, once asked.
    public private(set) var helloInfo: NodeResponse.HelloInfo?

    public init(stream: any AgentStream) {
        self.stream = stream
    }

    /// Whether requests can still be sent.
    public var isUsable: Bool { exchange.state == .open }

    /// The state of the conversation, for diagnostics.
    public var state: AgentExchange.State { exchange.state }

    /// Asks the agent who it is and checks that it speaks `ProtocolVersion.current`.
    /// - Throws: `AgentError` (`versionMismatch` for another protocol; see `send(_:until:)` for the rest).
    public func hello(until deadline: ContinuousClock.Instant) throws(AgentError) -> NodeResponse.HelloInfo {
        let response = try send(.hello, until: deadline)
        guard case .hello(let info) = response else { throw rejection(of: .hello, response) }
        guard info.protocolVersion == .current else {
            throw exchange.breakDown(
                AgentError(
                    .versionMismatch,
                    "the agent speaks protocol \(info.protocolVersion), this testbed speaks \(ProtocolVersion.current)",
                    hint: "start the agent with this build's AgentScript.launchCommand"))
        }
        helloInfo = info
        return info
    }

    /// Runs a block and returns its result; a remote failure is data in the result, not an error.
    /// - Throws: `AgentError` (`rejected` when the agent could not start it, e.g. an unknown namespace).
    public func run(
        _ request: NodeRequest.RunRequest, until deadline: ContinuousClock.Instant
    ) throws(AgentError) -> NodeResponse.RunResult {
        let response = try send(.run(request), until: deadline)
        guard case .run(let result) = response else { throw rejection(of: .run(request), response) }
        return result
    }

    /// Pings addresses from the node.
    /// - Throws: `AgentError` (`rejected` when the agent could not start the pings).
    public func ping(
        _ request: NodeRequest.PingRequest, until deadline: ContinuousClock.Instant
    ) throws(AgentError) -> NodeResponse.PingResult {
        let response = try send(.ping(request), until: deadline)
        guard case .ping(let result) = response else { throw rejection(of: .ping(request), response) }
        return result
    }

    /// Sends one request and waits for its answer.
    /// - Returns: The response; an agent-level `failure` is returned, not thrown.
    /// - Throws: `AgentError`; see `send(_:until:)` for the batch form.
    public func send(_ request: NodeRequest, until deadline: ContinuousClock.Instant) throws(AgentError) -> NodeResponse
    {
        let responses = try send([request], until: deadline)
        return responses[0]
    }

    /// Sends requests pipelined (frames written back to back, answers read in order: one round trip for
    /// the batch, within `pipelineWindow` bytes in flight) and returns the answers in request order.
    /// - Throws: `AgentError`: `invalidRequest` (nothing sent), `timedOut`, `agentExited`, `desynchronised`,
    ///   `versionMismatch`, `streamFailed`, `cancelled`, or `unusable` after an earlier one.
    public func send(
        _ requests: [NodeRequest], until deadline: ContinuousClock.Instant
    ) throws(AgentError) -> [NodeResponse] {
        try exchange.checkUsable()
        let started = ContinuousClock.now
        var frames: [[UInt8]] = []
        for (offset, request) in requests.enumerated() {
            do {
                frames.append(try encoder.encode(request, id: exchange.nextID + UInt64(offset)))
            } catch {
                throw AgentError(.invalidRequest, error.message, hint: error.hint)
            }
        }
        try waitUntilReady(until: deadline, started: started)
        var responses: [NodeResponse] = []
        responses.reserveCapacity(requests.count)
        var inFlight: [Int] = []
        var inFlightBytes = 0
        for (request, frame) in zip(requests, frames) {
            while !inFlight.isEmpty && inFlightBytes + frame.count > Self.pipelineWindow {
                responses.append(try receive(until: deadline, started: started))
                inFlightBytes -= inFlight.removeFirst()
            }
            let id = exchange.issue(request)
            if case .run(let run) = request, let files = run.outputFiles {
                decoder.spill(responseID: id, to: OutputSpillFiles(files).spill(files))
            }
            do {
                try stream.write(frame, until: deadline)
            } catch {
                throw exchange.breakDown(
                    streamError(error, AgentExchange.describe(id: id, kind: request.kindName), started))
            }
            inFlight.append(frame.count)
            inFlightBytes += frame.count
        }
        while responses.count < requests.count {
            responses.append(try receive(until: deadline, started: started))
        }
        return responses
    }

    /// Marks the client closed and closes the stream (the agent sees end of file and exits).
    public func close() {
        exchange.close()
        stream.close()
    }

    /// Reads until the agent's ready banner has been seen, so nothing is written while a login shell could
    /// still be reading stdin.
    private func waitUntilReady(until deadline: ContinuousClock.Instant, started: ContinuousClock.Instant)
        throws(AgentError)
    {
        while !decoder.isReady {
            try decodeNext(waitingFor: "the agent's ready banner").map { (id, response) throws(AgentError) in
                _ = try exchange.accept(id: id, response: response)
            }
            if decoder.isReady { return }
            try readMore(until: deadline, started: started, waitingFor: "the agent's ready banner")
        }
    }

    /// Reads until the oldest owed answer is complete, checks and returns it.
    private func receive(until deadline: ContinuousClock.Instant, started: ContinuousClock.Instant) throws(AgentError)
        -> NodeResponse
    {
        let what = exchange.oldestOwed.map { AgentExchange.describe(id: $0.id, kind: $0.kind) } ?? "an answer"
        while true {
            if let (id, response) = try decodeNext(waitingFor: what) {
                return try exchange.accept(id: id, response: response)
            }
            try readMore(until: deadline, started: started, waitingFor: what)
        }
    }

    private func decodeNext(waitingFor what: String) throws(AgentError) -> (UInt64, NodeResponse)? {
        do {
            return try decoder.next()
        } catch {
            throw exchange.breakDown(.frame(error, while: what))
        }
    }

    private func readMore(
        until deadline: ContinuousClock.Instant, started: ContinuousClock.Instant, waitingFor what: String
    ) throws(AgentError) {
        let bytes: [UInt8]
        do {
            bytes = try stream.read(maximum: 1 << 16, until: deadline)
        } catch {
            throw exchange.breakDown(streamError(error, what, started))
        }
        guard bytes.isEmpty else {
            decoder.append(bytes)
            return
        }
        var said: [String] = []
        do { try decoder.checkEndOfStream() } catch {
            said.append(error.message + (error.excerpt.map { ": \"\($0)\"" } ?? ""))
        }
        if let diagnostics = (stream as? any AgentStreamDiagnostics)?.diagnostics { said.append(diagnostics) }
        throw exchange.breakDown(
            AgentError(
                .agentExited, "the agent's output ended (end of file) while waiting for \(what)",
                hint: "the agent process or its channel died (killed, or bash missing or too old on the node); "
                    + "check the node, then start a new agent",
                cause: said.isEmpty ? nil : said.joined(separator: "; ")))
    }

    private func streamError(_ error: AgentStreamError, _ what: String, _ started: ContinuousClock.Instant)
        -> AgentError
    {
        .stream(
            error, while: what, budget: started.duration(to: .now),
            diagnostics: (stream as? any AgentStreamDiagnostics)?.diagnostics)
    }

    private func rejection(of request: NodeRequest, _ response: NodeResponse) -> AgentError {
        let message: String
        if case .failure(let text) = response { message = text } else { message = "a '\(response.kindName)' answer" }
        return AgentError(
            .rejected, "the agent refused the '\(request.kindName)' request: \(message)",
            hint: "nothing of it ran; fix the request (e.g. create the network namespace first) and send it again")
    }
}
