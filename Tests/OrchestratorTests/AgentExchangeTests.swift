import NodeAgentProtocol
import Testing

@testable import Orchestrator

/// The conversation bookkeeping, without any I/O.
@Suite struct AgentExchangeTests {
    private let ok = NodeResponse.run(.init(exitStatus: 0))

    @Test("ids start at 1 and answers are accepted in issue order")
    func inOrder() throws {
        var exchange = AgentExchange()
        #expect(exchange.issue(.hello) == 1)
        #expect(exchange.issue(.run(.init(script: "true"))) == 2)
        #expect(exchange.owedCount == 2)
        _ = try exchange.accept(
            id: 1,
            response: .hello(
                .init(
                    protocolVersion: .current, agentVersion: "", hostname: "", kernelRelease: "", bashVersion: "",
                    iproute2Version: "", iptablesVersion: "")))
        #expect(exchange.oldestOwed?.id == 2)
        #expect(try exchange.accept(id: 2, response: ok) == ok)
        #expect(exchange.owedCount == 0)
        #expect(exchange.state == .open)
    }

    @Test("an answer out of order breaks the exchange, and later calls fail fast as unusable")
    func outOfOrder() throws {
        var exchange = AgentExchange()
        _ = exchange.issue(.run(.init(script: "true")))
        _ = exchange.issue(.run(.init(script: "true")))
        #expect {
            try exchange.accept(id: 2, response: ok)
        } throws: { error in
            (error as? AgentError)?.message == "the agent sent an answer with id 2 while the answer to id 1 was due"
        }
        #expect {
            try exchange.checkUsable()
        } throws: { error in
            (error as? AgentError)?.code == .unusable
        }
        #expect(throws: AgentError.self) { try exchange.accept(id: 1, response: ok) }
    }

    @Test("an unasked-for answer, or one of the wrong kind, is desynchronisation")
    func unaskedAndWrongKind() throws {
        var idle = AgentExchange()
        #expect {
            try idle.accept(id: 1, response: ok)
        } throws: { error in
            (error as? AgentError)?.code == .desynchronised
        }
        var exchange = AgentExchange()
        _ = exchange.issue(.ping(.init(addresses: ["::1"])))
        #expect {
            try exchange.accept(id: 1, response: ok)
        } throws: { error in
            (error as? AgentError)?.message == "the agent sent a 'run' answer to the 'ping' request (id 1)"
        }
    }

    @Test("a failure answer is accepted for any kind; the agent's id-0 failure reports its message")
    func failures() throws {
        var exchange = AgentExchange()
        _ = exchange.issue(.run(.init(script: "true")))
        _ = exchange.issue(.run(.init(script: "true")))
        #expect(try exchange.accept(id: 1, response: .failure("no such netns")) == .failure("no such netns"))
        #expect(exchange.state == .open)
        #expect {
            try exchange.accept(id: 0, response: .failure("not a protocol 2 request header"))
        } throws: { error in
            (error as? AgentError)?.message.contains("could not read the header of request 2: not a protocol 2") == true
        }
    }

    @Test("rejections and invalid requests leave the exchange open; the first breaking error wins")
    func breakDown() throws {
        var exchange = AgentExchange()
        _ = exchange.breakDown(AgentError(.rejected, "r", hint: "h"))
        _ = exchange.breakDown(AgentError(.invalidRequest, "i", hint: "h"))
        #expect(exchange.state == .open)
        let first = AgentError(.timedOut, "first", hint: "h")
        _ = exchange.breakDown(first)
        _ = exchange.breakDown(AgentError(.agentExited, "second", hint: "h"))
        #expect(exchange.state == .broken(first))
        exchange.close()
        #expect(exchange.state == .closed)
    }

    @Test("an agent error prints what happened, its cause and the hint, one per line")
    func errorText() {
        let error = AgentError(
            .timedOut,
            "no complete answer to the 'run' request (id 2) within \(AgentError.format(.milliseconds(2500)))",
            hint: "reconnect", cause: "timed out: deadline passed")
        #expect(
            error.description == """
                error: timed out: no complete answer to the 'run' request (id 2) within 2.500 s
                cause: timed out: deadline passed
                hint: reconnect
                """)
        #expect(AgentError.format(.microseconds(999)) == "0.000 s")
        #expect(AgentError.format(.seconds(61)) == "61.000 s")
    }
}
