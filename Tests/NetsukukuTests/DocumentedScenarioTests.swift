import Foundation
import Netsukuku
import PlanModel
import Testing

/// The author's whole scenario (topologies/netsukuku-poc/scenario.yaml) compiled: offline check, the system
/// start of δ (domain.md example A), the `rt_tables` history of §1.6 and the end state of §1.7.
@Suite struct DocumentedScenarioTests {
    static let compiled: CompiledScenario? = SeedAgreementTests.compiled

    func compiled() throws -> CompiledScenario { try #require(Self.compiled) }

    @Test("it compiles to a plan the state model runs with no failing and no unknown command")
    func offlineCheck() throws {
        let compiled = try compiled()
        let report = PlanChecker(topology: NetsukukuTestSupport.pointOfConcept).check(compiled.plan)
        #expect(report.findings.isEmpty, "\(report.findings.prefix(3))")
        #expect(compiled.warnings.isEmpty, "\(compiled.warnings.prefix(3))")
        let text = PlanYAMLWriter.write(compiled.plan, topology: NetsukukuTestSupport.pointOfConcept)
        let reread = try PlanLoader.parse(text: text, path: "plan.yaml", topology: NetsukukuTestSupport.pointOfConcept)
        #expect(reread.steps.count == compiled.plan.steps.count)
    }

    @Test("the system start of δ is example A line for line: own IPs, 18 prefixes in order, SNAT")
    func exampleA() throws {
        let start = try #require(try compiled().phases.first { $0.stepID == "init-1-start" })
        let lines = start.lines(of: "delta")
        let prefixes = [
            "10.0.0.0/29", "10.0.0.64/29", "10.0.0.8/29", "10.0.0.72/29", "10.0.0.16/29", "10.0.0.80/29",
            "10.0.0.24/30", "10.0.0.88/30", "10.0.0.56/30", "10.0.0.30/31", "10.0.0.94/31", "10.0.0.62/31",
            "10.0.0.50/31", "10.0.0.28/32", "10.0.0.92/32", "10.0.0.60/32", "10.0.0.48/32", "10.0.0.40/32",
        ]
        let expected =
            [
                "sysctl net.ipv4.ip_forward=1 &>/dev/null", "sysctl net.ipv4.conf.all.rp_filter=0 &>/dev/null",
                "ip address add 10.0.0.32 dev lo", "ip link set dev eth1 address 00:16:3E:1A:C4:45",
                "sysctl net.ipv4.conf.eth1.rp_filter=0 &>/dev/null",
                "sysctl net.ipv4.conf.eth1.arp_ignore=1 &>/dev/null",
                "sysctl net.ipv4.conf.eth1.arp_announce=2 &>/dev/null", "ip link set dev eth1 up",
                "ip address add 169.254.253.216 dev eth1",
                #"(echo; echo "251 ntk # xxx_table_ntk_xxx") | tee -a /etc/iproute2/rt_tables >/dev/null"#,
                "ip rule add table ntk",
                "ip address add 10.0.0.29 dev eth1", "ip address add 10.0.0.93 dev eth1",
                "ip address add 10.0.0.61 dev eth1", "ip address add 10.0.0.49 dev eth1",
                "ip address add 10.0.0.41 dev eth1",
            ] + prefixes.map { "ip route add unreachable \($0) table ntk" }
            + ["iptables -t nat -A POSTROUTING -d 10.0.0.64/27 -j SNAT --to 10.0.0.29"]
            + prefixes.map { "ip route change unreachable \($0) table ntk" }
        #expect(lines == expected)
    }

    /// §1.6, simulated from the script: every `tee` (add) and `sed` (remove) of each system, in order.
    static let rtTables: [String: [String]] = [
        "alfa": ["+251 ntk", "+250 EC:A3:E1", "-EC:A3:E1", "+250 EE:AF:D1", "+249 EC:A3:E1", "-EE:AF:D1"],
        "beta": [
            "+251 ntk", "+250 5B:78:D5", "+249 FD:E2:AA", "+248 3C:14:33", "+247 AF:4C:2A", "+246 3B:9F:45",
            "-AF:4C:2A", "-3B:9F:45",
        ],
        "gamma": [
            "+251 ntk", "+250 EC:A3:E1", "+249 1A:C4:45", "-EC:A3:E1", "+250 EE:AF:D1", "+248 EC:A3:E1",
            "+247 BD:34:98", "+246 3C:14:33", "+245 3B:9F:45", "-EE:AF:D1", "-BD:34:98",
        ],
        "delta": [
            "+251 ntk", "+250 2D:8D:DE", "+249 DF:23:F5", "+248 5B:78:D5", "-DF:23:F5", "-5B:78:D5",
            "+249 AF:4C:2A", "+248 5B:78:D5",
        ],
        "mu": ["+251 ntk", "+250 1A:C4:45", "+249 B9:77:80", "-B9:77:80"],
        "epsilon": [
            "+251 ntk", "+250 EC:A3:E1", "-EC:A3:E1", "+250 EE:AF:D1", "+249 EC:A3:E1", "+248 06:3E:90",
            "+247 BD:34:98", "+246 5B:78:D5", "+245 AF:4C:2A", "-EE:AF:D1", "-BD:34:98",
        ],
        "lambda": ["+251 ntk", "+250 3C:14:33", "-3C:14:33", "+250 3B:9F:45", "+249 3C:14:33"],
    ]

    @Test("rt_tables numbers and names follow §1.6 on every system, in order")
    func rtTablesHistory() throws {
        var history: [String: [String]] = [:]
        for step in try compiled().plan.steps {
            for block in step.blocks {
                for line in block.commands.map(\.text) {
                    if let range = line.range(of: #"echo "(\d+) (ntk\S*) #"#, options: .regularExpression) {
                        let words = line[range].split(separator: " ")
                        let name = String(words[2]).replacingOccurrences(of: "ntk_from_00:16:3E:", with: "")
                        history[block.node.rawValue, default: []].append("+\(words[1].dropFirst()) \(name)")
                    } else if line.hasPrefix("sed -i '/xxx_table_ntk_from_00:16:3E:") {
                        history[block.node.rawValue, default: []].append("-" + line.dropFirst(37).prefix(8))
                    }
                }
            }
        }
        #expect(history == Self.rtTables)
    }

    @Test("the end state is §1.7's: each system's own IPs, the namespaces left, λ's NAT rules")
    func endState() throws {
        let report = PlanChecker(topology: NetsukukuTestSupport.pointOfConcept).check(try compiled().plan)
        let expected: [String: [String]] = [
            "alfa": [".18", ".82", ".58", ".50", ".40"], "beta": [".19", ".83", ".59", ".51", ".41"],
            "gamma": [".16", ".80", ".56", ".48", ".40"], "delta": [".21", ".85", ".61", ".49", ".41"],
            "mu": [".20", ".84", ".60", ".48", ".40"], "epsilon": [".17", ".81", ".57", ".49", ".41"],
            "lambda": [".40", ".22", ".86", ".62", ".50"], "rho": [".41"],
        ]
        for (system, ips) in expected {
            let state = try #require(report.finalStates[NodeName(stringLiteral: system)]?.namespace(nil))
            let own = state.links.flatMap(\.addresses).map(\.address.description).filter { $0.hasPrefix("10.0.0.") }
            let localhost = system == "rho" ? [] : ["10.0.0.32"]
            #expect(Set(own) == Set(ips.map { "10.0.0" + $0 } + localhost), "\(system)")
        }
        let namespaces = report.finalStates.mapValues(\.namedNamespaces).filter { !$0.value.isEmpty }
        #expect(namespaces == ["gamma": ["migr02"], "epsilon": ["migr02"]])
        let nat = try #require(report.finalStates["lambda"]?.namespace(nil)?.iptables)
        #expect(nat.rules(table: "nat", chain: "PREROUTING").count == 4)
        #expect(nat.rules(table: "nat", chain: "POSTROUTING").count == 5)
    }
}
