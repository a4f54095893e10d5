import NodeAgentProtocol
import PlanModel
import Testing

/// Parsers of real dumps captured on this machine (`StateParsingFixtures`), and the model run over the same
/// commands compared with them.
@Suite("parsing ip -j, iptables-save, netns and sysctl dumps")
struct StateParsingTests {
    static func fixture(_ name: String) throws -> String {
        switch name {
        case "rt_tables.txt": StateParsingFixtures.rtTables
        case "routes.json": StateParsingFixtures.routes
        case "rules.json": StateParsingFixtures.rules
        case "addresses.json": StateParsingFixtures.addresses
        case "links-details.json": StateParsingFixtures.linksWithDetails
        case "addresses-migr01.json": StateParsingFixtures.addressesInMigr01
        case "netns.json": StateParsingFixtures.netnsList
        case "iptables-save.txt": StateParsingFixtures.iptablesSave
        default: StateParsingFixtures.captureScript
        }
    }

    static func tables() throws -> RTTablesFile { RTTablesFile(text: try fixture("rt_tables.txt")) }

    @Test("routes: IPv4 only, table names back to numbers, types, gateways, sources, protocols, scopes, metrics")
    func routes() throws {
        let routes = try RouteDumpParser.parse(try Self.fixture("routes.json"), tables: try Self.tables())
        let text = Set(routes.map { "\($0.table) \($0)" })
        #expect(text.contains("251 unreachable 10.0.0.0/29"))
        #expect(text.contains("251 10.0.0.8/29 via 169.254.94.223 dev eth1 src 10.1.0.1"))
        #expect(text.contains("250 blackhole 10.0.0.16/29"))
        #expect(text.contains("77 prohibit 10.0.0.24/29"))
        #expect(text.contains("77 throw 10.0.0.32/29 metric 5"))
        #expect(text.contains("254 default via 169.254.94.223 dev eth1 proto static"))
        #expect(text.contains("254 169.254.94.223 dev eth1 scope link src 169.254.96.141"))
        #expect(text.contains("255 local 10.1.0.7 dev eth1 proto kernel scope host src 10.1.0.1"))
        #expect(!routes.contains { !$0.destination.address.isV4 })
    }

    @Test("rules: priorities the kernel gave, fwmark and mask, selectors, blackhole action")
    func rules() throws {
        let rules = try RuleDumpParser.parse(try Self.fixture("rules.json"), tables: try Self.tables())
        #expect(
            rules.map { $0.describe(tables: try? Self.tables()) } == [
                "0: from all lookup local", "100: from all blackhole",
                "32763: from 10.1.0.0/24 to 10.4.0.0/16 fwmark 0x10/0xff lookup 77",
                "32764: from all fwmark 0xfa lookup ntk_from_00:16:3E:5B:78:D5", "32765: from all lookup ntk",
                "32766: from all lookup main", "32767: from all lookup default",
            ])
    }

    @Test("addresses: interfaces, up/down, MACs, IPv4 addresses (secondaries marked), IPv6 left out")
    func addresses() throws {
        let links = try LinkDumpParser.parse(try Self.fixture("addresses.json"))
        #expect(links.map(\.name) == ["lo", "eth1"])
        #expect(links[0].kind == .loopback && links[0].isUp)
        #expect(links[0].addresses.map(\.description) == ["127.0.0.1/8", "10.0.0.32/32"])
        #expect(links[1].mac == MACAddress("00:16:3e:ec:a3:e1"))
        #expect(links[1].addresses.map(\.description) == ["169.254.96.141/32", "10.1.0.1/24", "10.1.0.7/24"])
        #expect(links[1].addresses.map(\.isSecondary) == [false, false, true])
        let inside = try LinkDumpParser.parse(try Self.fixture("addresses-migr01.json"))
        #expect(inside.map(\.name) == ["lo", "migr01_eth1"])
        #expect(inside[0].isUp == false && inside[1].isUp && inside[1].addresses.isEmpty)
        let details = try LinkDumpParser.parse(try Self.fixture("links-details.json"))
        #expect(details.map(\.kindName) == ["loopback", "veth"])
    }

    @Test("iptables-save: rules per table and chain in iptables-save's spelling")
    func iptables() throws {
        let state = try IptablesSaveParser.parse(try Self.fixture("iptables-save.txt"))
        #expect(
            state.rules(table: "mangle", chain: "PREROUTING") == [
                "-m mac --mac-source 00:16:3e:5b:78:d5 -j MARK --set-xmark 0xfa/0xffffffff"
            ])
        #expect(
            state.rules(table: "nat", chain: "POSTROUTING") == [
                "-s 10.0.0.40/31 -d 10.0.0.0/27 -j NETMAP --to 10.0.0.12/31",
                "-d 10.0.0.64/27 -j SNAT --to-source 10.0.0.29",
            ])
    }

    @Test("a one-table iptables query keeps that table of the dump only, and its aspect is no longer unknown")
    func iptablesOneTable() throws {
        let output = NodeResponse.StateOutput(
            query: .init(.iptablesTable("nat"), netns: "migr01"), exitStatus: 0,
            bytes: Array(try Self.fixture("iptables-save.txt").utf8))
        let observed = try ObservedState.parse([output], node: "n")
        let namespace = try #require(observed.namespace("migr01"))
        #expect(namespace.iptables.tables.keys.sorted() == ["nat"])
        #expect(namespace.iptables.rules(table: "nat", chain: "POSTROUTING").count == 2)
        #expect(!namespace.unknown.contains(.iptables))
        #expect(StateProbe(.iptablesTable("nat"), namespace: "migr01").query.description == "iptables@migr01:nat")
    }

    @Test("netns list, sysctl lines, empty outputs, and errors that name the query")
    func smallDumps() throws {
        #expect(try NamespaceListParser.parse(try Self.fixture("netns.json")) == ["migr01", "peer"])
        #expect(try NamespaceListParser.parse("") == [])
        #expect(
            try SysctlOutputParser.parse("net.ipv4.ip_forward = 1\nnet.ipv4.conf.eth1.rp_filter = 0\n") == [
                "net.ipv4.ip_forward": "1", "net.ipv4.conf.eth1.rp_filter": "0",
            ])
        #expect(throws: StateParsingError.self) { try RouteDumpParser.parse("{not json", tables: .debianDefault) }
        let failed = NodeResponse.StateOutput(
            query: NodeRequest.StateQuery(.routes, netns: "gone"), exitStatus: 255, bytes: [],
            stderr: Array("Cannot open network namespace \"gone\"\n".utf8))
        do {
            _ = try ObservedState.parse([failed], node: "beta")
            Issue.record("a failed query must not parse")
        } catch {
            #expect(
                error.description
                    == "error: state query 'routes@gone': exited with status 255: Cannot open network namespace \"gone\""
            )
        }
    }

    @Test("the model, run over capture.sh's commands, predicts exactly the captured state")
    func modelMatchesCapture() throws {
        var state = NodeState(
            node: "capture",
            namespaces: [
                "": NamespaceState(
                    name: nil,
                    links: [
                        Link(id: 1, name: "lo", kind: .loopback, mac: MACAddress("00:00:00:00:00:00")),
                        Link(id: 2, name: "eth1", kind: .veth(peer: 3), mac: MACAddress("00:16:3e:ec:a3:e1")),
                    ]),
                "peer": NamespaceState(
                    name: "peer", links: [Link(id: 3, name: "p1", kind: .veth(peer: 2), isUp: true)]),
            ])
        for command in ["ip link set lo up", "ip link set eth1 up"] { _ = StateModel.run(command, on: &state) }
        let script = try Self.fixture("capture.sh").split(separator: "\n").map(String.init)
        // The commands up to the dumps (the rest only reads, or tears down after the dumps).
        let commands = script.prefix { $0 != "sleep 1" }
        for line in commands where !line.hasPrefix("#") && !line.hasPrefix("out=") {
            let outcome = StateModel.run(line, on: &state)
            #expect(outcome == .success, "\(line): \(outcome)")
        }
        let outputs: [(NodeRequest.StateQuery, String)] = [
            (NodeRequest.StateQuery(.rtTables), "rt_tables.txt"), (NodeRequest.StateQuery(.routes), "routes.json"),
            (NodeRequest.StateQuery(.rules), "rules.json"), (NodeRequest.StateQuery(.addresses), "addresses.json"),
            (NodeRequest.StateQuery(.iptables), "iptables-save.txt"),
            (NodeRequest.StateQuery(.addresses, netns: "migr01"), "addresses-migr01.json"),
        ]
        let observed = try ObservedState.parse(
            try outputs.map {
                NodeResponse.StateOutput(query: $0.0, exitStatus: 0, bytes: Array(try Self.fixture($0.1).utf8))
            },
            node: "capture")
        let probes = [
            StateProbe(.rtTables), StateProbe(.routes), StateProbe(.rules), StateProbe(.addresses),
            StateProbe(.iptables),
            StateProbe(.addresses, namespace: "migr01"),
        ]
        let differences = StateComparison.differences(predicted: state, observed: observed, probes: probes)
        #expect(differences.isEmpty, "\(differences.map(\.description).joined(separator: "\n"))")
        #expect(
            probes.map(\.query.description) == [
                "rtTables", "routes", "rules", "addresses", "iptables", "addresses@migr01",
            ])
    }
}
