extension GeneratorRun {
    /// Merges every other network into the main one (system 1's), one neighbour at a time: a single node
    /// takes a free position next to its neighbour (or, now and then, the neighbour's own position through a
    /// migration path), a small network enters as a g-node; in between come migrations, late arcs and
    /// dismissals.
    mutating func growMainNetwork() {
        var stuck: Set<Int> = []
        while true {
            let candidates = (0..<count).flatMap { x in
                (0..<count).compactMap { y -> (Int, Int)? in
                    let (nx, ny) = (model.network(of: x), model.network(of: y))
                    return nx != main && ny == main && !stuck.contains(nx) && model.hasArc(x, y) ? (x, y) : nil
                }
            }
            guard let (x, y) = candidates.randomElement(using: &random) else { break }
            let network = model.network(of: x)
            let members = model.members(of: network)
            let done: Bool
            if members.count == 1 {
                done = random.chance(0.35) && enterThroughPath(x, neighbour: y) || enterNextTo(x, neighbour: y)
            } else {
                done = enterSmallNetwork(network, through: x, neighbour: y)
            }
            if !done { stuck.insert(network) }
            if random.chance(0.25) { migrateSomething() }
            if random.chance(0.3),
                let pair = extraArcs.first(where: {
                    model.network(of: $0[0]) == main && model.network(of: $0[1]) == main
                })
            {
                addArc(pair[0], pair[1])
                extraArcs.removeAll { $0 == pair }
            }
            settle(probability: 0.5)
        }
    }

    func address(of system: Int) -> NetsukukuAddress { model.identities[model.principal[system]].address }

    /// The lowest free position next to `neighbour` of at least `level`, and a virtual one beside it.
    mutating func position(nextTo neighbour: Int, level minimum: Int) -> (virtual: GNodeAddress, real: GNodeAddress)? {
        let own = address(of: neighbour)
        for parentLevel in (minimum + 1)...scheme.levels {
            let parent = model.gnode(own, level: parentLevel)
            if let slot = model.freeSlots(inside: parent, in: main).randomElement(using: &random) {
                return (model.virtualSlot(inside: parent, in: main), slot)
            }
        }
        return nil
    }

    mutating func enterNextTo(_ system: Int, neighbour: Int) -> Bool {
        guard let (virtual, real) = position(nextTo: neighbour, level: 0) else { return false }
        enter(system: system, into: neighbour, virtual: virtual, real: real)
        return true
    }

    /// The node takes its neighbour's position: it enters with a virtual address while the neighbour
    /// migrates next to one of its own neighbours, then takes the freed position in phase 2.
    mutating func enterThroughPath(_ system: Int, neighbour: Int) -> Bool {
        let target = GNodeAddress(level: 0, ids: address(of: neighbour).ids)
        let others = (0..<count).filter {
            $0 != system && $0 != neighbour && model.hasArc($0, neighbour) && model.network(of: $0) == main
        }
        for other in others.shuffled(using: &random) {
            let parent = model.gnode(address(of: other), level: 1)
            guard let slot = model.freeSlots(inside: parent, in: main).randomElement(using: &random) else { continue }
            let virtual = model.virtualSlot(
                inside: model.gnode(target.address(keepingLowerLevelsOf: address(of: neighbour)), level: 1), in: main)
            let migration = "migr\(migrationCount + 1)"
            enter(system: system, into: neighbour, virtual: virtual, real: target, waits: migration)
            let migrationVirtual = model.virtualSlot(inside: parent, in: main)
            _ = migrate(target, virtual: migrationVirtual, real: slot)
            finishEntry(system: system, id: "entr\(entryCount)", real: target)
            return true
        }
        return false
    }

    /// A small network enters as the level-1 g-node all its members share.
    mutating func enterSmallNetwork(_ network: Int, through system: Int, neighbour: Int) -> Bool {
        let members = model.members(of: network)
        let gnode = model.gnode(address(of: system), level: 1)
        guard members.allSatisfy({ gnode.contains(model.identities[$0].address) }),
            Set(members.map { model.identities[$0].system }).count == members.count,
            let (virtual, real) = position(nextTo: neighbour, level: 1)
        else { return false }
        let named = model.identities[members[0]].system
        enterGNode(gnode, of: network, named: named, into: neighbour, position: virtual, real: real)
        return true
    }

    /// A node, or now and then the level-1 g-node around it, moves next to a neighbour outside it.
    mutating func migrateSomething() {
        let systems = (0..<count).filter { model.network(of: $0) == main }
        guard let mover = systems.randomElement(using: &random) else { return }
        let level = random.chance(0.3) ? 1 : 0
        let gnode = model.gnode(address(of: mover), level: level)
        let members = model.members(of: main).filter { gnode.contains(model.identities[$0].address) }
        let memberSystems = Set(members.map { model.identities[$0].system })
        // The compiler moves one identity per system: a g-node still holding a connectivity identity stays.
        guard memberSystems.count == members.count else { return }
        let outside = systems.filter { other in
            !memberSystems.contains(other) && memberSystems.contains { model.hasArc($0, other) }
                && !gnode.contains(address(of: other))
        }
        for other in outside.shuffled(using: &random) {
            let parent = model.gnode(address(of: other), level: level + 1)
            guard let slot = model.freeSlots(inside: parent, in: main).randomElement(using: &random) else { continue }
            _ = migrate(gnode, virtual: model.virtualSlot(inside: parent, in: main), real: slot)
            return
        }
    }

    func scenarioYAML() -> String {
        var lines = [
            "# Generated by ScenarioGenerator: \(count) systems, scheme \(scheme), seed \(seed).",
            "scenario:",
            "  title: \"generated scenario, \(count) systems, scheme \(scheme), seed \(seed)\"",
            "  topology: \(topologyFileName)",
            "  scheme: [\(scheme.gsizes.map(String.init).joined(separator: ", "))]",
            "  systems:",
        ]
        for system in 0..<count { lines.append("    \(names[system]): {address: \(initialAddresses[system])}") }
        lines.append("  operations:")
        return (lines + operations).joined(separator: "\n") + "\n"
    }

    /// `00:2A` for 42: two hex octets.
    static func hexPair(_ value: Int) -> String {
        func hex(_ byte: Int) -> String {
            let text = String(byte, radix: 16, uppercase: true)
            return text.count == 1 ? "0" + text : text
        }
        return hex((value >> 8) & 0xFF) + ":" + hex(value & 0xFF)
    }

    func topologyYAML() -> String {
        var lines = [
            "# Generated by ScenarioGenerator for its scenario: every system on one shared segment; arcs are made",
            "# by the scenario's link-local routes.",
            "name: gen-\(count)-\(seed)", "defaults:", "  assign_addresses: false", "nodes:",
        ]
        for system in 0..<count {
            let mac = Self.hexPair(system + 1)
            let linkLocal = "169.254.\(200 + system / 250).\(system % 250 + 1)"
            lines.append(
                "  \(names[system]): {interfaces: {eth1: {mac: \"02:00:00:00:\(mac)\", addresses: [\(linkLocal)]}}}")
        }
        lines.append("links:")
        lines.append("  - name: air")
        lines.append("    endpoints: [" + names.map { "\"\($0):eth1\"" }.joined(separator: ", ") + "]")
        return lines.joined(separator: "\n") + "\n"
    }
}
