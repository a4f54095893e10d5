import PlanModel

/// The command lines of domain.md §3's templates, as the script writes them.
enum CommandText {
    static let rtTables = "/etc/iproute2/rt_tables"

    /// Registers a table name in `rt_tables` (runs in the default namespace: the file is per system).
    static func register(number: Int, name: String) -> String {
        #"(echo; echo "\#(number) \#(name) # xxx_table_\#(name)_xxx") | tee -a \#(rtTables) >/dev/null"#
    }

    static func unregister(name: String) -> String { "sed -i '/xxx_table_\(name)_xxx/d' \(rtTables)" }

    static func markAdd(mac: MACAddress, number: Int) -> String {
        "iptables -t mangle -A PREROUTING -m mac --mac-source \(mac) -j MARK --set-mark \(number)"
    }

    static func markDelete(mac: MACAddress, number: Int) -> String {
        "iptables -t mangle -D PREROUTING -m mac --mac-source \(mac) -j MARK --set-mark \(number)"
    }

    static func ruleAdd(number: Int, name: String) -> String { "ip rule add fwmark \(number) table \(name)" }
    static func ruleDelete(number: Int, name: String) -> String { "ip rule del fwmark \(number) table \(name)" }
    static func flush(_ name: String) -> String { "ip route flush table \(name)" }

    /// The direct route to a neighbour's link-local (arc formation, identity-arcs).
    static func linkRoute(to peer: IPAddress, device: String, source: IPAddress) -> String {
        "ip route add \(peer) dev \(device) src \(source)"
    }

    static func linkRouteDelete(to peer: IPAddress, device: String, source: IPAddress) -> String {
        "ip route del \(peer) dev \(device) src \(source)"
    }

    static func addressAdd(_ ip: IPAddress, device: String) -> String { "ip address add \(ip) dev \(device)" }
    static func addressDelete(_ ip: IPAddress, device: String) -> String { "ip address del \(ip)/32 dev \(device)" }

    /// A new namespace with its macvlan on `parent` (OP-5), up to its own link-local.
    static func namespace(_ name: String, parent: String, nic: NIC) -> [String] {
        let device = nic.device
        func inside(_ command: String) -> String { "ip netns exec \(name) \(command)" }
        return [
            "ip netns add \(name)",
            inside("sysctl net.ipv4.ip_forward=1"),
            inside("sysctl net.ipv4.conf.all.rp_filter=0"),
            "ip link add dev \(device) link \(parent) type macvlan",
            "ip link set dev \(device) netns \(name)",
            inside("ip link set dev \(device) address \(nic.mac)"),
            inside("sysctl net.ipv4.conf.\(device).rp_filter=0"),
            inside("sysctl net.ipv4.conf.\(device).arp_ignore=1"),
            inside("sysctl net.ipv4.conf.\(device).arp_announce=2"),
            inside("ip link set dev \(device) up"),
            inside("ip address add \(nic.linkLocal) dev \(device)"),
        ]
    }

    /// The end of a namespace (OP-11).
    static func namespaceRemoval(_ name: String, device: String) -> [String] {
        [
            "ip netns exec \(name) ip route flush table main",
            "ip netns exec \(name) ip link delete \(device) type macvlan",
            "ip netns del \(name)",
        ]
    }
}
