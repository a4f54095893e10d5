/// The words of `ip route add|change|replace|append|prepend|del` read into `RouteArguments`, left to right
/// as iproute2 reads them: the first word ip refuses stops the reading with ip's message, so of two bad
/// words the earlier one is reported, before anything reaches the kernel.
extension CommandInterpreter {
    /// What one route command gives; nil where it gives nothing.
    struct RouteArguments {
        var kind: RouteKind?
        var destination: IPPrefix?
        var gateway: IPAddress?
        var device: String?
        var source: IPAddress?
        var table: UInt32?
        var metric: UInt32?
        var routingProtocol: RouteProtocol?
        var scope: RouteScope?
        var onlink = false

        /// ` (of type blackhole via 10.0.0.1 dev eth1 src 10.0.0.2)` with its leading space, for a `del` that
        /// found nothing; empty when none of these was given.
        var describeSelectors: String {
            var parts: [String] = []
            if let kind { parts.append("of type \(kind.rawValue)") }
            if let gateway { parts.append("via \(gateway)") }
            if let device { parts.append("dev \(device)") }
            if let source { parts.append("src \(source)") }
            return parts.isEmpty ? "" : " (" + parts.joined(separator: " ") + ")"
        }
    }

    /// Reads the words after the verb.
    func readRouteArguments(_ words: [String], key: String) throws(CommandOutcomeBox) -> RouteArguments {
        var arguments = RouteArguments()
        var cursor = WordCursor(words)
        let scope = UnknownScope.aspects([.routes], namespace: name(key))
        while let word = cursor.current {
            try readRouteOption(word, from: &cursor, into: &arguments, scope: scope)
            cursor.advance()
        }
        return arguments
    }

    /// Reads one option (and its value, leaving the cursor on it).
    func readRouteOption(
        _ word: String, from cursor: inout WordCursor, into arguments: inout RouteArguments, scope: UnknownScope
    ) throws(CommandOutcomeBox) {
        switch word {
        case "via": arguments.gateway = try readGateway(from: &cursor, scope: scope)
        case "dev", "oif": arguments.device = cursor.next()
        case "src": arguments.source = try readSource(cursor.next(), scope: scope)
        case "metric", "priority", "preference": arguments.metric = try readMetric(cursor.next())
        case "proto", "protocol": arguments.routingProtocol = try readProtocol(cursor.next())
        case "scope": arguments.scope = try readScope(cursor.next())
        case "table", "lookup", "tab", "tabl": arguments.table = try readRouteTable(cursor.next(), scope: scope)
        case "onlink": arguments.onlink = true
        case "tos", "dsfield", "dscp":
            guard let value = cursor.next(), RTTablesFile.parseNumber(value) == 0 else {
                throw CommandOutcomeBox(notModelled("route TOS", scope: scope))
            }
        case "to": break
        default: try readKindOrDestination(word, into: &arguments, scope: scope)
        }
    }

    /// `via [inet] ADDRESS`: an IPv4 gateway.
    func readGateway(from cursor: inout WordCursor, scope: UnknownScope) throws(CommandOutcomeBox) -> IPAddress {
        guard var value = cursor.next() else {
            throw CommandOutcomeBox(notModelled("via without address", scope: scope))
        }
        if value == "inet" { value = cursor.next() ?? "" }
        guard let address = IPAddress(value), address.isV4 else {
            throw CommandOutcomeBox(notModelled("gateway \(value)", scope: scope))
        }
        return address
    }

    /// `src ADDRESS`: an IPv4 preferred source.
    func readSource(_ value: String?, scope: UnknownScope) throws(CommandOutcomeBox) -> IPAddress {
        guard let value else {
            throw CommandOutcomeBox(
                failure("src without an address", "Command line is not complete. Try option \"help\"", status: 255))
        }
        guard let address = IPAddress(value), address.isV4 else {
            throw CommandOutcomeBox(notModelled("src \(value)", scope: scope))
        }
        return address
    }

    func readMetric(_ value: String?) throws(CommandOutcomeBox) -> UInt32 {
        guard let value, let metric = UInt32(value) else {
            throw CommandOutcomeBox(failure("bad metric", "Error: \"metric\" value is invalid", status: 255))
        }
        return metric
    }

    func readProtocol(_ value: String?) throws(CommandOutcomeBox) -> RouteProtocol {
        guard let value, let routingProtocol = RouteProtocol(name: value) else {
            throw CommandOutcomeBox(failure("bad protocol", "Error: \"protocol\" value is invalid", status: 255))
        }
        return routingProtocol
    }

    func readScope(_ value: String?) throws(CommandOutcomeBox) -> RouteScope {
        guard let value, let routeScope = RouteScope(name: value) else {
            throw CommandOutcomeBox(failure("bad scope", "Error: invalid \"scope\" value", status: 255))
        }
        return routeScope
    }

    /// `table NAME|NUMBER`, resolved through rt_tables as ip resolves it; table 0 is main.
    func readRouteTable(_ value: String?, scope: UnknownScope) throws(CommandOutcomeBox) -> UInt32 {
        guard let value else { throw CommandOutcomeBox(notModelled("table without name", scope: scope)) }
        if state.unknown.contains(.rtTables) && RTTablesFile.parseNumber(value) == nil {
            throw CommandOutcomeBox(notModelled("table \(value) (rt_tables unknown)", scope: scope))
        }
        guard let table = resolveTable(value) else {
            throw CommandOutcomeBox(
                failure(
                    "table \(value) is not in /etc/iproute2/rt_tables",
                    "Error: argument \"\(value)\" is wrong: \"table\" value is invalid", status: 255,
                    missing: .tableName(value)))
        }
        return table == 0 ? RouteTable.main : table
    }

    /// A word that is not an option: the route type (before the destination), then the destination.
    func readKindOrDestination(_ word: String, into arguments: inout RouteArguments, scope: UnknownScope)
        throws(CommandOutcomeBox)
    {
        if arguments.kind == nil, arguments.destination == nil, let kind = RouteKind(rawValue: word) {
            arguments.kind = kind
            return
        }
        guard arguments.destination == nil else {
            throw CommandOutcomeBox(notModelled("ip route option '\(word)'", scope: scope))
        }
        if ["default", "all", "any"].contains(word) {
            arguments.destination = IPPrefix("0.0.0.0/0")
        } else if let prefix = IPPrefix(word), prefix.address.isV4 {
            arguments.destination = prefix
        } else if IPPrefix(word) != nil {
            throw CommandOutcomeBox(notModelled("IPv6 route", scope: .nothing))
        } else {
            throw CommandOutcomeBox(
                failure(
                    "'\(word)' is not a prefix", "Error: any valid prefix is expected rather than \"\(word)\".",
                    status: 1))
        }
    }
}
