import PlanModel

/// Command sequences the integration tests run on a real lab node and through the model: one per command
/// family, and realistic operations of the Netsukuku pages (OP-1, OP-4, OP-5, OP-7, OP-11, NETMAP).
enum StateModelSequences {
    /// The 18 destinations of δ0 = 3·1·0·1 (domain.md §2.3 example A), used to populate tables.
    static let prefixes = [
        "10.0.0.0/29", "10.0.0.64/29", "10.0.0.8/29", "10.0.0.72/29", "10.0.0.16/29", "10.0.0.80/29", "10.0.0.24/30",
        "10.0.0.88/30", "10.0.0.56/30", "10.0.0.30/31", "10.0.0.94/31", "10.0.0.62/31", "10.0.0.50/31", "10.0.0.28/32",
        "10.0.0.92/32", "10.0.0.60/32", "10.0.0.48/32", "10.0.0.40/32",
    ]

    /// (name, netns of the block, block text) in the order they run on one node.
    static let blocks: [(String, NamespaceName?, String)] = [
        (
            "OP-1 system start with ntk population",
            nil,
            """
            sysctl net.ipv4.ip_forward=1 &>/dev/null
            sysctl net.ipv4.conf.all.rp_filter=0 &>/dev/null
            ip address add 10.0.0.32 dev lo
            sysctl net.ipv4.conf.eth1.rp_filter=0 &>/dev/null
            sysctl net.ipv4.conf.eth1.arp_ignore=1 &>/dev/null
            sysctl net.ipv4.conf.eth1.arp_announce=2 &>/dev/null
            ip link set dev eth1 up
            ip address add 169.254.96.141 dev eth1
            (echo; echo "251 ntk # xxx_table_ntk_xxx") | tee -a /etc/iproute2/rt_tables >/dev/null
            ip rule add table ntk
            ip address add 10.0.0.29 dev eth1
            ip address add 10.0.0.93 dev eth1
            ip address add 10.0.0.61 dev eth1
            """
                + "\n" + prefixes.map { "ip route add unreachable \($0) table ntk" }.joined(separator: "\n") + "\n"
                    + """
                    iptables -t nat -A POSTROUTING -d 10.0.0.64/27 -j SNAT --to 10.0.0.29
                    """
                + "\n" + prefixes.map { "ip route change unreachable \($0) table ntk" }.joined(separator: "\n")
        ),
        (
            "OP-2 arc and ETP routes (change to via with src, blackhole, prohibit, throw, metric, replace, del)",
            nil,
            """
            ip route add 169.254.94.223 dev eth1 src 169.254.96.141
            ip route change 10.0.0.0/29 table ntk via 169.254.94.223 dev eth1 src 10.0.0.29
            ip route change 10.0.0.64/29 table ntk via 169.254.94.223 dev eth1 src 10.0.0.29
            ip route change blackhole 10.0.0.8/29 table ntk
            ip route change prohibit 10.0.0.72/29 table ntk
            ip route change throw 10.0.0.16/29 table ntk
            ip route add 10.0.0.16/29 table ntk dev eth1 metric 7
            ip route replace 10.0.0.96/29 table 77 via 169.254.94.223 proto static
            ip route replace unreachable 10.0.0.96/29 table 77 proto static
            ip route del 10.0.0.80/29 table ntk
            ip route add 10.0.0.80/29 via 169.254.94.223 dev eth1 src 10.0.0.61
            """
        ),
        (
            "addresses: connected and broadcast routes, secondaries, deletion drops src routes",
            nil,
            """
            ip address add 10.1.0.1/24 dev eth1
            ip address add 10.1.0.7/24 dev eth1
            ip address add 10.2.0.1/31 dev eth1
            ip route add 10.3.0.0/24 via 10.1.0.9 dev eth1 src 10.1.0.7
            ip address del 10.0.0.61/32 dev eth1
            ip address del 10.2.0.1/31 dev eth1
            """
        ),
        (
            "rules: kernel priorities, fwmark, explicit pref, delete",
            nil,
            """
            (echo; echo "250 ntk_from_00:16:3E:5B:78:D5 # xxx_table_ntk_from_00:16:3E:5B:78:D5_xxx") | tee -a /etc/iproute2/rt_tables >/dev/null
            ip rule add fwmark 250 table ntk_from_00:16:3E:5B:78:D5
            ip rule add pref 100 table 77
            ip rule add from 10.1.0.0/24 table 77
            ip rule add to 10.4.0.0/16 fwmark 0x10/0xff table main
            ip rule del table 77
            """
        ),
        (
            "OP-4 forwarding table with MARK",
            nil,
            """
            iptables -t mangle -A PREROUTING -m mac --mac-source 00:16:3E:5B:78:D5 -j MARK --set-mark 250
            """
                + "\n"
                + prefixes.map { "ip route add unreachable \($0) table ntk_from_00:16:3E:5B:78:D5" }.joined(
                    separator: "\n")
                + "\n"
                    + """
                    ip route change 10.0.0.0/29 table ntk_from_00:16:3E:5B:78:D5 via 169.254.94.223 dev eth1
                    ip route change blackhole 10.0.0.48/32 table ntk_from_00:16:3E:5B:78:D5
                    """
        ),
        (
            "OP-5 new namespace with its macvlan",
            nil,
            """
            ip netns add migr01
            ip netns exec migr01 sysctl net.ipv4.ip_forward=1
            ip netns exec migr01 sysctl net.ipv4.conf.all.rp_filter=0
            ip link add dev migr01_eth1 link eth1 type macvlan
            ip link set dev migr01_eth1 netns migr01
            ip netns exec migr01 ip link set dev migr01_eth1 address 00:16:3E:EE:AF:D1
            ip netns exec migr01 sysctl net.ipv4.conf.migr01_eth1.rp_filter=0
            ip netns exec migr01 sysctl net.ipv4.conf.migr01_eth1.arp_ignore=1
            ip netns exec migr01 sysctl net.ipv4.conf.migr01_eth1.arp_announce=2
            ip netns exec migr01 ip link set dev migr01_eth1 up
            ip netns exec migr01 ip address add 169.254.27.218 dev migr01_eth1
            ip netns exec migr01 ip route add 169.254.94.223 dev migr01_eth1 src 169.254.27.218
            ip netns exec migr01 iptables -t mangle -A PREROUTING -m mac --mac-source 00:16:3E:5B:78:D5 -j MARK --set-mark 250
            ip -n migr01 route add unreachable 10.0.0.20/31 table ntk_from_00:16:3E:5B:78:D5
            ip netns exec migr01 ip route change 10.0.0.20/31 table ntk_from_00:16:3E:5B:78:D5 via 169.254.94.223 dev migr01_eth1
            ip netns exec migr01 ip rule add fwmark 250 table ntk_from_00:16:3E:5B:78:D5
            """
        ),
        (
            "commands of a block that runs inside the namespace",
            "migr01",
            """
            ip route add unreachable 10.0.0.22/32 table ntk_from_00:16:3E:5B:78:D5
            sysctl net.ipv4.conf.default.rp_filter=0
            """
        ),
        (
            "OP-7 gateway update: table renamed",
            nil,
            """
            ip rule del fwmark 250 table ntk_from_00:16:3E:5B:78:D5
            ip route flush table ntk_from_00:16:3E:5B:78:D5
            iptables -t mangle -D PREROUTING -m mac --mac-source 00:16:3E:5B:78:D5 -j MARK --set-mark 250
            (echo; echo "249 ntk_from_00:16:3E:AF:4C:2A # xxx_table_ntk_from_00:16:3E:AF:4C:2A_xxx") | tee -a /etc/iproute2/rt_tables >/dev/null
            iptables -t mangle -A PREROUTING -m mac --mac-source 00:16:3E:AF:4C:2A -j MARK --set-mark 249
            ip route add unreachable 10.0.0.0/29 table ntk_from_00:16:3E:AF:4C:2A
            ip route change 10.0.0.0/29 table ntk_from_00:16:3E:AF:4C:2A via 169.254.94.223 dev eth1
            ip rule add fwmark 249 table ntk_from_00:16:3E:AF:4C:2A
            """
        ),
        (
            "NETMAP and SNAT rules of a subnet gateway",
            nil,
            """
            iptables -t nat -A PREROUTING -d 10.0.0.12/31 -j NETMAP --to 10.0.0.40/31
            iptables -t nat -A PREROUTING -d 10.0.0.76/31 -j NETMAP --to 10.0.0.40/31
            iptables -t nat -A POSTROUTING -d 10.0.0.48/30 -s 10.0.0.40/31 -j NETMAP --to 10.0.0.48/31
            iptables -t nat -A POSTROUTING -d 10.0.0.0/27  -s 10.0.0.40/31 -j NETMAP --to 10.0.0.12/31
            iptables -t nat -I POSTROUTING -d 10.0.0.64/27 -s 10.0.0.41 -j NETMAP --to 10.0.0.13
            iptables -t nat -D POSTROUTING -d 10.0.0.64/27 -j SNAT --to 10.0.0.29
            iptables -t nat -D PREROUTING -d 10.0.0.76/31 -j NETMAP --to 10.0.0.40/31
            """
        ),
        (
            "links: down drops routes through the device, up restores connected ones, rename",
            nil,
            """
            ip link add dev probe0 link eth1 type macvlan mode bridge
            ip link set dev probe0 address 00:16:3E:00:00:77
            ip link set dev probe0 up
            ip address add 10.5.0.1/24 dev probe0
            ip route add 10.6.0.0/24 via 10.5.0.2 dev probe0
            ip link set dev probe0 down
            ip link set dev probe0 name probe1
            ip link set dev probe1 up
            """
        ),
        (
            "OP-11 dismissal of the namespace",
            nil,
            """
            ip netns exec migr01 ip route flush table main
            ip netns exec migr01 ip link delete migr01_eth1 type macvlan
            ip netns del migr01
            sed -i '/xxx_table_ntk_from_00:16:3E:5B:78:D5_xxx/d' /etc/iproute2/rt_tables
            ip link delete probe1
            """
        ),
    ]

    /// Blocks the model says fail, with the 1-based script line it says they stop at.
    static let failing: [(String, String, Int)] = [
        (
            "change of a route that does not exist",
            "ip route add unreachable 10.0.0.99/32 table ntk\nip route change 10.0.0.98/32 table ntk via 169.254.94.223 dev eth1\nip route add unreachable 10.0.0.97/32 table ntk",
            2
        ),
        (
            "a via through a gateway not on link",
            "ip route change 10.0.0.99/32 table ntk via 169.254.1.1 dev eth1\nip route del 10.0.0.99/32 table ntk", 1
        ),
        (
            "a table name not in rt_tables",
            "ip route del 10.0.0.99/32 table ntk\nip route add unreachable 10.0.0.99/32 table ntk_from_00:16:3E:00:00:00",
            2
        ),
        ("deleting an absent iptables rule", "iptables -t nat -D POSTROUTING -d 10.0.0.64/27 -j SNAT --to 10.0.0.1", 1),
        ("adding an address twice", "ip address add 10.0.0.32 dev lo", 1),
        ("deleting a rule that is not there", "ip rule del fwmark 250 table ntk", 1),
        ("a namespace that exists already", "ip netns add probe\nip netns add probe", 2),
        ("sysctl of a device that does not exist", "sysctl net.ipv4.conf.nosuch0.rp_filter=0 &>/dev/null", 1),
        (
            "flushing main in a new namespace, which has no table yet",
            "ip netns add empty1\nip netns exec empty1 ip route flush table main", 2
        ),
    ]
}
