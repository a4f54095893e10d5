import Foundation
import Netsukuku
import PlanModel
import Testing

/// Each operation alone, from the tiny scenarios of topologies/netsukuku-poc/operations (the lab tests run
/// the same files): its blocks, their order and barriers, the state the model predicts, the checks.
@Suite struct OperationTests {
    static func compile(_ name: String) throws -> CompiledScenario {
        let path = NetsukukuTestSupport.path("topologies/netsukuku-poc/operations/\(name).yaml")
        return try ScenarioCompiler.compile(path: path, topology: NetsukukuTestSupport.pointOfConcept).1
    }

    /// `id[systems]` per step, `!` for a barrier, consecutive reach checks as `checkN`.
    static func order(_ plan: Plan) -> String {
        var parts: [String] = []
        for step in plan.steps {
            if step.isReach {
                if let last = parts.last, last.hasPrefix("check") {
                    parts[parts.count - 1] = "check\((Int(last.dropFirst(5)) ?? 1) + 1)"
                } else {
                    parts.append("check")
                }
                continue
            }
            parts.append("\(step.id)[\(step.nodes.joined(separator: ","))]\(step.isBarrier ? "!" : "")")
        }
        return parts.map { $0 == "check" ? "check1" : $0 }.joined(separator: " ")
    }

    func checked(_ name: String) throws -> CompiledScenario {
        let compiled = try Self.compile(name)
        let report = PlanChecker(topology: NetsukukuTestSupport.pointOfConcept).check(compiled.plan)
        #expect(report.findings.isEmpty, "\(name): \(report.findings.prefix(2))")
        #expect(compiled.warnings.isEmpty, "\(name): \(compiled.warnings.prefix(2))")
        return compiled
    }

    func lines(_ compiled: CompiledScenario, _ step: String, _ system: String) throws -> [String] {
        try #require(compiled.phases.first { $0.stepID == step }, "no step \(step)").lines(of: system)
    }

    func reach(_ compiled: CompiledScenario, _ id: String) throws -> ReachCheck {
        let step = try #require(compiled.plan.steps.first { $0.id == id }, "no check \(id)")
        guard case .reach(let check) = step.action else { throw CheckMissing() }
        return check
    }

    struct CheckMissing: Error {}

    @Test("init: one block per system, in one stage; each finds the other's network unreachable")
    func start() throws {
        let compiled = try checked("start")
        #expect(Self.order(compiled.plan) == "init-1-start[alfa,beta] check2")
        #expect(try lines(compiled, "init-1-start", "beta").count == 106 - 53)
        #expect(try reach(compiled, "unreachable-init-1-alfa").targets.map(\.description) == ["10.0.0.10"])
        #expect(try reach(compiled, "unreachable-init-1-alfa").expectation == .unreachable)
    }

    @Test("add_real_arc: one route to the peer's link-local on each end, then each hears the other")
    func arc() throws {
        let compiled = try checked("arc")
        #expect(
            try lines(compiled, "arc-alfa-beta-links", "alfa") == [
                "ip route add 169.254.96.141 dev eth1 src 169.254.69.30"
            ])
        #expect(
            try lines(compiled, "arc-alfa-beta-links", "beta") == [
                "ip route add 169.254.69.30 dev eth1 src 169.254.96.141"
            ])
        #expect(try reach(compiled, "hear-arc-alfa-beta-beta").targets.map(\.description) == ["169.254.69.30"])
    }

    @Test("a zero-step entry: namespace, neighbour route, cleanup, routes, tables, address, ETPs, dismissal")
    func entryZeroStep() throws {
        let compiled = try checked("entry-zero-step")
        #expect(
            Self.order(compiled.plan)
                == "init-1-start[beta,gamma] check2 arc-beta-gamma-links[beta,gamma] check4 entr02-namespace[beta] "
                + "entr02-peers[gamma]! entr02-cleanup[beta] entr02-routes[beta] entr02-qspn-arcs[beta] "
                + "entr02-add-qspn-arc[gamma]! entr02-address[beta] entr02-etp[beta] entr02-etp-2[gamma]! check5 "
                + "dismiss-beta-entr02[beta] dismiss-beta-entr02-neighbours[gamma]! check4")
        let address = try lines(compiled, "entr02-address", "beta")
        let global = try #require(address.firstIndex(of: "ip address add 10.0.0.23 dev eth1"))
        #expect(address[global + 1] == "iptables -t nat -A POSTROUTING -d 10.0.0.64/27 -j SNAT --to 10.0.0.23")
        #expect(address.filter { $0.hasPrefix("ip route del ") }.count == 10)
        #expect(
            try lines(compiled, "entr02-etp-2", "gamma").last
                == "ip rule add fwmark 250 table ntk_from_00:16:3E:EC:A3:E1")
        #expect(
            try lines(compiled, "dismiss-beta-entr02", "beta") == [
                "ip netns exec entr02 ip route flush table main",
                "ip netns exec entr02 ip link delete entr02_eth1 type macvlan",
                "ip netns del entr02",
            ])
        let beta = try reach(compiled, "reach-dismiss-beta-entr02-beta").targets.map(\.description)
        #expect(beta == ["10.0.0.22", "10.0.0.86", "10.0.0.62", "10.0.0.50", "10.0.0.40"])
    }

    @Test("a g-node entry: both members in each phase, tables copied for the internal arc, ETPs γ→δ→μ, δ→γ")
    func entryGNode() throws {
        let compiled = try checked("entry-gnode")
        let order = Self.order(compiled.plan)
        #expect(
            order.contains(
                "entr03-namespace[delta,mu] entr03-peers[gamma]! entr03-tables[delta,mu] entr03-cleanup[delta,mu]! "
                    + "entr03-routes[delta,mu] entr03-qspn-arcs[delta]! entr03-add-qspn-arc[gamma] "
                    + "entr03-address[delta,mu]! entr03-etp[delta] entr03-etp-2[mu]! entr03-etp-3[gamma] check8"))
        let tables = try lines(compiled, "entr03-tables", "delta")
        // μ's entr03 macvlan has a MAC derived from its name (the scenario gives none): a new table name.
        let mac =
            try #require(try lines(compiled, "entr03-namespace", "mu").first { $0.contains(" address 02:") })
            .split(separator: " ").last.map(String.init) ?? ""
        #expect(
            tables.first
                == #"(echo; echo "249 ntk_from_\#(mac) # xxx_table_ntk_from_\#(mac)_xxx") | tee -a /etc/iproute2/rt_tables >/dev/null"#
        )
        #expect(tables.last == "ip netns exec entr03 ip rule add fwmark 249 table ntk_from_\(mac)")
        #expect(try lines(compiled, "entr03-cleanup", "mu").contains("ip route del 10.0.0.41/32 table ntk") == false)
        #expect(try lines(compiled, "entr03-cleanup", "mu").contains("ip route del 10.0.0.29/32 table ntk"))
        #expect(
            try lines(compiled, "dismiss-mu-entr03-delta-entr03", "delta").last
                == "sed -i '/xxx_table_ntk_from_\(mac)_xxx/d' /etc/iproute2/rt_tables")
    }

    @Test("a migration path: OP-7 on the neighbours before the cleanup, phase 2 after the last address change")
    func migrationPath() throws {
        let compiled = try checked("migration-path")
        #expect(
            Self.order(compiled.plan).contains(
                "migr01-namespace[beta] migr01-peers[gamma,epsilon]! migr01-tables[beta] migr01-gateways[gamma,epsilon]! "
                    + "migr01-cleanup[beta] migr01-etp[gamma]! migr01-routes[beta] migr01-add-qspn-arc[gamma,epsilon]! "
                    + "migr01-etp-2[beta] migr01-etp-3[gamma]! migr01-address[beta] check7 entr05-phase-2-etp[epsilon] "
                    + "entr05-phase-2-etp-2[epsilon] entr05-phase-2-address[epsilon]"))
        let epsilon = try lines(compiled, "migr01-gateways", "epsilon")
        #expect(
            epsilon.prefix(3) == [
                "ip route flush table ntk_from_00:16:3E:EC:A3:E1",
                "iptables -t mangle -D PREROUTING -m mac --mac-source 00:16:3E:EC:A3:E1 -j MARK --set-mark 250",
                "sed -i '/xxx_table_ntk_from_00:16:3E:EC:A3:E1_xxx/d' /etc/iproute2/rt_tables",
            ])
        #expect(
            try lines(compiled, "migr01-cleanup", "beta").last
                == "ip rule del fwmark 250 table ntk_from_00:16:3E:5B:78:D5")
    }

    @Test("remove_outer_arcs and the dismissal of a migration's identity drop qspn-arcs (OP-3) on both ends")
    func outerArcs() throws {
        let compiled = try checked("outer-arcs")
        let namespace = try lines(compiled, "migr01-namespace", "beta")
        func last(_ prefix: String) -> String {
            namespace.first { $0.hasPrefix(prefix) }?.split(separator: " ").dropLast(2).last.map(String.init) ?? "?"
        }
        let mac =
            namespace.first { $0.contains("migr01_eth1 address ") }?.split(separator: " ").last.map(String.init) ?? "?"
        let linkLocal = last("ip netns exec migr01 ip address add ")
        let alfa = try lines(compiled, "remove-outer-arcs-beta-migr01-links", "alfa")
        #expect(
            alfa.suffix(5) == [
                "ip rule del fwmark 250 table ntk_from_\(mac)", "ip route flush table ntk_from_\(mac)",
                "iptables -t mangle -D PREROUTING -m mac --mac-source \(mac) -j MARK --set-mark 250",
                "sed -i '/xxx_table_ntk_from_\(mac)_xxx/d' /etc/iproute2/rt_tables",
                "ip route del \(linkLocal) dev eth1 src 169.254.69.30",
            ])
        let gamma = try lines(compiled, "dismiss-beta-migr01-neighbours", "gamma")
        #expect(gamma.last == "sed -i '/xxx_table_ntk_from_\(mac)_xxx/d' /etc/iproute2/rt_tables")
        #expect(
            !gamma.contains { $0.hasPrefix("ip route del \(linkLocal)") },
            "the script keeps the direct route (domain.md §1.7)")
    }

    @Test("an arc inside a network makes qspn-arcs and ETPs; its removal rewrites both ends' routes")
    func arcRemoval() throws {
        let compiled = try checked("arc-removal")
        #expect(
            Self.order(compiled.plan).hasSuffix(
                "arc-beta-delta-links[beta,delta] arc-beta-delta-tables[beta,delta]! arc-beta-delta-etp[delta] "
                    + "arc-beta-delta-etp-2[beta]! check8 remove-arc-beta-delta-links[beta,delta] check8"))
        let beta = try lines(compiled, "remove-arc-beta-delta-links", "beta")
        #expect(beta.contains("ip route change 10.0.0.20/31 table ntk via 169.254.94.223 dev eth1 src 10.0.0.23"))
        #expect(beta.contains("ip route del 169.254.253.216 dev eth1 src 169.254.96.141"))
        // Every identity-arc over the arc goes: β's and δ's connectivity identities had one pair each way.
        #expect(beta.filter { $0.contains("ip route del 169.254.") }.count == 4)
    }

    @Test("a subnet gateway: its host starts between its two blocks, NETMAP follows its position, ρ is reached")
    func gateway() throws {
        let compiled = try checked("gateway")
        #expect(
            Self.order(compiled.plan).hasPrefix(
                "init-1-start[epsilon,lambda] init-1-subnet[rho]! init-1-gateways[lambda] check4"))
        let cleanup = try lines(compiled, "entr06-cleanup", "lambda")
        #expect(cleanup.filter { $0.contains("-j NETMAP") && $0.contains(" -D ") }.count == 8)
        let address = try lines(compiled, "entr06-address", "lambda")
        #expect(address.contains("iptables -t nat -A PREROUTING -d 10.0.0.30/31 -j NETMAP --to 10.0.0.40/31"))
        let epsilon = try reach(compiled, "reach-dismiss-lambda-entr06-epsilon").targets.map(\.description)
        #expect(epsilon.contains("10.0.0.31"), "ρ's global IP through λ (3·1·1·1)")
        #expect(try reach(compiled, "reach-dismiss-lambda-entr06-rho").targets.map(\.description).contains("10.0.0.28"))
    }

    @Test("checks: wave adds reach checks after every ETP wave as well")
    func checksPerWave() throws {
        let path = NetsukukuTestSupport.path("topologies/netsukuku-poc/operations/entry-zero-step.yaml")
        let text = try String(contentsOfFile: path, encoding: .utf8)
        let topology = NetsukukuTestSupport.pointOfConcept
        let perOperation = try ScenarioCompiler.compile(text: text, path: "ops.yaml", topology: topology).1
        let perWave = try ScenarioCompiler.compile(
            text: text.replacingOccurrences(of: "scenario:\n", with: "scenario:\n  checks: wave\n"), path: "ops.yaml",
            topology: topology
        ).1
        let none = try ScenarioCompiler.compile(
            text: text.replacingOccurrences(of: "scenario:\n", with: "scenario:\n  checks: none\n"), path: "ops.yaml",
            topology: topology
        ).1
        #expect(perOperation.plan.counts.checks == 15)
        #expect(perWave.plan.counts.checks > perOperation.plan.counts.checks)
        #expect(none.plan.counts.checks == 0)
        #expect(perWave.plan.counts.commands == perOperation.plan.counts.commands)
    }
}
