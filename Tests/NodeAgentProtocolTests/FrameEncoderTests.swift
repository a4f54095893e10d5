import PlanModel
import Testing

@testable import NodeAgentProtocol

@Suite struct FrameEncoderTests {
    private func rejection(_ request: NodeRequest) -> FrameError? {
        do {
            _ = try FrameEncoder().encode(request, id: 1)
            return nil
        } catch {
            return error
        }
    }

    @Test("a NUL byte in a script is refused with its offset and a way out")
    func nulInScript() throws {
        let error = try #require(rejection(.run(.init(script: "echo a\u{0}b"))))
        #expect(error.code == .invalidRequest)
        #expect(
            error.description == """
                error: run request: the script contains a NUL byte at byte offset 6; bash cannot hold NUL in a script
                hint: produce NUL bytes at run time instead, e.g. with printf '\\0'
                """)
    }

    @Test(
        "namespace names outside [A-Za-z0-9_.-]{1,64} cannot be made, so cannot be sent",
        arguments: [
            "", "a b", "x;rm -rf /", ".", "..", "a/b", String(repeating: "n", count: 65), "ünï", "a\nb",
        ])
    func badNamespace(name: String) {
        #expect(NamespaceName(name) == nil)
    }

    @Test(
        "namespace names at the edges are accepted",
        arguments: ["a", "ns-1.a_B", String(repeating: "n", count: 64), "...", "-", "default"])
    func goodNamespace(name: String) throws {
        let namespace = try #require(NamespaceName(name))
        #expect(rejection(.run(.init(script: "true", netns: namespace))) == nil)
    }

    @Test("the default namespace and namespaces named '-' or 'default' are told apart on the wire")
    func namespaceField() throws {
        let encoder = FrameEncoder()
        let header = { (request: NodeRequest) throws -> String in
            let bytes = try encoder.encode(request, id: 7)
            return String(decoding: bytes.prefix { $0 != UInt8(ascii: "\n") }, as: UTF8.self)
        }
        #expect(try header(.run(.init(script: "true"))).hasPrefix("TBREQ/2 7 run default "))
        #expect(try header(.run(.init(script: "true", netns: "-"))).hasPrefix("TBREQ/2 7 run ns:- "))
        #expect(try header(.run(.init(script: "true", netns: "default"))).hasPrefix("TBREQ/2 7 run ns:default "))
        #expect(try header(.ping(.init(addresses: ["127.0.0.1"], netns: "-"))).hasPrefix("TBREQ/2 7 ping ns:- "))
        for request: NodeRequest in [
            .run(.init(script: "true")), .run(.init(script: "true", netns: "-")),
            .run(.init(script: "true", netns: "default")), .ping(.init(addresses: ["::1"], netns: "default")),
        ] {
            var decoder = RequestFrameDecoder()
            decoder.append(try encoder.encode(request, id: 3))
            #expect(try decoder.next()?.request == request)
        }
    }

    @Test(
        "ping addresses must be literals",
        arguments: [
            "localhost", "10.0.0.256", "010.0.0.1", "1.2.3", "1.2.3.4.5", "1.2.3.4 ", "::1::", "2001:db8::g",
            "1:2:3:4:5:6:7:8:9",
            "fe80::1%", "fe80::1%a b", "127.0.0.1,::1", "-c 1",
        ])
    func badAddress(address: String) throws {
        let error = try #require(rejection(.ping(.init(addresses: [address]))))
        #expect(error.message.contains("is not an IPv4 or IPv6 address literal"))
    }

    @Test("ping counts, timeouts and list sizes are checked")
    func pingLimits() {
        #expect(rejection(.ping(.init(addresses: []))) != nil)
        #expect(rejection(.ping(.init(addresses: ["127.0.0.1"], count: 0))) != nil)
        #expect(rejection(.ping(.init(addresses: ["127.0.0.1"], timeout: .zero))) != nil)
        #expect(rejection(.ping(.init(addresses: Array(repeating: "::1", count: 513)))) != nil)
        #expect(rejection(.ping(.init(addresses: Array(repeating: "::1", count: 512)))) == nil)
    }

    @Test(
        "sysctl names cannot leave /proc/sys or carry separators",
        arguments: [
            "../etc/shadow", "net/../../x", "..", "a b", "a,b", "a+b", "a:b", "/abs", "",
        ])
    func badSysctl(name: String) throws {
        let error = try #require(rejection(.run(.init(script: "", stateQueries: [.init(.sysctl(names: [name]))]))))
        #expect(error.message.contains("state query 'sysctl'"))
    }

    @Test("a sysctl query needs at least one name; run timeouts must be positive")
    func emptyAndZero() {
        #expect(rejection(.run(.init(script: "", stateQueries: [.init(.sysctl(names: []))]))) != nil)
        #expect(rejection(.run(.init(script: "", timeout: .zero))) != nil)
        #expect(rejection(.run(.init(script: "", timeout: .seconds(-1)))) != nil)
    }

    @Test(
        "valid address literals pass",
        arguments: [
            "0.0.0.0", "255.255.255.255", "192.0.2.1", "::", "::1", "2001:db8::1", "1:2:3:4:5:6:7:8",
            "::ffff:192.0.2.1",
            "fe80::1%eth0", "1::", "2001:DB8:0:0:0:0:0:1",
        ])
    func goodAddress(address: String) {
        #expect(AddressLiteral.isValid(address))
    }
}
