/// `ip route add|change|replace|append|prepend|del|flush` with the kernel's checks, in the kernel's order:
/// prefix, next hop (device up, gateway reachable on link), preferred source, then the route's existence.
extension CommandInterpreter {
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
        do {
            parsed = try readRouteArguments(rest, key: key)
        } catch {
            return error.outcome
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

    /// The route types the model writes; a write of another type (local, broadcast, …) is not modelled.
    static let writableKinds: Set<RouteKind> = [.unicast, .unreachable, .blackhole, .prohibit, .throw]

    /// `add`, `change`, `replace`, `append`, `prepend`, checked in the kernel's order: the next hop and the
    /// preferred source (`fib_create_info`), then the write (`fib_table_insert`).
    mutating func writeRoute(
        _ parsed: RouteArguments, destination: IPPrefix, mode: NamespaceState.RouteWriteMode, key: String
    ) -> CommandOutcome {
        guard var namespace = state.namespaces[key] else { return .success }
        let kind = parsed.kind ?? .unicast
        let defaultTable = [.local, .broadcast, .nat, .anycast].contains(kind) ? RouteTable.local : RouteTable.main
        let table = parsed.table ?? defaultTable
        guard Self.writableKinds.contains(kind) else {
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
        if let failure = checkNextHop(of: &route, parsed, in: namespace, key: key) { return failure }
        if let source = parsed.source, !namespace.isValidPreferredSource(source, table: table) {
            return failure(
                "src \(source) is not a local address of \(label(key))", "Error: Invalid prefsrc address.",
                missing: .localAddress(namespace: name(key), address: source, device: route.device))
        }
        return commit(route, mode: mode, into: namespace, key: key)
    }

    /// The kernel's next-hop checks (`fib_check_nh`); the device a gateway's route gives is filled in.
    /// Nil when the next hop is fine.
    func checkNextHop(of route: inout Route, _ parsed: RouteArguments, in namespace: NamespaceState, key: String)
        -> CommandOutcome?
    {
        if route.kind.isReject {
            guard parsed.gateway == nil && parsed.device == nil else {
                return failure(
                    "a \(route.kind.rawValue) route takes no gateway or device",
                    "Error: Gateway, device and multipath can not be specified for this route type.")
            }
            return nil
        }
        if let gateway = parsed.gateway {
            if parsed.onlink { return checkOnlinkDevice(parsed.device, in: namespace) }
            return checkGateway(gateway, of: &route, parsed, in: namespace, key: key)
        }
        guard let device = parsed.device, let link = namespace.link(named: device) else {
            return failure("a unicast route needs a device or a gateway", "Error: Device for nexthop is not up.")
        }
        if !link.isUp {
            return failure("device \(device) is down in \(label(key))", "Error: Device for nexthop is not up.")
        }
        return nil
    }

    /// `via GATEWAY onlink`: the device must be given and up; the gateway is not looked up.
    func checkOnlinkDevice(_ device: String?, in namespace: NamespaceState) -> CommandOutcome? {
        guard let device, let link = namespace.link(named: device) else {
            return failure("onlink needs a device", "Error: Nexthop device required for onlink.")
        }
        return link.isUp ? nil : failure("device \(device) is down", "Error: Nexthop device is not up.")
    }

    /// `via GATEWAY`: a unicast or local route must reach the gateway, through the device when one is given
    /// (`fib_check_nh_v4_gw`); the route's device is the one that answers, and must be up.
    func checkGateway(
        _ gateway: IPAddress, of route: inout Route, _ parsed: RouteArguments, in namespace: NamespaceState,
        key: String
    ) -> CommandOutcome? {
        guard
            let found = namespace.gatewayRoute(
                for: gateway, device: parsed.device, table: route.table, routeScope: route.scope),
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
        return nil
    }

    /// Writes a checked route; the route's key decides whether it exists.
    mutating func commit(
        _ route: Route, mode: NamespaceState.RouteWriteMode, into namespace: NamespaceState, key: String
    ) -> CommandOutcome {
        var namespace = namespace
        let tableText = "\(describe(table: route.table)) of \(label(key))"
        let existing = namespace.routes.first { $0.key == route.key }
        switch namespace.writeRoute(route, mode: mode) {
        case .written:
            state.namespaces[key] = namespace
            return .success
        case .exists:
            let found = existing.map { ": \($0)" } ?? ""
            return failure(
                "route \(route.destination) already exists in \(tableText)\(found)", "RTNETLINK answers: File exists")
        case .missing:
            var prior = route
            prior.kind = .unreachable
            prior.gateway = nil
            prior.device = nil
            prior.preferredSource = nil
            prior.scope = .universe
            return failure(
                "route \(route.destination) does not exist in \(tableText)",
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
                "no route \(destination)\(parsed.describeSelectors) in \(describe(table: table)) of \(label(key))",
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
        // After a route, address or link command the model does not know, the table may exist: the flush is
        // not predicted to fail (the table is empty after it either way).
        let mayExist = !namespace.unknown.isDisjoint(with: [.routes, .links, .addresses])
        if !mayExist, namespace.tableExists(table) == false {
            return failure(
                "\(describe(table: table)) does not exist in the kernel of \(label(key)) (no route was ever written to it)",
                "Error: ipv4: FIB table does not exist.", missing: .kernelTable(namespace: name(key), table: table))
        }
        state.namespaces[key]?.routes.removeAll { $0.table == table }
        return .success
    }
}
