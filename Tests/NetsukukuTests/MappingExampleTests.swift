import Netsukuku
import PlanModel
import Testing

/// The worked examples of domain.md §2.3 and the NAT of §2.4, reproduced exactly (order included).
@Suite struct MappingExampleTests {
    let mapping = IPMapping(scheme: .pointOfConcept)

    func address(_ text: String) throws -> NetsukukuAddress { try #require(NetsukukuAddress(text)) }

    func prefixes(_ text: String, subnetLevel: Int = 0) throws -> [String] {
        try mapping.prefixes(of: address(text), subnetLevel: subnetLevel).map(\.description)
    }

    func ownIPs(_ text: String, subnetLevel: Int = 0) throws -> [String] {
        try mapping.ownAddresses(of: address(text), subnetLevel: subnetLevel).map(\.ip.description)
    }

    @Test("example A: δ0 = 3·1·0·1 owns .29 .93 .61 .49 .41 and lists 18 prefixes in the documented order")
    func exampleA() throws {
        #expect(try ownIPs("3·1·0·1") == ["10.0.0.29", "10.0.0.93", "10.0.0.61", "10.0.0.49", "10.0.0.41"])
        #expect(
            try prefixes("3·1·0·1") == [
                "10.0.0.0/29", "10.0.0.64/29", "10.0.0.8/29", "10.0.0.72/29", "10.0.0.16/29", "10.0.0.80/29",
                "10.0.0.24/30", "10.0.0.88/30", "10.0.0.56/30",
                "10.0.0.30/31", "10.0.0.94/31", "10.0.0.62/31", "10.0.0.50/31",
                "10.0.0.28/32", "10.0.0.92/32", "10.0.0.60/32", "10.0.0.48/32", "10.0.0.40/32",
            ])
        #expect(mapping.localhost.description == "10.0.0.32")
        let global = try #require(mapping.globalIP(of: address("3·1·0·1")))
        #expect(
            SubnetMapping.snatRule(mapping: mapping, global: global).addCommand
                == "iptables -t nat -A POSTROUTING -d 10.0.0.64/27 -j SNAT --to 10.0.0.29")
    }

    @Test("example B: β1 = 2·1·1·2 owns nothing and lists 23 prefixes, both level-0 siblings included")
    func exampleB() throws {
        #expect(try ownIPs("2·1·1·2").isEmpty)
        #expect(
            try prefixes("2.1.1.2") == [
                "10.0.0.0/29", "10.0.0.64/29", "10.0.0.8/29", "10.0.0.72/29", "10.0.0.24/29", "10.0.0.88/29",
                "10.0.0.16/30", "10.0.0.80/30", "10.0.0.56/30",
                "10.0.0.20/31", "10.0.0.84/31", "10.0.0.60/31", "10.0.0.48/31",
                "10.0.0.22/32", "10.0.0.86/32", "10.0.0.62/32", "10.0.0.50/32", "10.0.0.40/32",
                "10.0.0.23/32", "10.0.0.87/32", "10.0.0.63/32", "10.0.0.51/32", "10.0.0.41/32",
            ])
        // Once real (2·1·1·1), the five prefixes of 2·1·1·1 are gone: they are the node's own IPs.
        let real = try prefixes("2·1·1·1")
        #expect(real.count == 18)
        #expect(try ownIPs("2·1·1·1") == ["10.0.0.23", "10.0.0.87", "10.0.0.63", "10.0.0.51", "10.0.0.41"])
        #expect(!real.contains("10.0.0.23/32"))
    }

    @Test("example C: α1 = 2·2·1·0 owns .50 .40 and lists 15 prefixes; 2·0·1·0 splits 2·0·")
    func exampleC() throws {
        #expect(try ownIPs("2·2·1·0") == ["10.0.0.50", "10.0.0.40"])
        let virtual = try prefixes("2·2·1·0")
        #expect(
            virtual == [
                "10.0.0.0/29", "10.0.0.64/29", "10.0.0.8/29", "10.0.0.72/29", "10.0.0.24/29", "10.0.0.88/29",
                "10.0.0.16/30", "10.0.0.80/30", "10.0.0.56/30",
                "10.0.0.20/30", "10.0.0.84/30", "10.0.0.60/30",
                "10.0.0.48/31",
                "10.0.0.51/32", "10.0.0.41/32",
            ])
        let real = try prefixes("2·0·1·0")
        #expect(virtual.filter { !real.contains($0) } == ["10.0.0.16/30", "10.0.0.80/30", "10.0.0.56/30"])
        #expect(
            real.filter { !virtual.contains($0) } == [
                "10.0.0.16/31", "10.0.0.80/31", "10.0.0.56/31", "10.0.0.19/32", "10.0.0.83/32", "10.0.0.59/32",
            ])
        #expect(try ownIPs("2·0·1·0") == ["10.0.0.18", "10.0.0.82", "10.0.0.58", "10.0.0.50", "10.0.0.40"])
    }

    @Test("example D: λ0 = 1·1·0·0 with subnetlevel 1 lists 13 prefixes and owns .12 .76 .60 .48")
    func exampleD() throws {
        #expect(
            try prefixes("1·1·0·0", subnetLevel: 1) == [
                "10.0.0.0/29", "10.0.0.64/29", "10.0.0.16/29", "10.0.0.80/29", "10.0.0.24/29", "10.0.0.88/29",
                "10.0.0.8/30", "10.0.0.72/30", "10.0.0.56/30",
                "10.0.0.14/31", "10.0.0.78/31", "10.0.0.62/31", "10.0.0.50/31",
            ])
        #expect(try ownIPs("1·1·0·0", subnetLevel: 1) == ["10.0.0.12", "10.0.0.76", "10.0.0.60", "10.0.0.48"])
        let subnet = SubnetMapping(mapping: mapping, subnetLevel: 1)
        #expect(try subnet.gatewayIP(of: address("1·1·0·0")).description == "10.0.0.40")
        #expect(subnet.hostIP(lowerIDs: [1]).description == "10.0.0.41")
    }

    @Test("§2.4: λ0's NETMAP rules, in the script's order and with its double space; λ1's use .50 .62 .22 .86")
    func netmapRules() throws {
        let subnet = SubnetMapping(mapping: mapping, subnetLevel: 1)
        let rules = try subnet.netmapRules(of: address("1·1·0·0"), acceptsAnonymous: true).map(\.addCommand)
        #expect(
            rules == [
                "iptables -t nat -A PREROUTING -d 10.0.0.12/31 -j NETMAP --to 10.0.0.40/31",
                "iptables -t nat -A PREROUTING -d 10.0.0.76/31 -j NETMAP --to 10.0.0.40/31",
                "iptables -t nat -A PREROUTING -d 10.0.0.60/31 -j NETMAP --to 10.0.0.40/31",
                "iptables -t nat -A PREROUTING -d 10.0.0.48/31 -j NETMAP --to 10.0.0.40/31",
                "iptables -t nat -A POSTROUTING -d 10.0.0.48/30 -s 10.0.0.40/31 -j NETMAP --to 10.0.0.48/31",
                "iptables -t nat -A POSTROUTING -d 10.0.0.56/29 -s 10.0.0.40/31 -j NETMAP --to 10.0.0.60/31",
                "iptables -t nat -A POSTROUTING -d 10.0.0.0/27  -s 10.0.0.40/31 -j NETMAP --to 10.0.0.12/31",
                "iptables -t nat -A POSTROUTING -d 10.0.0.64/27 -s 10.0.0.40/31 -j NETMAP --to 10.0.0.12/31",
            ])
        let later = try subnet.netmapRules(of: address("2·1·1·0"), acceptsAnonymous: true).map(\.spec)
        #expect(
            later == [
                "-d 10.0.0.22/31 -j NETMAP --to 10.0.0.40/31", "-d 10.0.0.86/31 -j NETMAP --to 10.0.0.40/31",
                "-d 10.0.0.62/31 -j NETMAP --to 10.0.0.40/31", "-d 10.0.0.50/31 -j NETMAP --to 10.0.0.40/31",
                "-d 10.0.0.48/30 -s 10.0.0.40/31 -j NETMAP --to 10.0.0.50/31",
                "-d 10.0.0.56/29 -s 10.0.0.40/31 -j NETMAP --to 10.0.0.62/31",
                "-d 10.0.0.0/27  -s 10.0.0.40/31 -j NETMAP --to 10.0.0.22/31",
                "-d 10.0.0.64/27 -s 10.0.0.40/31 -j NETMAP --to 10.0.0.22/31",
            ])
        #expect(try subnet.netmapRules(of: address("2·1·2·0"), acceptsAnonymous: true).isEmpty)
        #expect(mapping.wholeRange.withLength == "10.0.0.0/25")
    }

    @Test("§1.5: the IPs of every real address of the scenario")
    func scenarioAddresses() throws {
        let table: [(String, [String])] = [
            ("3·0·1·0", [".26", ".90", ".58", ".50", ".40"]), ("2·0·1·0", [".18", ".82", ".58", ".50", ".40"]),
            ("1·0·1·0", [".10", ".74", ".58", ".50", ".40"]), ("2·1·1·1", [".23", ".87", ".63", ".51", ".41"]),
            ("2·0·1·1", [".19", ".83", ".59", ".51", ".41"]), ("2·1·1·0", [".22", ".86", ".62", ".50", ".40"]),
            ("2·0·0·0", [".16", ".80", ".56", ".48", ".40"]), ("2·1·0·1", [".21", ".85", ".61", ".49", ".41"]),
            ("1·0·1·1", [".11", ".75", ".59", ".51", ".41"]), ("3·1·0·0", [".28", ".92", ".60", ".48", ".40"]),
            ("2·1·0·0", [".20", ".84", ".60", ".48", ".40"]), ("2·0·0·1", [".17", ".81", ".57", ".49", ".41"]),
        ]
        for (text, expected) in table {
            #expect(try ownIPs(text) == expected.map { "10.0.0" + $0 }, "\(text)")
        }
    }
}
