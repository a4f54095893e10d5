import Foundation
import NodeAgentProtocol

/// Seed streams for the frame targets, made by the encoder from one value of every request and response kind
/// (the shapes of Tests/NodeAgentProtocolTests/FrameSamples.swift). Each file starts with the control byte
/// `FuzzFrames` reads: 0x00 (a banner expected, one piece) or 0x80 (no banner).
enum FrameSeeds {
    static let requests: [NodeRequest] = [
        .hello,
        .run(.init(script: "true")),
        .run(
            .init(
                script: "ip link add v0 type veth peer name v1\necho 'β'\n", netns: "ns-1.a_b",
                timeout: .milliseconds(1500), stopAtFirstFailure: false,
                stateQueries: [
                    .init(.routes), .init(.rules, netns: "n2"), .init(.addresses), .init(.links), .init(.namespaces),
                    .init(.iptables, netns: "x"), .init(.rtTables), .init(.sysctl(names: ["net.ipv4.ip_forward"])),
                ])),
        .ping(.init(addresses: ["127.0.0.1", "::1", "fe80::1%eth0"], netns: "lab", count: 3, timeout: .seconds(1))),
    ]

    static let responses: [NodeResponse] = [
        .hello(
            .init(
                protocolVersion: .current, agentVersion: "1.0.0", hostname: "alfa", kernelRelease: "6.1.0-18-amd64",
                bashVersion: "5.2.15(1)-release", iproute2Version: "ip utility, iproute2-6.1.0", iptablesVersion: "")),
        .run(.init(exitStatus: 0)),
        .run(
            .init(
                exitStatus: 1, failedLine: 3, failedStatus: 2, stdout: [0, 1, 0xFF, 10],
                stderr: Array("RTNETLINK answers: File exists\n".utf8), duration: .microseconds(1_234_567),
                stateOutputs: [
                    .init(query: .init(.routes, netns: "n1"), exitStatus: 0, bytes: Array("[]\n".utf8)),
                    .init(query: .init(.sysctl(names: ["a.b"])), exitStatus: 1, bytes: [], stderr: Array("no\n".utf8)),
                ])),
        .ping(
            .init(targets: [
                .init(
                    address: "127.0.0.1", exitStatus: 0, transmitted: 2, received: 2,
                    averageRoundTrip: .microseconds(45)),
                .init(address: "192.0.2.1", exitStatus: 2),
            ])),
        .failure("network namespace 'nope' does not exist"),
    ]

    /// Writes one file per request, one per response (after a banner), and one stream of all responses.
    static func write(to directory: String) throws {
        let encoder = FrameEncoder()
        let requestDirectory = directory + "/request-frames"
        let responseDirectory = directory + "/response-frames"
        for path in [requestDirectory, responseDirectory] {
            try FileManager.default.createDirectory(atPath: path, withIntermediateDirectories: true)
        }
        for (index, request) in requests.enumerated() {
            let bytes = [0x00] + (try encoder.encode(request, id: UInt64(index + 1)))
            try Data(bytes).write(to: URL(fileURLWithPath: "\(requestDirectory)/\(request.kindName)-\(index).bin"))
        }
        var all = [0x00] + encoder.banner
        for (index, response) in responses.enumerated() {
            let frame = try encoder.encode(response, id: UInt64(index + 1))
            all += frame
            let bytes = [0x80] + frame
            try Data(bytes).write(to: URL(fileURLWithPath: "\(responseDirectory)/\(response.kindName)-\(index).bin"))
        }
        try Data(all).write(to: URL(fileURLWithPath: "\(responseDirectory)/all-after-banner.bin"))
    }
}
