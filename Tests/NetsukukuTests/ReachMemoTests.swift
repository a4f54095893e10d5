import PlanModel
import Testing

@testable import Netsukuku

/// A source's ping targets are reused by the next derivation only while everything they were read from is
/// unchanged: the walks (kept by `Memo.keepWalks`) and the SNAT source of each anonymiser on the way.
@Suite struct ReachMemoTests {
    static func ip(_ text: String) -> IPAddress { IPAddress(text) ?? .v4(0) }

    /// One node, an anonymiser with `snat`.
    static func simulator(snat: IPAddress?) -> ForwardingSimulator {
        ForwardingSimulator(nodes: [
            ForwardingSimulator.Node(
                mac: nil, linkLocal: ip("169.254.0.1"), ownIPs: [ip("10.0.0.1")], commonTables: [], snat: snat)
        ])
    }

    /// What `pingTargets` recorded for a source whose anonymising ping went through node 0.
    static func entry(walks: ForwardingSimulator.Walks) -> ReachMemo.Entry {
        ReachMemo.Entry(
            reachable: [ip("10.0.0.9")], lost: [], warnings: [], walks: [walks],
            anonymisers: [(node: 0, snat: ip("10.0.0.1"))])
    }

    @Test("an entry stays valid while its walks are kept and the anonymisers' sources stay")
    func valid() {
        let walks = ForwardingSimulator.Walks(target: 9)
        #expect(Self.entry(walks: walks).isValid(in: Self.simulator(snat: Self.ip("10.0.0.1"))))
    }

    @Test("an anonymiser on the way with another SNAT source, or none, makes the entry stale")
    func snatChanged() {
        let walks = ForwardingSimulator.Walks(target: 9)
        #expect(!Self.entry(walks: walks).isValid(in: Self.simulator(snat: Self.ip("10.0.0.2"))))
        #expect(!Self.entry(walks: walks).isValid(in: Self.simulator(snat: nil)))
    }

    @Test("walks the memo forgot make the entry stale")
    func walksForgotten() {
        let walks = ForwardingSimulator.Walks(target: 9)
        walks.isForgotten = true
        #expect(!Self.entry(walks: walks).isValid(in: Self.simulator(snat: Self.ip("10.0.0.1"))))
    }

    @Test("keepWalks marks the walks it forgets, and only those")
    func keepWalksMarks() {
        let before = ForwardingSimulator(nodes: [
            ForwardingSimulator.Node(mac: nil, linkLocal: Self.ip("169.254.0.1"), ownIPs: [], commonTables: []),
            ForwardingSimulator.Node(
                mac: nil, linkLocal: Self.ip("169.254.0.2"), ownIPs: [Self.ip("10.0.0.2")], commonTables: []),
        ])
        var after = before
        after.nodes[0]?.ownIPs = [Self.ip("10.0.0.3")]
        let after2 = ForwardingSimulator(slots: after.nodes)
        var memo = ForwardingSimulator.Memo()
        _ = before.deliveryNode(from: 0, to: Self.ip("10.0.0.3"), memo: &memo)
        _ = before.deliveryNode(from: 1, to: Self.ip("10.0.0.2"), memo: &memo)
        let changed = memo.walks(toward: 0x0A00_0003)
        let untouched = memo.walks(toward: 0x0A00_0002)
        memo.keepWalks(from: before, in: after2)
        #expect(changed.isForgotten)
        #expect(!untouched.isForgotten)
    }
}
