/// `ip route add|change|replace|append|prepend|del|flush` with the kernel's checks, in the kernel's order:
/// prefix, next hop (device up, gateway reachable on link), preferred source, then the route's existence.
extension CommandInterpreter {
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
    }

    enum RouteVerb {
        case write(NamespaceState.RouteWriteMode)
        case delete, flush, readOnly
    }

    static func routeVerb(_ word: String) -> RouteVerb? {
        if matches(word, "add") { return .write(.add) }
        if matches(word, "change") || word == "chg" { return .write(.change) }
        if matches(word, "replace") { return .write(.replace) }
        if matches(word, "prepend") { return .write(.prepend) }
        if matches(word, "append") { return .write(.append) }
        if matches(word, "delete") { return .delete }
        if matches(word, "list") || matches(word, "show") || matches(word, "lst") || matches(word, "get") {
            return .readOnly
        }
        if matches(word, "flush") { return .flush }
        return nil
    }

    mutating func runRoute(_ words: [String], key: String) -> CommandOutcome {
        guard let verbWord = words.first else { return .success }
        guard let verb = Self.routeVerb(verbWord) else {
            return notModelled("ip route \(verbWord)", scope: .aspects([.routes], namespace: name(key)))
        }
        let rest = Array(words.dropFirst())
        switch verb {
        case .readOnly: return .success
        case .flush: return flushRoutes(rest, key: key)
        case .write, .delete: break
        }
        let parsed: RouteArguments
        switch parseRouteArguments(rest, key: key) {
        case .success(let value): parsed = value
        case .failure(let box): return box.outcome
        }
        guard let namespace = state.namespaces[key] else { return .success }
        if namespace.unknown.contains(.routes) || namespace.unknown.contains(.links)
            || namespace.unknown.contains(.addresses)
        {
            state.namespaces[key]?.unknown.formUnion([.routes])
            return .success
        }
        if let device = parsed.device, namespace.link(named: device) == nil {
            return failure(
                "device \(device) does not exist in \(label(key))", "Cannot find device \"\(device)\"", status: 1,
                missing: .device(namespace: name(key), name: device))
        }
        guard let destination = parsed.destination else {
            return failure("no destination given", "Error: any valid prefix is expected", status: 1)
        }
        if destination.network.address != destination.address {
            return failure(
                "\(destination.withLength) has host bits set", "Error: Invalid prefix for given prefix length.")
        }
        if case .delete = verb { return deleteRoute(parsed, destination: destination, key: key) }
        guard case .write(let mode) = verb else { return .success }
        return writeRoute(parsed, destination: destination, mode: mode, key: key)
    }

    func parseRouteArguments(_ words: [String], key: String) -> Result<RouteArguments, CommandOutcomeBox> {
        var parsed = RouteArguments()
        var index = 0
        func next() -> String? {
            index += 1
            return index < words.count ? words[index] : nil
        }
        let scope = UnknownScope.aspects([.routes], namespace: name(key))
        while index < words.count {
            let word = words[index]
            switch word {
            case "via":
                guard var value = next() else {
                    return .failure(CommandOutcomeBox(notModelled("via without address", scope: scope)))
                }
                if value == "inet" { value = next() ?? "" }
                guard let address = IPAddress(value), address.isV4 else {
                    return .failure(CommandOutcomeBox(notModelled("gateway \(value)", scope: scope)))
                }
                parsed.gateway = address
            case "dev", "oif":
                parsed.device = next()
            case "src":
                guard let value = next() else {
                    return .failure(
                        CommandOutcomeBox(
                            failure(
                                "src without an address", "Command line is not complete. Try option \"help\"",
                                status: 255)))
                }
                guard let address = IPAddress(value), address.isV4 else {
                    return .failure(CommandOutcomeBox(notModelled("src \(value)", scope: scope)))
                }
                parsed.source = address
            case "metric", "priority", "preference":
                guard let value = next(), let metric = UInt32(value) else {
                    return .failure(
                        CommandOutcomeBox(failure("bad metric", "Error: \"metric\" value is invalid", status: 255)))
                }
                parsed.metric = metric
            case "proto", "protocol":
                guard let value = next(), let routingProtocol = RouteProtocol(name: value) else {
                    return .failure(
                        CommandOutcomeBox(failure("bad protocol", "Error: \"protocol\" value is invalid", status: 255)))
                }
                parsed.routingProtocol = routingProtocol
            case "scope":
                guard let value = next(), let routeScope = RouteScope(name: value) else {
                    return .failure(
                        CommandOutcomeBox(failure("bad scope", "Error: invalid \"scope\" value", status: 255)))
                }
                parsed.scope = routeScope
            case "table", "lookup", "tab", "tabl":
                guard let value = next() else {
                    return .failure(CommandOutcomeBox(notModelled("table without name", scope: scope)))
                }
                if state.unknown.contains(.rtTables) && RTTablesFile.parseNumber(value) == nil {
                    return .failure(CommandOutcomeBox(notModelled("table \(value) (rt_tables unknown)", scope: scope)))
                }
                guard let table = resolveTable(value) else {
                    return .failure(
                        CommandOutcomeBox(
                            failure(
                                "table \(value) is not in /etc/iproute2/rt_tables",
                                "Error: argument \"\(value)\" is wrong: \"table\" value is invalid", status: 255,
                                missing: .tableName(value))))
                }
                parsed.table = table == 0 ? RouteTable.main : table
            case "onlink":
                parsed.onlink = true
            case "tos", "dsfield", "dscp":
                guard let value = next(), RTTablesFile.parseNumber(value) == 0 else {
                    return .failure(CommandOutcomeBox(notModelled("route TOS", scope: scope)))
                }
            case "to":
                break
            default:
                if parsed.kind == nil, parsed.destination == nil, let kind = RouteKind(rawValue: word) {
                    parsed.kind = kind
                } else if parsed.destination == nil {
                    if ["default", "all", "any"].contains(word) {
                        parsed.destination = IPPrefix("0.0.0.0/0")
                    } else if let prefix = IPPrefix(word), prefix.address.isV4 {
                        parsed.destination = prefix
                    } else if IPPrefix(word) != nil {
                        return .failure(CommandOutcomeBox(notModelled("IPv6 route", scope: .nothing)))
                    } else {
                        return .failure(
                            CommandOutcomeBox(
                                failure(
                                    "'\(word)' is not a prefix",
                                    "Error: any valid prefix is expected rather than \"\(word)\".",
                                    status: 1)))
                    }
                } else {
                    return .failure(CommandOutcomeBox(notModelled("ip route option '\(word)'", scope: scope)))
                }
            }
            index += 1
        }
        return .success(parsed)
    }

    mutating func writeRoute(
        _ parsed: RouteArguments, destination: IPPrefix, mode: NamespaceState.RouteWriteMode, key: String
    )
        -> CommandOutcome
    {
        guard var namespace = state.namespaces[key] else { return .success }
        let kind = parsed.kind ?? .unicast
        let defaultTable = [.local, .broadcast, .nat, .anycast].contains(kind) ? RouteTable.local : RouteTable.main
        let table = parsed.table ?? defaultTable
        guard [.unicast, .unreachable, .blackhole, .prohibit, .throw].contains(kind) else {
            return notModelled("route type \(kind.rawValue)", scope: .aspects([.routes], namespace: name(key)))
        }
        // Writing reaches the kernel, which creates the table even if the write then fails.
        state.namespaces[key]?.kernelTables.insert(table)
        namespace.kernelTables.insert(table)
        var scope = parsed.scope ?? .universe
        if parsed.scope == nil && kind == .unicast && parsed.gateway == nil { scope = .link }
        var route = Route(
            table: table, kind: kind, destination: destination, gateway: parsed.gateway, device: parsed.device,
            preferredSource: parsed.source, scope: scope, routingProtocol: parsed.routingProtocol ?? .boot,
            metric: parsed.metric ?? 0)
        let tableText = "\(describe(table: table)) of \(label(key))"
        if kind.isReject {
            if parsed.gateway != nil || parsed.device != nil {
                return failure(
                    "a \(kind.rawValue) route takes no gateway or device",
                    "Error: Gateway, device and multipath can not be specified for this route type.")
            }
        } else if let gateway = parsed.gateway {
            if parsed.onlink {
                guard let device = parsed.device, let link = namespace.link(named: device) else {
                    return failure("onlink needs a device", "Error: Nexthop device required for onlink.")
                }
                if !link.isUp { return failure("device \(device) is down", "Error: Nexthop device is not up.") }
            } else {
                guard
                    let found = namespace.gatewayRoute(
                        for: gateway, device: parsed.device, table: table, routeScope: scope),
                    found.kind == .unicast || found.kind == .local
                else {
                    let through = parsed.device.map { " through \($0)" } ?? ""
                    return failure(
                        "gateway \(gateway) is not reachable on link\(through) in \(label(key)) (no link-scope route or local address covers it)",
                        "Error: Nexthop has invalid gateway.",
                        missing: .gatewayRoute(namespace: name(key), gateway: gateway, device: parsed.device))
                }
                if route.device == nil { route.device = found.device }
                if let device = route.device, namespace.link(named: device)?.isUp == false {
                    return failure("device \(device) is down", "RTNETLINK answers: Network is down")
                }
            }
        } else {
            guard let device = parsed.device, let link = namespace.link(named: device) else {
                return failure("a unicast route needs a device or a gateway", "Error: Device for nexthop is not up.")
            }
            if !link.isUp {
                return failure("device \(device) is down in \(label(key))", "Error: Device for nexthop is not up.")
            }
        }
        if let source = parsed.source, !namespace.isValidPreferredSource(source, table: table) {
            return failure(
                "src \(source) is not a local address of \(label(key))", "Error: Invalid prefsrc address.",
                missing: .localAddress(namespace: name(key), address: source, device: route.device))
        }
        let existing = namespace.routes.first { $0.key == route.key }
        switch namespace.writeRoute(route, mode: mode) {
        case .written:
            state.namespaces[key] = namespace
            return .success
        case .exists:
            let found = existing.map { ": \($0)" } ?? ""
            return failure(
                "route \(destination) already exists in \(tableText)\(found)", "RTNETLINK answers: File exists")
        case .missing:
            var prior = route
            prior.kind = .unreachable
            prior.gateway = nil
            prior.device = nil
            prior.preferredSource = nil
            prior.scope = .universe
            return failure(
                "route \(destination) does not exist in \(tableText)",
                "RTNETLINK answers: No such file or directory", missing: .route(namespace: name(key), route: prior))
        }
    }

    mutating func deleteRoute(_ parsed: RouteArguments, destination: IPPrefix, key: String) -> CommandOutcome {
        guard var namespace = state.namespaces[key] else { return .success }
        let table = parsed.table ?? RouteTable.main
        let candidates = namespace.routes.indices.filter {
            let route = namespace.routes[$0]
            return route.table == table && route.destination == destination.network
                && (parsed.kind == nil || route.kind == parsed.kind)
                && (parsed.scope == nil || route.scope == parsed.scope)
                && (parsed.source == nil || route.preferredSource == parsed.source)
                && (parsed.routingProtocol == nil || parsed.routingProtocol == .unspec
                    || route.routingProtocol == parsed.routingProtocol)
                && (parsed.metric == nil || parsed.metric == 0 || route.metric == parsed.metric)
                && (parsed.device == nil || route.device == parsed.device)
                && (parsed.gateway == nil || route.gateway == parsed.gateway)
        }
        let sorted = candidates.sorted { namespace.routes[$0].metric < namespace.routes[$1].metric }
        guard let index = sorted.first else {
            if namespace.tableExists(table) == false {
                return failure(
                    "\(describe(table: table)) does not exist in \(label(key))", "Error: FIB table does not exist.",
                    missing: .route(
                        namespace: name(key), route: priorRoute(parsed, destination: destination, table: table)))
            }
            return failure(
                "no route \(destination) \(parsed.describeSelectors) in \(describe(table: table)) of \(label(key))",
                "RTNETLINK answers: No such process",
                missing: .route(namespace: name(key), route: priorRoute(parsed, destination: destination, table: table))
            )
        }
        namespace.routes.remove(at: index)
        state.namespaces[key] = namespace
        return .success
    }

    /// A plausible route for a `del` that found none: what its selectors describe, else unreachable.
    func priorRoute(_ parsed: RouteArguments, destination: IPPrefix, table: UInt32) -> Route {
        if parsed.device != nil || parsed.gateway != nil {
            return Route(
                table: table, kind: parsed.kind ?? .unicast, destination: destination, gateway: parsed.gateway,
                device: parsed.device, preferredSource: parsed.source,
                scope: parsed.scope ?? (parsed.gateway == nil ? .link : .universe),
                routingProtocol: parsed.routingProtocol ?? .boot, metric: parsed.metric ?? 0)
        }
        return Route(
            table: table, kind: parsed.kind ?? .unreachable, destination: destination, metric: parsed.metric ?? 0)
    }

    mutating func flushRoutes(_ words: [String], key: String) -> CommandOutcome {
        if words == ["cache"] { return .success }
        guard words.count == 2, ["table", "lookup", "tab"].contains(words[0]) else {
            return notModelled(
                "ip route flush \(words.joined(separator: " "))", scope: .aspects([.routes], namespace: name(key)))
        }
        if state.unknown.contains(.rtTables) && RTTablesFile.parseNumber(words[1]) == nil {
            state.namespaces[key]?.unknown.insert(.routes)
            return .success
        }
        guard let table = resolveTable(words[1]) else {
            return failure(
                "table \(words[1]) is not in /etc/iproute2/rt_tables",
                "Error: argument \"\(words[1])\" is wrong: table id value is invalid", status: 255,
                missing: .tableName(words[1]))
        }
        guard let namespace = state.namespaces[key] else { return .success }
        if namespace.tableExists(table) == false {
            return failure(
                "\(describe(table: table)) does not exist in the kernel of \(label(key)) (no route was ever written to it)",
                "Error: ipv4: FIB table does not exist.", missing: .kernelTable(namespace: name(key), table: table))
        }
        state.namespaces[key]?.routes.removeAll { $0.table == table }
        return .success
    }
}

extension CommandInterpreter.RouteArguments {
    var describeSelectors: String {
        var parts: [String] = []
        if let kind { parts.append("of type \(kind.rawValue)") }
        if let gateway { parts.append("via \(gateway)") }
        if let device { parts.append("dev \(device)") }
        if let source { parts.append("src \(source)") }
        return parts.isEmpty ? "" : "(" + parts.joined(separator: " ") + ")"
    }
}

/// Carries an outcome through `Result`'s failure side.
struct CommandOutcomeBox: Error {
    let outcome: CommandOutcome
    init(_ outcome: CommandOutcome) { self.outcome = outcome }
}
