/// What the kernel does by itself when addresses, interfaces and routes change (the automatic `local`,
/// connected and broadcast routes; routes that die with their device or preferred source), and the route
/// lookups it makes to validate a new route. Verified against Linux 6.18 (see the StateModel integration
/// tests).
extension NamespaceState {
    // MARK: Addresses

    /// Adds an address as `ip address add` does; false when the interface already has it with that prefix
    /// length ("Address already assigned").
    mutating func addAddress(_ new: InterfaceAddress, to device: String) -> Bool {
        guard let linkIndex = linkIndex(named: device) else { return false }
        var address = InterfaceAddress(address: new.address, prefixLength: new.prefixLength)
        for existing in links[linkIndex].addresses
        where existing.prefixLength == new.prefixLength && existing.prefix.network == new.prefix.network {
            if existing.address == new.address { return false }
            address.isSecondary = true
        }
        links[linkIndex].addresses.append(address)
        installKernelRoutes(for: address, on: links[linkIndex])
        return true
    }

    /// The primary address of the subnet a secondary belongs to (the address itself when primary).
    func primary(of address: InterfaceAddress, on link: Link) -> InterfaceAddress {
        guard address.isSecondary else { return address }
        return link.addresses.first {
            !$0.isSecondary && $0.prefixLength == address.prefixLength && $0.prefix.network == address.prefix.network
        } ?? address
    }

    /// The `local` route, and when the interface is up the connected and broadcast routes, of an address.
    func kernelRoutes(for address: InterfaceAddress, on link: Link) -> [Route] {
        let primary = primary(of: address, on: link)
        var routes = [
            Route(
                table: RouteTable.local, kind: .local, destination: IPPrefix(address: address.address, length: 32),
                device: link.name, preferredSource: primary.address, scope: .host, routingProtocol: .kernel)
        ]
        guard link.isUp, !address.isSecondary, address.prefixLength < 32, case .v4(let value) = address.address else {
            return routes
        }
        let network = address.prefix.network
        if link.isLoopback {
            routes.append(
                Route(
                    table: RouteTable.local, kind: .local, destination: network, device: link.name,
                    preferredSource: address.address, scope: .host, routingProtocol: .kernel))
        } else {
            routes.append(
                Route(
                    table: RouteTable.main, kind: .unicast, destination: network, device: link.name,
                    preferredSource: address.address, scope: .link, routingProtocol: .kernel))
        }
        if address.prefixLength < 31 {
            let mask: UInt32 = ~UInt32(0) << (32 - address.prefixLength)
            routes.append(
                Route(
                    table: RouteTable.local, kind: .broadcast,
                    destination: IPPrefix(address: .v4((value & mask) | ~mask), length: 32), device: link.name,
                    preferredSource: address.address, scope: .link, routingProtocol: .kernel))
        }
        return routes
    }

    mutating func installKernelRoutes(for address: InterfaceAddress, on link: Link) {
        for route in kernelRoutes(for: address, on: link) where !routes.contains(route) {
            _ = writeRoute(route, mode: .append)
        }
    }

    /// Deletes an address and what the kernel deletes with it: its secondaries (promote_secondaries is off
    /// by default), their automatic routes, and main-table routes whose preferred source it was once no
    /// interface has it any more.
    mutating func deleteAddress(linkIndex: Int, addressIndex: Int) {
        let link = links[linkIndex]
        let removed = link.addresses[addressIndex]
        var gone = [removed]
        if !removed.isSecondary {
            gone += link.addresses.filter {
                $0.isSecondary && $0.prefixLength == removed.prefixLength && $0.prefix.network == removed.prefix.network
            }
        }
        let doomedRoutes = gone.flatMap { address in
            var routes = kernelRoutes(for: address, on: link)
            // Routes made while the interface was up stay listed even if it is down now.
            var upLink = link
            upLink.isUp = true
            routes += kernelRoutes(for: address, on: upLink)
            return routes
        }
        links[linkIndex].addresses.removeAll { gone.contains($0) }
        let remaining = links[linkIndex].addresses
        let stillNeeded = remaining.flatMap { kernelRoutes(for: $0, on: links[linkIndex]) }
        // Another address of the interface may still need the same automatic route.
        routes.removeAll { doomedRoutes.contains($0) && !stillNeeded.contains($0) }
        for address in gone where !hasLocalAddress(address.address) {
            routes.removeAll { $0.table == RouteTable.main && $0.preferredSource == address.address }
        }
    }

    // MARK: Interfaces

    /// `ip link set NAME up|down` and what the kernel does with routes: up adds the connected and broadcast
    /// routes of its addresses; down removes every route through the interface except `local` ones.
    mutating func setLink(_ name: String, up: Bool) {
        guard let index = linkIndex(named: name), links[index].isUp != up else { return }
        links[index].isUp = up
        if up {
            // The kernel gives loopback 127.0.0.1/8 each time it comes up (a no-op when it has it).
            if links[index].isLoopback, let loopback = IPAddress("127.0.0.1") {
                _ = addAddress(InterfaceAddress(address: loopback, prefixLength: 8), to: name)
            }
            for address in links[index].addresses { installKernelRoutes(for: address, on: links[index]) }
        } else {
            routes.removeAll { $0.device == name && $0.kind != .local }
        }
    }

    /// Takes an interface out of the namespace (deleted, or moved to another one): its routes, addresses
    /// and per-interface sysctls go; main-table routes preferring one of its addresses go too.
    mutating func detachLink(at index: Int) -> Link {
        let link = links.remove(at: index)
        routes.removeAll { $0.device == link.name }
        for address in link.addresses where !hasLocalAddress(address.address) {
            routes.removeAll { $0.table == RouteTable.main && $0.preferredSource == address.address }
        }
        let prefix = "net.ipv4.conf.\(link.name)."
        sysctls = sysctls.filter { !$0.key.hasPrefix(prefix) }
        var detached = link
        detached.isUp = false
        detached.addresses = []
        return detached
    }

    /// Renames an interface; routes and sysctls follow it.
    mutating func renameLink(at index: Int, to newName: String) {
        let old = links[index].name
        links[index].name = newName
        for routeIndex in routes.indices where routes[routeIndex].device == old { routes[routeIndex].device = newName }
        let prefix = "net.ipv4.conf.\(old)."
        for (key, value) in sysctls where key.hasPrefix(prefix) {
            sysctls[key] = nil
            sysctls["net.ipv4.conf.\(newName)." + key.dropFirst(prefix.count)] = value
        }
    }

    // MARK: Routes

    /// How a route is written (`ip route add` and friends), as netlink flags.
    enum RouteWriteMode {
        /// `add`: create, fail when the key exists.
        case add
        /// `change`: replace the first route of the key, fail when there is none.
        case change
        /// `replace`: replace or create.
        case replace
        /// `append`: create after the routes of the same key.
        case append
        /// `prepend`: create before them.
        case prepend
    }

    enum RouteWriteResult { case written, exists, missing }

    /// Writes a route the way `fib_table_insert` does.
    mutating func writeRoute(_ route: Route, mode: RouteWriteMode) -> RouteWriteResult {
        let same = routes.indices.filter { routes[$0].key == route.key }
        if let first = same.first {
            if mode == .add { return .exists }
            let identical = same.first { routes[$0] == route }
            switch mode {
            case .change, .replace:
                if let identical { return identical == first ? .written : .exists }
                routes[first] = route
            case .append:
                if identical != nil { return .exists }
                routes.insert(route, at: (same.last ?? first) + 1)
            case .prepend:
                if identical != nil { return .exists }
                routes.insert(route, at: first)
            case .add:
                return .exists
            }
            kernelTables.insert(route.table)
            return .written
        }
        if mode == .change { return .missing }
        let position =
            routes.indices.first {
                routes[$0].table == route.table && routes[$0].destination == route.destination
                    && routes[$0].metric > route.metric
            } ?? routes.count
        routes.insert(route, at: position)
        kernelTables.insert(route.table)
        return .written
    }

    /// The longest-prefix route of a table containing `address` among those with at least `scope` and, when
    /// given, through `device` (how `fib_table_lookup` filters).
    func lookup(_ address: IPAddress, table: UInt32, minimumScope: RouteScope, device: String?) -> Route? {
        var best: Route?
        for route in routes where route.table == table && route.destination.contains(address) {
            if route.scope < minimumScope { continue }
            if let device, route.device != device, !route.kind.isReject { continue }
            if let current = best, current.destination.length >= route.destination.length { continue }
            best = route
        }
        return best
    }

    /// The route the kernel finds for a new route's gateway (`fib_check_nh_v4_gw`): first in the route's own
    /// table (unless main), then through the policy rules; nil when nothing suitable answers.
    func gatewayRoute(for gateway: IPAddress, device: String?, table: UInt32, routeScope: RouteScope) -> Route? {
        let minimum = RouteScope(rawValue: max(RouteScope.link.rawValue, routeScope.rawValue &+ 1))
        if table != RouteTable.main, table != RouteTable.unspec,
            let found = lookup(gateway, table: table, minimumScope: minimum, device: device)
        {
            return found
        }
        for rule in rules {
            var matches = true
            if let source = rule.source, source.length > 0, source.network.address != .v4(0) { matches = false }
            if let destination = rule.destination, !destination.contains(gateway) { matches = false }
            if rule.fwmark != nil { matches = false }
            if let input = rule.inputInterface, input != "lo" { matches = false }
            if let output = rule.outputInterface, output != device { matches = false }
            if rule.isInverted { matches.toggle() }
            guard matches else { continue }
            switch rule.action {
            case .lookup(let table):
                if let found = lookup(gateway, table: table, minimumScope: minimum, device: device) { return found }
            case .blackhole, .unreachable, .prohibit:
                return nil
            case .nop, .goto:
                continue
            }
        }
        return nil
    }

    /// Whether `address` is local for a route of `table` (`fib_valid_prefsrc`).
    func isValidPreferredSource(_ address: IPAddress, table: UInt32) -> Bool {
        let first = table == RouteTable.main ? RouteTable.local : table
        if lookup(address, table: first, minimumScope: .universe, device: nil)?.kind == .local { return true }
        return lookup(address, table: RouteTable.local, minimumScope: .universe, device: nil)?.kind == .local
    }

    // MARK: Rules

    /// The priority the kernel gives a rule added without one (`fib_default_rule_pref`): one less than the
    /// priority of the second rule in the list when that is not 0, else 0. With the default rules this is
    /// 32765, then 32764, … (verified on Linux 6.18, including the 0 case).
    var defaultRulePriority: UInt32 {
        guard rules.count >= 2, rules[1].priority != 0 else { return 0 }
        return rules[1].priority - 1
    }

    /// Inserts a rule after every rule of lower or equal priority.
    mutating func insertRule(_ rule: PolicyRule) {
        let position = rules.firstIndex { $0.priority > rule.priority } ?? rules.count
        rules.insert(rule, at: position)
    }
}
