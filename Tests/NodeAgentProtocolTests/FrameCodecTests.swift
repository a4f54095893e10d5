import Foundation
import Testing

@testable import NodeAgentProtocol

@Suite struct FrameCodecTests {
    @Test("every request kind survives encode then decode", arguments: FrameSamples.requests.indices)
    func requestRoundTrip(index: Int) throws {
        let request = FrameSamples.requests[index]
        var decoder = RequestFrameDecoder()
        decoder.append(try FrameEncoder().encode(request, id: 42))
        let decoded = try #require(try decoder.next())
        #expect(decoded.id == 42)
        #expect(decoded.request == request)
        #expect(try decoder.next() == nil)
        try decoder.checkEndOfStream()
    }

    @Test("every response kind survives encode then decode", arguments: FrameSamples.responses.indices)
    func responseRoundTrip(index: Int) throws {
        let response = FrameSamples.responses[index]
        var decoder = FrameDecoder(expectsBanner: false)
        decoder.append(try FrameEncoder().encode(response, id: UInt64.max))
        let decoded = try #require(try decoder.next())
        #expect(decoded.id == UInt64.max)
        #expect(decoded.response == response)
        try decoder.checkEndOfStream()
    }

    @Test("the wire text of a run request is the documented grammar")
    func runRequestText() throws {
        let request = NodeRequest.run(
            .init(
                script: "echo hi\n", netns: "ns1", timeout: .milliseconds(300), stopAtFirstFailure: true,
                stateQueries: [.init(.rtTables), .init(.sysctl(names: ["net.ipv4.ip_forward", "x.y"]), netns: "ns1")]))
        let bytes = try FrameEncoder().encode(request, id: 7)
        let text = String(decoding: bytes, as: UTF8.self)
        #expect(text == "TBREQ/2 7 run ns:ns1 300000 1 rtTables,sysctl@ns1:net.ipv4.ip_forward+x.y 8\necho hi\n")
    }

    @Test("one iptables table travels as iptables@NS:TABLE; a table that is not lowercase letters is refused")
    func iptablesTableQuery() throws {
        let request = NodeRequest.run(
            .init(script: "true", stateQueries: [.init(.iptablesTable("mangle"), netns: "ns1"), .init(.iptables)]))
        let text = String(decoding: try FrameEncoder().encode(request, id: 2), as: UTF8.self)
        #expect(text == "TBREQ/2 2 run default - 1 iptables@ns1:mangle,iptables 4\ntrue")
        let bad = NodeRequest.run(.init(script: "true", stateQueries: [.init(.iptablesTable("nat -F"))]))
        let error = #expect(throws: FrameError.self) { _ = try FrameEncoder().encode(bad, id: 3) }
        #expect(error?.message == "state query 'iptables': table \"nat -F\" is not usable")
        #expect(error?.hint == "name a table in lowercase letters, as in `mangle`")
        #expect(NodeRequest.StateQuery(token: "iptables:mangle+nat") == nil)
        #expect(NodeRequest.StateQuery(token: "iptables@n1:raw") == .init(.iptablesTable("raw"), netns: "n1"))
    }

    @Test("the wire text of a ping request and of hello")
    func pingAndHelloText() throws {
        let ping = NodeRequest.ping(.init(addresses: ["127.0.0.1", "::1"], count: 2, timeout: .microseconds(1500)))
        #expect(
            String(decoding: try FrameEncoder().encode(ping, id: 3), as: UTF8.self)
                == "TBREQ/2 3 ping default 2 2 127.0.0.1,::1 0\n")
        #expect(String(decoding: try FrameEncoder().encode(.hello, id: 1), as: UTF8.self) == "TBREQ/2 1 hello 0\n")
    }

    @Test("a response stream with a banner decodes to every response in order")
    func streamWithBanner() throws {
        var decoder = FrameDecoder()
        decoder.append(try FrameSamples.responseStream())
        var decoded: [NodeResponse] = []
        while let (id, response) = try decoder.next() {
            #expect(id == UInt64(decoded.count + 1))
            decoded.append(response)
        }
        #expect(decoded == FrameSamples.responses)
        #expect(decoder.agentProtocolVersion == .current)
        try decoder.checkEndOfStream()
    }

    @Test("a login shell's chatter before the banner is skipped and kept for errors")
    func preambleSkipped() throws {
        var decoder = FrameDecoder()
        let chatter = "Welcome to alfa!\nTBRES/2 5 run looks like a frame\nTBAGENT/x READY\n\u{1B}[0m"
        decoder.append(Array(chatter.utf8) + (try FrameSamples.responseStream()))
        let first = try #require(try decoder.next())
        #expect(first.id == 1)
        #expect(first.response == FrameSamples.responses[0])
        #expect(decoder.preambleExcerpt.contains("Welcome to alfa!\\n"))
        #expect(decoder.preambleExcerpt.hasSuffix("\\x1B[0m"))
    }

    @Test("requests and responses survive a JSON round trip (journal format)")
    func codableRoundTrip() throws {
        let encoder = JSONEncoder()
        let decoder = JSONDecoder()
        let requests = try decoder.decode([NodeRequest].self, from: encoder.encode(FrameSamples.requests))
        #expect(requests == FrameSamples.requests)
        let responses = try decoder.decode([NodeResponse].self, from: encoder.encode(FrameSamples.responses))
        #expect(responses == FrameSamples.responses)
    }

    @Test("round-trip times are kept to the microsecond")
    func decimalMilliseconds() {
        #expect(WireFormat.decimalMilliseconds(.microseconds(45)) == "0.045")
        #expect(WireFormat.decimalMilliseconds(.microseconds(12_345)) == "12.345")
        #expect(WireFormat.duration(decimalMilliseconds: "0.045") == .microseconds(45))
        #expect(WireFormat.duration(decimalMilliseconds: "1.5") == .microseconds(1500))
        #expect(WireFormat.duration(decimalMilliseconds: "3") == .milliseconds(3))
        #expect(WireFormat.duration(decimalMilliseconds: "0.04567") == .microseconds(45))
        #expect(WireFormat.duration(decimalMilliseconds: "1.x") == nil)
        #expect(WireFormat.duration(decimalMilliseconds: "") == nil)
    }
}
