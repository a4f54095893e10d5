import PlanModel

/// The g-node an entry or a migration moves, resolved.
struct MovingGNode {
    var members: [Int]
    var level: Int
    var network: Int
    var gnode: GNodeAddress
}

extension CompilerRun {
    /// The identities of the selected g-node, checked to be exactly the g-node's members.
    mutating func resolve(
        _ selector: GNodeSelector, network givenNetwork: Located<String>?, level givenLevel: Located<Int>?,
        operationName: String
    ) -> MovingGNode? {
        switch selector {
        case .systems(let systems):
            var members: [Int] = []
            for system in systems {
                guard let id = state.principal(of: system.value) else {
                    fail(
                        .invalidValue, "system '\(system.value)' is not started yet", at: system.location,
                        hint: "put '- init: [\(system.value)]' before '\(operationName)'")
                    return nil
                }
                members.append(id)
            }
            let level = givenLevel?.value ?? 0
            let first = state.identities[members[0]]
            let gnode = first.address.gnode(level: level)
            let network = givenNetwork.flatMap { self.network(of: $0.value) } ?? first.network
            let all = state.members(of: gnode, network: network)
            let listed = Set(members)
            let others = all.filter { !listed.contains($0) }.map { state.identities[$0].label }
            let strays = members.filter {
                !gnode.contains(state.identities[$0].address) || state.identities[$0].network != network
            }
            guard strays.isEmpty, others.isEmpty else {
                let at = systems[0].location
                if !strays.isEmpty {
                    let names = strays.map { state.identities[$0].label }.joined(separator: ", ")
                    fail(
                        .invalidValue, "\(names) is not in the g-node \(gnode) of \(networkName(network))", at: at,
                        hint: "list the systems of one g-node of level \(level)")
                } else {
                    fail(
                        .invalidValue,
                        "the g-node \(gnode) of \(networkName(network)) also holds \(others.joined(separator: ", "))",
                        at: at, hint: "list every member, or give the g-node's address with 'network:'")
                }
                return nil
            }
            return MovingGNode(members: members, level: level, network: network, gnode: gnode)
        case .address(let address):
            guard let system = givenNetwork else {
                fail(
                    .missingKey, "'\(operationName)' names the g-node \(address.value) but not its network",
                    at: address.location, hint: "add 'network: <a system whose principal identity is in it>'")
                return nil
            }
            guard let network = network(of: system.value) else {
                fail(
                    .invalidValue, "system '\(system.value)' is not started yet", at: system.location,
                    hint: "put '- init: [\(system.value)]' before '\(operationName)'")
                return nil
            }
            let members = state.sortedBySystem(state.members(of: address.value, network: network))
            guard !members.isEmpty else {
                fail(
                    .invalidValue, "the g-node \(address.value) of \(networkName(network)) has no member",
                    at: address.location, hint: "give the address of a g-node that has identities in it")
                return nil
            }
            return MovingGNode(members: members, level: address.value.level, network: network, gnode: address.value)
        }
    }

    /// Whether the position `gnode` is free in `network`, identities in `ignoring` aside; records an error
    /// naming the occupant when it is not.
    mutating func checkFree(
        _ gnode: Located<GNodeAddress>, in network: Int, ignoring: Set<Int> = [], what: String, hint: String
    ) -> Bool {
        let occupants = state.members(of: gnode.value, network: network).filter { !ignoring.contains($0) }
        guard occupants.isEmpty else {
            let names = occupants.map { state.identities[$0].label }.joined(separator: ", ")
            fail(
                .duplicate, "\(what) \(gnode.value) is already taken in \(networkName(network)) (by \(names))",
                at: gnode.location, hint: hint)
            return false
        }
        return true
    }

    /// Whether every id of a position is real (a real position must map to IPs).
    mutating func checkReal(_ gnode: Located<GNodeAddress>, what: String) -> Bool {
        let scheme = scenario.scheme
        let isReal = gnode.value.ids.enumerated().allSatisfy {
            scheme.isReal($0.element, at: gnode.value.level + $0.offset)
        }
        if !isReal {
            fail(
                .invalidValue, "\(what) \(gnode.value) has a virtual id", at: gnode.location,
                hint: "a real position has ids below each level's gsize (\(scheme))")
        }
        return isReal
    }

    /// Whether a new operation id and namespace are free on the members' systems.
    mutating func checkNames(id: Located<String>, namespace: Located<String>, members: [Int]) -> Bool {
        guard operationIDs.insert(id.value).inserted else {
            fail(
                .duplicate, "operation id '\(id.value)' is used twice", at: id.location,
                hint: "give each entry and migration its own id")
            return false
        }
        var seen: [String: Int] = [:]
        for member in members {
            let system = state.identities[member].system
            if let earlier = seen.updateValue(member, forKey: system) {
                let pair = [earlier, member]
                let both = pair.map { state.identities[$0].label }.joined(separator: " and ")
                let spare = pair.filter { !state.identities[$0].isPrincipal }.map { "'\(state.identities[$0].label)'" }
                fail(
                    .invalidValue, "'\(system)' has two identities in the moving g-node: \(both)",
                    at: namespace.location,
                    hint:
                        "one identity per system moves with a g-node; dismiss \(spare.joined(separator: " or ")) first")
                return false
            }
            if state.identity(system: system, namespace: namespace.value) != nil {
                fail(
                    .duplicate, "namespace '\(namespace.value)' is already used on '\(system)'", at: namespace.location,
                    hint: "give the operation a namespace of its own with 'namespace:'")
                return false
            }
        }
        return true
    }
}
