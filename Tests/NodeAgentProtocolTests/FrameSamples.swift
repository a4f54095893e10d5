import NodeAgentProtocol

/// One value of every request and response kind, with the awkward cases (empty and binary sections,
/// optional fields absent and present), shared by the codec tests.
enum FrameSamples {
    static let requests: [NodeRequest] = [
        .hello,
        .run(.init(script: "true")),
        .run(.init(script: "")),
        .run(
            .init(
                script: "ip link add v0 type veth peer name v1\necho 'β 𝛽'\n\tfalse || true\n", netns: "ns-1.a_b",
                timeout: .milliseconds(1500), stopAtFirstFailure: false,
                stateQueries: [
                    .init(.routes), .init(.rules, netns: "n2"), .init(.addresses), .init(.links), .init(.namespaces),
                    .init(.iptables, netns: "x"), .init(.iptablesTable("mangle"), netns: "x"), .init(.rtTables),
                    .init(.sysctl(names: ["net.ipv4.ip_forward", "net/ipv4/conf/eth0.100/forwarding"]), netns: "n3"),
                ])),
        .run(.init(script: String(repeating: "echo 0123456789abcdef\n", count: 5000), timeout: .microseconds(7))),
        .ping(.init(addresses: ["127.0.0.1"])),
        .ping(
            .init(
                addresses: ["192.0.2.1", "::1", "2001:db8::ffff:192.0.2.7", "fe80::1%eth0"], netns: "lab", count: 3,
                timeout: .milliseconds(250))),
    ]

    static let responses: [NodeResponse] = [
        .hello(
            .init(
                protocolVersion: .current, agentVersion: "1.0.0", hostname: "alfa", kernelRelease: "6.1.0-18-amd64",
                bashVersion: "5.2.15(1)-release", iproute2Version: "ip utility, iproute2-6.1.0, libbpf 1.1.2",
                iptablesVersion: "")),
        .run(.init(exitStatus: 0)),
        .run(
            .init(
                exitStatus: 1, failedLine: 3, failedStatus: 2, stdout: [0, 1, 2, 0xFF, 0xFE, 10, 0],
                stderr: Array("RTNETLINK answers: File exists\n".utf8), duration: .microseconds(1_234_567),
                timedOut: false,
                stateOutputs: [
                    .init(query: .init(.routes, netns: "n1"), exitStatus: 0, bytes: Array("[]\n".utf8)),
                    .init(query: .init(.iptablesTable("nat")), exitStatus: 0, bytes: Array("*nat\nCOMMIT\n".utf8)),
                    .init(
                        query: .init(.sysctl(names: ["a.b", "c"])), exitStatus: 1, bytes: [],
                        stderr: Array("sysctl: cannot read c\n".utf8)),
                ])),
        .run(.init(exitStatus: 143, stdout: Array(repeating: 0x41, count: 70_000), timedOut: true)),
        .ping(
            .init(targets: [
                .init(
                    address: "127.0.0.1", exitStatus: 0, transmitted: 2, received: 2,
                    averageRoundTrip: .microseconds(45)),
                .init(address: "198.51.100.2", exitStatus: 1, transmitted: 2, received: 0),
                .init(address: "192.0.2.1", exitStatus: 2),
                .init(address: "::1", exitStatus: 0, transmitted: 1, received: 1, averageRoundTrip: .milliseconds(12)),
            ])),
        .ping(.init(targets: [])),
        .failure("network namespace 'nope' does not exist on this node (no /run/netns/nope)"),
        .failure("Ünïcödé message ✓"),
    ]

    /// Every response framed back to back with ids 1, 2, …, after a banner.
    static func responseStream(banner: Bool = true) throws -> [UInt8] {
        let encoder = FrameEncoder()
        var bytes = banner ? encoder.banner : []
        for (index, response) in responses.enumerated() {
            bytes += try encoder.encode(response, id: UInt64(index + 1))
        }
        return bytes
    }
}

/// A deterministic pseudo-random generator (SplitMix64), so chunking tests are reproducible by seed.
struct SeededGenerator: RandomNumberGenerator {
    private var state: UInt64

    init(seed: UInt64) { state = seed }

    mutating func next() -> UInt64 {
        state &+= 0x9E37_79B9_7F4A_7C15
        var z = state
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }
}
