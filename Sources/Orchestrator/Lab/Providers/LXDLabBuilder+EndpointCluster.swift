import Foundation
import PlanModel

/// A user's endpoint that is a member of an LXD cluster: its members as the cluster lists them, every one online,
/// the interface the segments' tunnels go over, and VXLAN ids that no network of the cluster uses.
extension LXDLabBuilder {
    /// The lab's layout on the cluster behind `endpoint`.
    /// - Throws: `LabError.setupFailed` for a member that is not online, a missing `tunnel_interface`, or a
    ///   member URL without an address.
    func askCluster(_ endpoint: LXDEndpoint) throws(LabError) -> LXDClusterLayout {
        let answer = try lxc(1, ["query", "/1.0/cluster/members?recursion=1"])
        let listed = (try? JSONSerialization.jsonObject(with: Data(answer.utf8))) as? [[String: Any]] ?? []
        var members: [LXDClusterLayout.Member] = []
        var problems: [String] = []
        for member in listed.sorted(by: { "\($0["server_name"] ?? "")" < "\($1["server_name"] ?? "")" }) {
            let name = member["server_name"] as? String ?? ""
            let url = member["url"] as? String ?? ""
            let status = member["status"] as? String ?? "unknown"
            if status != "Online" {
                problems.append(
                    "member \(name) is \(status) (\(member["message"] as? String ?? "no message"))")
            }
            guard let address = LXDClusterLayout.host(ofURL: url), Self.isAddressLiteral(address) else {
                problems.append("member \(name) has no address in its URL '\(url)'")
                continue
            }
            members.append(LXDClusterLayout.Member(name: name, address: address))
        }
        if members.isEmpty, problems.isEmpty { problems.append("it lists no members (\(answer.prefix(200)))") }
        guard let interface = endpoint.tunnelInterface else {
            problems.append(
                "it is a cluster, and the interface for the segments' VXLAN tunnels between its members is unknown")
            throw clusterRefusal(
                endpoint, problems,
                hint: "set provider.endpoint.tunnel_interface to the interface that holds each member's cluster "
                    + "address (the same name on every member), e.g. tunnel_interface: eth0")
        }
        guard problems.isEmpty else {
            throw clusterRefusal(
                endpoint, problems, hint: "bring every member online (lxc cluster list), then run lab up again")
        }
        if endpoint.reach == .bridge {
            throw clusterRefusal(
                endpoint, ["each member's bridge is on the member's own host, which reach: bridge cannot dial"],
                hint: "remove reach: bridge (a cluster's containers are reached by proxy devices on the members)")
        }
        let segments = segmentsAndLoners().count
        return LXDClusterLayout(
            members: members, tunnelInterface: interface,
            firstTunnelID: LXDClusterLayout.firstFreeTunnelID(
                count: segments, preferred: preferredTunnelID, used: try usedTunnelIDs()),
            isProxied: true)
    }

    private func clusterRefusal(_ endpoint: LXDEndpoint, _ problems: [String], hint: String) -> LabError {
        LabError(
            .setupFailed,
            "the LXD cluster behind \(endpoint.url) cannot take lab '\(topology.name)': "
                + problems.joined(separator: "; "), hint: hint)
    }

    /// A lab's own range of VXLAN ids (4,096 from 65,536 on, one of 4,000 chosen by its name, below the 24-bit
    /// limit of 16,777,215), so two labs on one cluster do not even start from the same id.
    private var preferredTunnelID: Int { 65_536 + (Int(endpointHash.prefix(3), radix: 16) ?? 0) % 4_000 * 4_096 }

    /// Every `tunnel.*.id` of the cluster's networks.
    private func usedTunnelIDs() throws(LabError) -> Set<Int> {
        let answer = try lxc(1, ["query", "/1.0/networks?recursion=1"])
        let networks = (try? JSONSerialization.jsonObject(with: Data(answer.utf8))) as? [[String: Any]] ?? []
        var used: Set<Int> = []
        for network in networks {
            for case (let key, let value as String) in network["config"] as? [String: Any] ?? [:]
            where key.hasPrefix("tunnel.") && key.hasSuffix(".id") {
                if let id = Int(value) { used.insert(id) }
            }
        }
        return used
    }

    /// The first port of the lab's proxy devices on the members' addresses: 40,000 + 100 per bucket of its name.
    var firstProxyPort: Int { 40_000 + (Int(endpointHash.prefix(4), radix: 16) ?? 0) % 200 * 100 }

    /// A standalone daemon has one place: a node naming another member is refused, located.
    func checkStandalonePlacement() throws(LabError) {
        let misplaced = topology.nodes.values.filter { $0.memberName != nil || ($0.member ?? 1) != 1 }
        guard !misplaced.isEmpty else { return }
        var error = LabError(
            .setupFailed, "the LXD endpoint of lab '\(topology.name)' is a standalone daemon, not a cluster",
            hint: "remove 'member' from these nodes, or point provider.endpoint at a cluster member")
        error.located = misplaced.map {
            ($0.memberLocation ?? $0.location, "node '\($0.name)' names a member of a cluster")
        }
        throw error
    }

    /// An IPv4 or IPv6 address literal (a proxy device listens on an address, not a name).
    static func isAddressLiteral(_ text: String) -> Bool {
        IPAddress(text) != nil
    }
}
