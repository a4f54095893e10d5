/// The response grammar (after `TBRES/2 <id> <kind>`); the sections follow the header line back to back:
///
///     hello   <protocol> <len-agent> <len-host> <len-kernel> <len-bash> <len-ip> <len-iptables>   6 sections
///     run     <status> <failed-line|-> <failed-status|-> <duration-µs> <timed-out:0|1>
///             <len-stdout> <len-stderr> <n> {<query> <status> <len-out> <len-err>}×n              2+2n sections
///     ping    <n> {<address> <status> <transmitted|-> <received|-> <avg-ms|->}×n                 no section
///     failure <len-message>                                                                   1 section
///
/// The `hello` layout is frozen across protocol versions, so a version mismatch can always be reported.
extension NodeResponse {
    /// The header fields after the kind, and the sections.
    /// - Throws: `FrameError` (`invalidRequest`) when a value would break the header line.
    func wireFields() throws(FrameError) -> (fields: [String], sections: [[UInt8]]) {
        switch self {
        case .hello(let info):
            let sections = [
                info.agentVersion, info.hostname, info.kernelRelease, info.bashVersion, info.iproute2Version,
                info.iptablesVersion,
            ].map { Array($0.utf8) }
            return ([String(info.protocolVersion.major)] + sections.map { String($0.count) }, sections)
        case .run(let result):
            let failedLine: String = result.failedLine.map { String($0) } ?? "-"
            let failedStatus: String = result.failedStatus.map { String($0) } ?? "-"
            var fields: [String] = [String(result.exitStatus), failedLine, failedStatus]
            fields.append(String(WireFormat.microseconds(result.duration)))
            fields.append(result.timedOut ? "1" : "0")
            fields += [String(result.stdout.count), String(result.stderr.count), String(result.stateOutputs.count)]
            var sections = [result.stdout, result.stderr]
            for output in result.stateOutputs {
                try output.query.validate()
                fields += [output.query.description, String(output.exitStatus), String(output.bytes.count)]
                fields.append(String(output.stderr.count))
                sections += [output.bytes, output.stderr]
            }
            return (fields, sections)
        case .ping(let result):
            var fields = [String(result.targets.count)]
            for target in result.targets {
                guard AddressLiteral.isValid(target.address) else {
                    throw .invalid("ping result: '\(target.address)' is not an address literal", hint: "fix the result")
                }
                fields += [
                    target.address, String(target.exitStatus), target.transmitted.map(String.init) ?? "-",
                    target.received.map(String.init) ?? "-",
                    target.averageRoundTrip.map(WireFormat.decimalMilliseconds) ?? "-",
                ]
            }
            return (fields, [])
        case .failure(let message):
            return ([String(message.utf8.count)], [Array(message.utf8)])
        }
    }

    /// The section lengths a header announces, validated against `maximum`.
    /// - Throws: `FrameError` (`desynchronised`) for an unknown kind or malformed or oversized lengths.
    static func sectionLengths(of header: FrameHeader, maximum: Int) throws(FrameError) -> [Int] {
        var positions: [Int]
        switch header.kind {
        case "hello":
            try header.expectFields(7)
            positions = Array(1...6)
        case "run":
            try header.expectFields(8, orMore: true)
            let count = try header.number(7, "query count", maximumDigits: 4)
            try header.expectFields(8 + 4 * count)
            positions = [5, 6]
            for index in 0..<count { positions += [10 + 4 * index, 11 + 4 * index] }
        case "ping":
            try header.expectFields(1, orMore: true)
            try header.expectFields(1 + 5 * (try header.number(0, "address count", maximumDigits: 4)))
            positions = []
        case "failure":
            try header.expectFields(1)
            positions = [0]
        default:
            throw FrameError(
                .desynchronised, "unknown response kind '\(header.kind)' (id \(header.id))",
                excerpt: ByteExcerpt.escape(header.line),
                hint: "the agent is not the one this testbed sends, or the stream is out of step; reconnect")
        }
        var lengths: [Int] = []
        for position in positions {
            let length = try header.number(position, "section length")
            guard length <= maximum else {
                throw header.malformed("announces a section of \(length) bytes, more than the \(maximum) allowed")
            }
            lengths.append(length)
        }
        return lengths
    }

    /// Rebuilds a response from its header and the sections `sectionLengths(of:maximum:)` announced.
    /// - Throws: `FrameError` (`desynchronised`) when a field is malformed.
    static func decode(header: FrameHeader, sections: [[UInt8]]) throws(FrameError) -> NodeResponse {
        let texts = sections.map { String(decoding: $0, as: UTF8.self) }
        switch header.kind {
        case "hello":
            return .hello(
                HelloInfo(
                    protocolVersion: ProtocolVersion(try header.number(0, "protocol version", maximumDigits: 4)),
                    agentVersion: texts[0], hostname: texts[1], kernelRelease: texts[2], bashVersion: texts[3],
                    iproute2Version: texts[4], iptablesVersion: texts[5]))
        case "run":
            var outputs: [StateOutput] = []
            for index in 0..<(sections.count - 2) / 2 {
                let token = try header.field(8 + 4 * index)
                guard let query = NodeRequest.StateQuery(token: token) else {
                    throw header.malformed("names an invalid state query '\(token)'")
                }
                outputs.append(
                    StateOutput(
                        query: query, exitStatus: try header.status(8 + 4 * index + 1, "query status"),
                        bytes: sections[2 + 2 * index], stderr: sections[3 + 2 * index]))
            }
            var result = RunResult(
                exitStatus: try header.status(0, "exit status"),
                failedLine: try header.optionalNumber(1, "failed line", maximumDigits: 9),
                failedStatus: try header.optionalNumber(2, "failed status", maximumDigits: 9).map { Int32($0) },
                stdout: sections[0], stderr: sections[1],
                duration: .microseconds(try header.number(3, "duration", maximumDigits: 15)),
                timedOut: try header.flag(4, "timed out"), stateOutputs: outputs)
            // A spilled section arrives as its tail: the header still has its whole length.
            let stdoutLength = try header.number(5, "section length")
            let stderrLength = try header.number(6, "section length")
            if stdoutLength != sections[0].count { result.stdoutByteCount = stdoutLength }
            if stderrLength != sections[1].count { result.stderrByteCount = stderrLength }
            return .run(result)
        case "ping":
            var targets: [PingResult.Target] = []
            for index in 0..<(header.fields.count - 1) / 5 {
                let base = 1 + 5 * index
                let address = String(try header.field(base))
                let average = try header.field(base + 4)
                guard AddressLiteral.isValid(address) else {
                    throw header.malformed("names a bad address '\(address)'")
                }
                var averageRoundTrip: Duration?
                if average != "-" {
                    guard let parsed = WireFormat.duration(decimalMilliseconds: average) else {
                        throw header.malformed("has an unreadable round trip '\(average)' for \(address)")
                    }
                    averageRoundTrip = parsed
                }
                targets.append(
                    PingResult.Target(
                        address: address, exitStatus: try header.status(base + 1, "ping status"),
                        transmitted: try header.optionalNumber(base + 2, "transmitted", maximumDigits: 9),
                        received: try header.optionalNumber(base + 3, "received", maximumDigits: 9),
                        averageRoundTrip: averageRoundTrip))
            }
            return .ping(PingResult(targets: targets))
        default:
            return .failure(texts[0])
        }
    }
}
