import PlanModel
import Testing

@Suite("ip route: add, change, replace, del, flush and the kernel's checks")
struct StateRouteCommandTests {
    typealias S = StateTestSupport

    @Test("add creates, a second add of the same key fails with File exists whatever its type")
    func addTwice() {
        var state = S.freshBeta()
        S.run(S.systemStart + ["ip route add unreachable 10.0.0.0/29 table ntk"], on: &state)
        let failure = S.fail("ip route add 10.0.0.0/29 table ntk via 169.254.94.223 dev eth1", on: &state)
        // The gateway check comes first in the kernel: without a link route it is the gateway that fails.
        #expect(failure?.toolMessage == "Error: Nexthop has invalid gateway.")
        S.run(["ip route add 169.254.94.223 dev eth1 src 169.254.96.141"], on: &state)
        let exists = S.fail("ip route add 10.0.0.0/29 table ntk via 169.254.94.223 dev eth1", on: &state)
        #expect(exists?.toolMessage == "RTNETLINK answers: File exists")
        #expect(
            exists?.reason
                == "route 10.0.0.0/29 already exists in table ntk (251) of the default namespace: unreachable 10.0.0.0/29"
        )
        let routes = state.namespace(nil)?.routes(inTable: 251) ?? []
        #expect(routes.map(\.description) == ["unreachable 10.0.0.0/29"])
    }

    @Test("change of a missing route fails with the table, its number and the namespace")
    func changeMissing() {
        var state = S.freshBeta()
        S.run(S.systemStart, on: &state)
        let failure = S.fail("ip route change unreachable 10.0.0.20/31 table ntk", on: &state)
        #expect(failure?.reason == "route 10.0.0.20/31 does not exist in table ntk (251) of the default namespace")
        #expect(failure?.toolMessage == "RTNETLINK answers: No such file or directory")
        #expect(
            failure?.missing
                == .route(
                    namespace: nil, route: Route(table: 251, kind: .unreachable, destination: S.route("10.0.0.20/31"))))
    }

    @Test("change rewrites the route: type, gateway, device, src; boot protocol, universe scope")
    func changeRewrites() {
        var state = S.freshBeta()
        S.run(
            S.systemStart + [
                "ip address add 10.0.0.29 dev eth1",
                "ip route add 169.254.94.223 dev eth1 src 169.254.96.141",
                "ip route add unreachable 10.0.0.0/29 table ntk",
                "ip route change 10.0.0.0/29 table ntk via 169.254.94.223 dev eth1 src 10.0.0.29",
            ], on: &state)
        let routes = state.namespace(nil)?.routes(inTable: 251) ?? []
        #expect(routes.map(\.description) == ["10.0.0.0/29 via 169.254.94.223 dev eth1 src 10.0.0.29"])
        S.run(["ip route change blackhole 10.0.0.0/29 table ntk"], on: &state)
        #expect(state.namespace(nil)?.routes(inTable: 251).map(\.description) == ["blackhole 10.0.0.0/29"])
    }

    @Test("src must be a local address of the namespace; a via needs a link-scope route on that device")
    func sourceAndGateway() {
        var state = S.freshBeta()
        S.run(S.systemStart + ["ip route add unreachable 10.0.0.0/29 table ntk"], on: &state)
        S.run(["ip route add 169.254.94.223 dev eth1 src 169.254.96.141"], on: &state)
        let source = S.fail(
            "ip route change 10.0.0.0/29 table ntk via 169.254.94.223 dev eth1 src 10.0.0.29", on: &state)
        #expect(source?.toolMessage == "Error: Invalid prefsrc address.")
        #expect(source?.missing == .localAddress(namespace: nil, address: S.address("10.0.0.29"), device: "eth1"))
        let wrongDevice = S.fail("ip route change 10.0.0.0/29 table ntk via 169.254.94.223 dev lo", on: &state)
        #expect(wrongDevice?.toolMessage == "Error: Nexthop has invalid gateway.")
        let unknownGateway = S.fail("ip route change 10.0.0.0/29 table ntk via 169.254.1.1 dev eth1", on: &state)
        #expect(
            unknownGateway?.missing == .gatewayRoute(namespace: nil, gateway: S.address("169.254.1.1"), device: "eth1"))
        // A gateway that is one of our own addresses is fine (a local route answers).
        S.run(["ip route change 10.0.0.0/29 table ntk via 169.254.96.141 dev eth1"], on: &state)
    }

    @Test("unknown table names and devices fail before the kernel sees anything")
    func namesFirst() {
        var state = S.freshBeta()
        let table = S.fail("ip route add unreachable 10.0.0.0/29 table ntk_from_00:16:3E:5B:78:D5", on: &state)
        #expect(table?.exitStatus == 255)
        #expect(table?.missing == .tableName("ntk_from_00:16:3E:5B:78:D5"))
        let device = S.fail("ip route add 169.254.94.223 dev migr01_eth1 src 169.254.96.141", on: &state)
        #expect(device?.toolMessage == "Cannot find device \"migr01_eth1\"")
        #expect(device?.exitStatus == 1)
    }

    @Test("del removes the first matching route; a missing one fails with No such process")
    func delete() {
        var state = S.freshBeta()
        S.run(
            S.systemStart + ["ip route add unreachable 10.0.0.8/29 table ntk", "ip route del 10.0.0.8/29 table ntk"],
            on: &state)
        #expect(state.namespace(nil)?.routes(inTable: 251).isEmpty == true)
        let failure = S.fail("ip route del 10.0.0.8/29 table ntk", on: &state)
        #expect(failure?.toolMessage == "RTNETLINK answers: No such process")
        S.run(["ip route add 169.254.94.223 dev eth1 src 169.254.96.141"], on: &state)
        S.fail("ip route del 169.254.94.223 dev eth1 src 169.254.96.99", on: &state)
        S.run(["ip route del 169.254.94.223 dev eth1 src 169.254.96.141"], on: &state)
    }

    @Test("flush empties a table; flushing a table the kernel never had fails; host bits are refused")
    func flush() {
        var state = S.freshBeta()
        S.run(S.systemStart, on: &state)
        let never = S.fail("ip route flush table ntk", on: &state)
        #expect(never?.toolMessage == "Error: ipv4: FIB table does not exist.")
        S.run(
            ["ip route add unreachable 10.0.0.8/29 table ntk", "ip route flush table ntk", "ip route flush table ntk"],
            on: &state)
        S.fail("ip route add unreachable 10.0.0.9/29 table ntk", on: &state)
        // A failed write still creates the table in the kernel.
        S.fail("ip route change unreachable 10.0.0.8/29 table 77", on: &state)
        S.run(["ip route flush table 77"], on: &state)
    }

    @Test("a /32 address makes only a local route; a /24 on an up device a connected and a broadcast route")
    func kernelRoutes() {
        var state = S.freshBeta()
        S.run(
            [
                "ip address add 169.254.96.141 dev eth1", "ip address add 10.1.0.1/24 dev eth1",
                "ip address add 10.0.0.32 dev lo",
            ], on: &state)
        let routes = (state.namespace(nil)?.routes ?? []).map { "\($0.table) \($0)" }.sorted()
        #expect(
            routes == [
                "254 10.1.0.0/24 dev eth1 proto kernel scope link src 10.1.0.1",
                "255 broadcast 10.1.0.255 dev eth1 proto kernel scope link src 10.1.0.1",
                "255 broadcast 127.255.255.255 dev lo proto kernel scope link src 127.0.0.1",
                "255 local 10.0.0.32 dev lo proto kernel scope host src 10.0.0.32",
                "255 local 10.1.0.1 dev eth1 proto kernel scope host src 10.1.0.1",
                "255 local 127.0.0.0/8 dev lo proto kernel scope host src 127.0.0.1",
                "255 local 127.0.0.1 dev lo proto kernel scope host src 127.0.0.1",
                "255 local 169.254.96.141 dev eth1 proto kernel scope host src 169.254.96.141",
            ])
    }

    @Test("deleting an address drops main-table routes preferring it, not other tables'")
    func addressDeletionDropsRoutes() {
        var state = S.freshBeta()
        S.run(
            S.systemStart + [
                "ip address add 10.0.0.28 dev eth1", "ip route add 169.254.94.223 dev eth1 src 169.254.96.141",
                "ip route add 10.0.0.0/29 table ntk via 169.254.94.223 dev eth1 src 10.0.0.28",
                "ip route add 10.0.0.8/29 via 169.254.94.223 dev eth1 src 10.0.0.28",
                "ip address del 10.0.0.28/32 dev eth1",
            ], on: &state)
        let namespace = state.namespace(nil)
        #expect(namespace?.routes(inTable: 251).count == 1)
        #expect(
            namespace?.routes(inTable: 254).map(\.description) == [
                "169.254.94.223 dev eth1 scope link src 169.254.96.141"
            ])
    }
}
