import Logging
import Testing

@testable import Orchestrator

extension SSHIntegrationTests {
    @Suite("SSH measurements") struct Measurements {
        static func median(_ values: [Duration]) -> Duration { values.sorted()[values.count / 2] }
        static func percentile(_ values: [Duration], _ p: Double) -> Duration {
            let sorted = values.sorted()
            return sorted[min(sorted.count - 1, Int(Double(sorted.count) * p))]
        }
        static func ms(_ d: Duration) -> String {
            let value = Double(d.components.seconds) * 1000 + Double(d.components.attoseconds) / 1e15
            return String(Int((value * 100).rounded())).withDecimal
        }

        @Test("prints handshake+auth times (TCP, command transport) and the 1-byte echo round trip (not asserted)")
        func measure() throws {
            let lab = try SSHTestLab()
            let daemon = try lab.startDaemon()
            defer { daemon.stop() }
            try lab.write(
                "known_hosts",
                "[127.0.0.1]:\(daemon.port) \(lab.hostKey.knownHostsText)\ntb-test-alfa \(lab.hostKey.knownHostsText)\n"
            )
            let logger = Logger(label: "t")
            var tcp: [Duration] = []
            var command: [Duration] = []
            for _ in 0..<20 {
                let start = ContinuousClock.now
                let session = try SSHSession.connect(
                    to: lab.endpoint(daemon.transport), nodeName: "alfa", logger: logger)
                tcp.append(ContinuousClock.now - start)
                session.disconnect()
            }
            for _ in 0..<20 {
                let start = ContinuousClock.now
                let session = try SSHSession.connect(
                    to: lab.endpoint(lab.commandTransport, alias: "tb-test-alfa"), nodeName: "alfa", logger: logger)
                command.append(ContinuousClock.now - start)
                session.disconnect()
            }
            let session = try SSHSession.connect(to: lab.endpoint(daemon.transport), nodeName: "alfa", logger: logger)
            defer { session.disconnect() }
            var execs: [Duration] = []
            for _ in 0..<20 {
                let start = ContinuousClock.now
                _ = try session.execute(command: "true", until: .now + .seconds(10))
                execs.append(ContinuousClock.now - start)
            }
            let stream = try session.openAgentChannel(command: "cat", until: .now + .seconds(10))
            var trips: [Duration] = []
            for index in 0..<500 {
                let byte = [UInt8(truncatingIfNeeded: index)]
                let start = ContinuousClock.now
                try stream.write(byte, until: .now + .seconds(5))
                let back = try stream.read(maximum: 1, until: .now + .seconds(5))
                trips.append(ContinuousClock.now - start)
                #expect(back == byte)
            }
            stream.close()
            let tcpLine = "median \(Self.ms(Self.median(tcp))) ms, p90 \(Self.ms(Self.percentile(tcp, 0.9))) ms (n=20)"
            let commandLine =
                "median \(Self.ms(Self.median(command))) ms, p90 \(Self.ms(Self.percentile(command, 0.9))) ms (n=20)"
            let echoLine =
                "median \(Self.ms(Self.median(trips))) ms, p99 \(Self.ms(Self.percentile(trips, 0.99))) ms (n=500)"
            print(
                """
                SSH measurements (libssh2 \(LibSSH2Library.version), loopback, ed25519):
                  handshake+auth over TCP:               \(tcpLine)
                  handshake+auth over command (sshd -i): \(commandLine)
                  one exec channel per command (`true`): median \(Self.ms(Self.median(execs))) ms (n=20)
                  1-byte echo through an open channel:   \(echoLine)
                """)
        }
    }
}

extension String {
    /// "1234" (hundredths) as "12.34".
    fileprivate var withDecimal: String {
        let padded = count < 3 ? String(repeating: "0", count: 3 - count) + self : self
        return String(padded.dropLast(2)) + "." + String(padded.suffix(2))
    }
}
