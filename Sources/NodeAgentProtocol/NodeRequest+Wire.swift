/// The request grammar (after `TBREQ/2 <id> <kind>`; the last field is always the payload length):
///
///     hello                                                         0
///     run   <netns> <timeout-µs|-> <stop:0|1> <queries|->          <script-length>  + script bytes
///     ping  <netns> <count> <timeout-ms> <address[,address…]>        0
///
/// `netns` is `default` or `ns:NAME` (`NetnsField`), so no namespace name can stand for "none".
///
/// `queries` is `StateQuery` tokens joined by `,`. Because the payload length is always last, the agent can
/// skip the payload of a request it does not understand and stay in step.
extension NodeRequest {
    static let maximumPingAddresses = 512
    static let maximumPingCount = 100_000

    /// The header fields after the kind (without the length) and the payload.
    /// - Throws: `FrameError` (`invalidRequest`) for anything that cannot be sent safely.
    func wireFields() throws(FrameError) -> (fields: [String], payload: [UInt8]) {
        switch self {
        case .hello:
            return ([], [])
        case .run(let run):
            try run.validate()
            let timeout = run.timeout.map { String(WireFormat.microseconds($0)) } ?? "-"
            let queries = run.stateQueries.isEmpty ? "-" : run.stateQueries.map(\.description).joined(separator: ",")
            return (
                [NetnsField.encode(run.netns), timeout, run.stopAtFirstFailure ? "1" : "0", queries],
                Array(run.script.utf8)
            )
        case .ping(let ping):
            try ping.validate()
            let milliseconds = String(WireFormat.millisecondsRoundingUp(ping.timeout))
            return (
                [
                    NetnsField.encode(ping.netns), String(ping.count), milliseconds,
                    ping.addresses.joined(separator: ","),
                ], []
            )
        }
    }

    /// Rebuilds a request from its header and payload (used by fake agents and tests).
    /// - Throws: `FrameError` (`desynchronised`) when the fields do not make a valid request.
    static func decode(header: FrameHeader, payload: [UInt8]) throws(FrameError) -> NodeRequest {
        switch header.kind {
        case "hello":
            try header.expectFields(1)
            return .hello
        case "run":
            try header.expectFields(5)
            let netns = try NetnsField.decode(header.field(0), in: header)
            let timeout = try header.optionalNumber(1, "timeout", maximumDigits: 15).map { Duration.microseconds($0) }
            let queriesField = try header.field(3)
            var queries: [StateQuery] = []
            if queriesField != "-" {
                for token in queriesField.split(separator: ",", omittingEmptySubsequences: false) {
                    guard let query = StateQuery(token: token) else {
                        throw header.malformed("has an invalid state query '\(token)'")
                    }
                    queries.append(query)
                }
            }
            let run = RunRequest(
                script: String(decoding: payload, as: UTF8.self), netns: netns, timeout: timeout,
                stopAtFirstFailure: try header.flag(2, "stop at first failure"), stateQueries: queries)
            do throws(FrameError) { try run.validate() } catch {
                throw header.malformed("is not a valid run request: \(error.message)")
            }
            return .run(run)
        case "ping":
            try header.expectFields(5)
            let netns = try NetnsField.decode(header.field(0), in: header)
            let ping = PingRequest(
                addresses: try header.field(3).split(separator: ",", omittingEmptySubsequences: false).map(String.init),
                netns: netns, count: try header.number(1, "count", maximumDigits: 6),
                timeout: .milliseconds(try header.number(2, "timeout", maximumDigits: 9)))
            do throws(FrameError) { try ping.validate() } catch {
                throw header.malformed("is not a valid ping request: \(error.message)")
            }
            return .ping(ping)
        default:
            throw FrameError(
                .desynchronised, "unknown request kind '\(header.kind)' (id \(header.id))",
                excerpt: ByteExcerpt.escape(header.line), hint: "this side speaks protocol \(ProtocolVersion.current)")
        }
    }
}

extension NodeRequest.RunRequest {
    /// Checks that the request can be sent.
    /// - Throws: `FrameError` (`invalidRequest`).
    func validate() throws(FrameError) {
        if let offset = script.utf8.firstIndex(of: 0) {
            let position = script.utf8.distance(from: script.utf8.startIndex, to: offset)
            throw .invalid(
                "run request: the script contains a NUL byte at byte offset \(position); bash cannot hold NUL in "
                    + "a script", hint: "produce NUL bytes at run time instead, e.g. with printf '\\0'")
        }
        if let timeout, timeout <= .zero || WireFormat.microseconds(timeout) > 999_999_999_999_999 {
            throw .invalid(
                "run request: timeout \(timeout) is not usable", hint: "give a positive timeout, or nil for none")
        }
        for query in stateQueries { try query.validate() }
    }
}

extension NodeRequest.PingRequest {
    /// Checks that the request can be sent.
    /// - Throws: `FrameError` (`invalidRequest`).
    func validate() throws(FrameError) {
        guard (1...NodeRequest.maximumPingAddresses).contains(addresses.count) else {
            throw .invalid(
                "ping request: \(addresses.count) addresses given",
                hint: "give 1–\(NodeRequest.maximumPingAddresses) addresses; split longer lists")
        }
        for address in addresses where !AddressLiteral.isValid(address) {
            throw .invalid(
                "ping request: \"\(ByteExcerpt.escape(Array(address.utf8)))\" is not an IPv4 or IPv6 address literal",
                hint: "give addresses such as 192.0.2.1 or 2001:db8::1 (no names, no leading zeros)")
        }
        guard (1...NodeRequest.maximumPingCount).contains(count) else {
            throw .invalid(
                "ping request: count \(count) is out of range", hint: "use 1–\(NodeRequest.maximumPingCount)")
        }
        guard timeout > .zero, WireFormat.millisecondsRoundingUp(timeout) <= 999_999_999 else {
            throw .invalid("ping request: timeout \(timeout) is not usable", hint: "give a positive per-reply timeout")
        }
    }
}
