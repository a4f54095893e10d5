import Netsukuku
import PlanModel
import Testing

/// Walks carried from one state of the tables to the next (`Memo.keepWalks`) give what a fresh simulation
/// of the new state gives, for each kind of change a hop's decision can see. Line A – B – C (– D), a
/// packet from A to 10.0.0.3, which C owns.
@Suite struct WalkMemoTests {
    typealias Node = ForwardingSimulator.Node

    static func ip(_ text: String) -> IPAddress { IPAddress(text) ?? .v4(0) }
    static func prefix(_ text: String) -> IPPrefix { IPPrefix(text) ?? IPPrefix(address: .v4(0), length: 0) }
    static let macA = MACAddress("00:16:3E:00:00:0A")
    static let target = ip("10.0.0.3")

    static func via(_ gateway: String) -> RouteChoice { .via(gateway: ip(gateway), device: "eth1", source: nil) }

    /// A sends everything in 10.0.0.0/16 to B; B sends 10.0.0.3 to C (packets from A by their own table).
    static func line(
        fromA: ForwardingSimulator.Table? = nil, cOwns: Set<IPAddress> = [target], cLink: String = "169.254.0.3",
        withC: Bool = true, d: Node? = nil, netmaps: [ForwardingSimulator.Netmap] = []
    ) -> ForwardingSimulator {
        let a = Node(
            mac: macA, linkLocal: ip("169.254.0.1"), ownIPs: [ip("10.0.0.1")],
            commonTables: [[prefix("10.0.0.0/16"): via("169.254.0.2")]])
        var forwarding: [MACAddress: ForwardingSimulator.Table] = [:]
        if let fromA, let macA { forwarding[macA] = fromA }
        let b = Node(
            mac: MACAddress("00:16:3E:00:00:0B"), linkLocal: ip("169.254.0.2"), ownIPs: [ip("10.0.0.2")],
            commonTables: [[prefix("10.0.0.3/32"): via("169.254.0.3")]], forwardingTables: forwarding,
            netmaps: netmaps)
        let c = Node(mac: MACAddress("00:16:3E:00:00:0C"), linkLocal: ip(cLink), ownIPs: cOwns, commonTables: [])
        return ForwardingSimulator(slots: [a, b, withC ? c : nil, d], prefixLengths: [32, 24, 16])
    }

    /// Where A's packet to `destination` ends in `new`: with the memo carried from `old`, and fresh.
    static func carried(from old: ForwardingSimulator, to new: ForwardingSimulator, destination: IPAddress = target)
        -> (carried: Int?, fresh: Int?, before: Int?)
    {
        var memo = ForwardingSimulator.Memo()
        let before = old.deliveryNode(from: 0, to: destination, memo: &memo)
        memo.keepWalks(from: old, in: new)
        return (
            new.deliveryNode(from: 0, to: destination, memo: &memo), new.deliveryNode(from: 0, to: destination), before
        )
    }

    @Test("a changed forwarding table of the hop the packet came from")
    func forwardingTable() {
        let result = Self.carried(
            from: Self.line(fromA: [Self.prefix("10.0.0.3/32"): Self.via("169.254.0.3")]),
            to: Self.line(fromA: [Self.prefix("10.0.0.3/32"): .unreachable]))
        #expect(result.before == 2)
        #expect(result.fresh == nil)
        #expect(result.carried == result.fresh)
    }

    @Test("an own IP the receiver no longer has")
    func ownIP() {
        let result = Self.carried(from: Self.line(), to: Self.line(cOwns: []))
        #expect(result.before == 2)
        #expect(result.carried == result.fresh)
    }

    @Test("a link-local that now belongs to another node")
    func relinked() {
        let d = Node(mac: nil, linkLocal: Self.ip("169.254.0.3"), ownIPs: [Self.target], commonTables: [])
        let result = Self.carried(from: Self.line(), to: Self.line(cLink: "169.254.0.9", d: d))
        #expect(result.before == 2)
        #expect(result.fresh == 3)
        #expect(result.carried == result.fresh)
    }

    @Test("a gateway's link-local that had no node and now has one")
    func unresolved() {
        let result = Self.carried(from: Self.line(withC: false), to: Self.line())
        #expect(result.before == nil)
        #expect(result.fresh == 2)
        #expect(result.carried == result.fresh)
    }

    @Test("a NETMAP rule that goes")
    func netmap() {
        let map = ForwardingSimulator.Netmap(from: Self.prefix("10.0.9.0/24"), to: Self.prefix("10.0.0.0/24"))
        let result = Self.carried(
            from: Self.line(netmaps: [map]), to: Self.line(), destination: Self.ip("10.0.9.3"))
        #expect(result.before == 2)
        #expect(result.fresh == nil)
        #expect(result.carried == result.fresh)
    }

    @Test("walks the change does not touch are kept: a change at a node the packet never visits")
    func untouched() {
        let d = Node(mac: nil, linkLocal: Self.ip("169.254.0.4"), ownIPs: [Self.ip("10.0.0.4")], commonTables: [])
        var changed = d
        changed.ownIPs = [Self.ip("10.0.0.3")]
        let old = Self.line(d: d)
        var memo = ForwardingSimulator.Memo()
        #expect(old.deliveryNode(from: 0, to: Self.target, memo: &memo) == 2)
        memo.keepWalks(from: old, in: Self.line(d: changed))
        #expect(memo.destinations == [Self.target])
        memo.keepWalks(from: Self.line(d: changed), in: Self.line(cOwns: [], d: changed))
        #expect(memo.destinations.isEmpty)
    }
}
