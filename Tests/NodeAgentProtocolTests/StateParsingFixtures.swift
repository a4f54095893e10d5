/// Real dumps captured on this machine kind (Debian 12: iproute2 6.1, iptables 1.8.9 nf_tables; Linux 6.18) by
/// `captureScript` in a throwaway net+mount namespace with a private /etc/iproute2 and /run/netns: eth1 is a veth
/// (MAC 00:16:3e:ec:a3:e1, up) whose peer p1 sits in the namespace "peer". Kept as literals, byte for byte, so
/// the test target needs no resource files.
enum StateParsingFixtures {
    static let rtTables = #"""
        #
        # reserved values
        #
        255	local
        254	main
        253	default
        0	unspec
        #
        # local
        #
        #1	inr.ruhep

        251 ntk # xxx_table_ntk_xxx

        250 ntk_from_00:16:3E:5B:78:D5 # xxx_table_ntk_from_00:16:3E:5B:78:D5_xxx
        """# + "\n"

    static let routes = #"""
        [{"type":"prohibit","dst":"10.0.0.24/29","table":"77","flags":[]},{"type":"throw","dst":"10.0.0.32/29","table":"77","metric":5,"flags":[]},{"type":"blackhole","dst":"10.0.0.16/29","table":"ntk_from_00:16:3E:5B:78:D5","flags":[]},{"type":"unreachable","dst":"10.0.0.0/29","table":"ntk","flags":[]},{"dst":"10.0.0.8/29","gateway":"169.254.94.223","dev":"eth1","table":"ntk","prefsrc":"10.1.0.1","flags":[]},{"dst":"default","gateway":"169.254.94.223","dev":"eth1","protocol":"static","flags":[]},{"dst":"10.1.0.0/24","dev":"eth1","protocol":"kernel","scope":"link","prefsrc":"10.1.0.1","flags":[]},{"dst":"169.254.94.223","dev":"eth1","scope":"link","prefsrc":"169.254.96.141","flags":[]},{"type":"local","dst":"10.0.0.32","dev":"lo","table":"local","protocol":"kernel","scope":"host","prefsrc":"10.0.0.32","flags":[]},{"type":"local","dst":"10.1.0.1","dev":"eth1","table":"local","protocol":"kernel","scope":"host","prefsrc":"10.1.0.1","flags":[]},{"type":"local","dst":"10.1.0.7","dev":"eth1","table":"local","protocol":"kernel","scope":"host","prefsrc":"10.1.0.1","flags":[]},{"type":"broadcast","dst":"10.1.0.255","dev":"eth1","table":"local","protocol":"kernel","scope":"link","prefsrc":"10.1.0.1","flags":[]},{"type":"local","dst":"127.0.0.0/8","dev":"lo","table":"local","protocol":"kernel","scope":"host","prefsrc":"127.0.0.1","flags":[]},{"type":"local","dst":"127.0.0.1","dev":"lo","table":"local","protocol":"kernel","scope":"host","prefsrc":"127.0.0.1","flags":[]},{"type":"broadcast","dst":"127.255.255.255","dev":"lo","table":"local","protocol":"kernel","scope":"link","prefsrc":"127.0.0.1","flags":[]},{"type":"local","dst":"169.254.96.141","dev":"eth1","table":"local","protocol":"kernel","scope":"host","prefsrc":"169.254.96.141","flags":[]},{"dst":"fe80::/64","dev":"eth1","protocol":"kernel","metric":256,"flags":[],"pref":"medium"},{"type":"local","dst":"::1","dev":"lo","table":"local","protocol":"kernel","metric":0,"flags":[],"pref":"medium"},{"type":"multicast","dst":"ff00::/8","dev":"eth1","table":"local","protocol":"kernel","metric":256,"flags":[],"pref":"medium"}]
        """# + "\n"

    static let rules = #"""
        [{"priority":0,"src":"all","table":"local"},{"priority":100,"src":"all","action":"blackhole"},{"priority":32763,"src":"10.1.0.0","srclen":24,"dst":"10.4.0.0","dstlen":16,"fwmark":"0x10","fwmask":"0xff","table":"77"},{"priority":32764,"src":"all","fwmark":"0xfa","table":"ntk_from_00:16:3E:5B:78:D5"},{"priority":32765,"src":"all","table":"ntk"},{"priority":32766,"src":"all","table":"main"},{"priority":32767,"src":"all","table":"default"}]
        """# + "\n"

    static let addresses = #"""
        [{"ifindex":1,"ifname":"lo","flags":["LOOPBACK","UP","LOWER_UP"],"mtu":65536,"qdisc":"noqueue","operstate":"UNKNOWN","group":"default","txqlen":1000,"link_type":"loopback","address":"00:00:00:00:00:00","broadcast":"00:00:00:00:00:00","addr_info":[{"family":"inet","local":"127.0.0.1","prefixlen":8,"scope":"host","label":"lo","valid_life_time":4294967295,"preferred_life_time":4294967295},{"family":"inet","local":"10.0.0.32","prefixlen":32,"scope":"global","label":"lo","valid_life_time":4294967295,"preferred_life_time":4294967295},{"family":"inet6","local":"::1","prefixlen":128,"scope":"host","valid_life_time":4294967295,"preferred_life_time":4294967295}]},{"ifindex":2,"link_index":2,"ifname":"eth1","flags":["BROADCAST","MULTICAST","UP","LOWER_UP"],"mtu":1500,"qdisc":"noqueue","operstate":"UP","group":"default","txqlen":1000,"link_type":"ether","address":"00:16:3e:ec:a3:e1","broadcast":"ff:ff:ff:ff:ff:ff","link_netnsid":0,"addr_info":[{"family":"inet","local":"169.254.96.141","prefixlen":32,"scope":"global","label":"eth1","valid_life_time":4294967295,"preferred_life_time":4294967295},{"family":"inet","local":"10.1.0.1","prefixlen":24,"scope":"global","label":"eth1","valid_life_time":4294967295,"preferred_life_time":4294967295},{"family":"inet","local":"10.1.0.7","prefixlen":24,"scope":"global","secondary":true,"label":"eth1","valid_life_time":4294967295,"preferred_life_time":4294967295},{"family":"inet6","local":"fe80::216:3eff:feec:a3e1","prefixlen":64,"scope":"link","tentative":true,"valid_life_time":4294967295,"preferred_life_time":4294967295}]}]
        """# + "\n"

    static let linksWithDetails = #"""
        [{"ifindex":1,"ifname":"lo","flags":["LOOPBACK","UP","LOWER_UP"],"mtu":65536,"qdisc":"noqueue","operstate":"UNKNOWN","linkmode":"DEFAULT","group":"default","txqlen":1000,"link_type":"loopback","address":"00:00:00:00:00:00","broadcast":"00:00:00:00:00:00","promiscuity":0,"allmulti":0,"min_mtu":0,"max_mtu":0,"inet6_addr_gen_mode":"eui64","num_tx_queues":1,"num_rx_queues":1,"gso_max_size":65536,"gso_max_segs":65535,"tso_max_size":524280,"tso_max_segs":65535,"gro_max_size":65536},{"ifindex":2,"link_index":2,"ifname":"eth1","flags":["BROADCAST","MULTICAST","UP","LOWER_UP"],"mtu":1500,"qdisc":"noqueue","operstate":"UP","linkmode":"DEFAULT","group":"default","txqlen":1000,"link_type":"ether","address":"00:16:3e:ec:a3:e1","broadcast":"ff:ff:ff:ff:ff:ff","link_netnsid":0,"promiscuity":1,"allmulti":0,"min_mtu":68,"max_mtu":65535,"linkinfo":{"info_kind":"veth"},"inet6_addr_gen_mode":"eui64","num_tx_queues":2,"num_rx_queues":2,"gso_max_size":65536,"gso_max_segs":65535,"tso_max_size":524280,"tso_max_segs":65535,"gro_max_size":65536}]
        """# + "\n"

    static let addressesInMigr01 = #"""
        [{"ifindex":1,"ifname":"lo","flags":["LOOPBACK"],"mtu":65536,"qdisc":"noop","operstate":"DOWN","group":"default","txqlen":1000,"link_type":"loopback","address":"00:00:00:00:00:00","broadcast":"00:00:00:00:00:00","addr_info":[]},{"ifindex":3,"link_index":2,"ifname":"migr01_eth1","flags":["BROADCAST","MULTICAST","UP","LOWER_UP"],"mtu":1500,"qdisc":"noqueue","operstate":"UP","group":"default","txqlen":1000,"link_type":"ether","address":"00:16:3e:ee:af:d1","broadcast":"ff:ff:ff:ff:ff:ff","link_netnsid":0,"addr_info":[{"family":"inet6","local":"fe80::216:3eff:feee:afd1","prefixlen":64,"scope":"link","tentative":true,"valid_life_time":4294967295,"preferred_life_time":4294967295}]}]
        """# + "\n"

    static let netnsList = #"""
        [{"name":"migr01","id":1},{"name":"peer","id":0}]
        """# + "\n"

    static let iptablesSave = #"""
        # Generated by iptables-save v1.8.9 (nf_tables) on Sat Nov 21 12:03:52 2026
        *mangle
        :PREROUTING ACCEPT [0:0]
        :INPUT ACCEPT [0:0]
        :FORWARD ACCEPT [0:0]
        :OUTPUT ACCEPT [0:0]
        :POSTROUTING ACCEPT [0:0]
        -A PREROUTING -m mac --mac-source 00:16:3e:5b:78:d5 -j MARK --set-xmark 0xfa/0xffffffff
        COMMIT
        # Completed on Sat Nov 21 12:03:52 2026
        # Generated by iptables-save v1.8.9 (nf_tables) on Sat Nov 21 12:03:52 2026
        *nat
        :PREROUTING ACCEPT [0:0]
        :INPUT ACCEPT [0:0]
        :OUTPUT ACCEPT [0:0]
        :POSTROUTING ACCEPT [0:0]
        -A POSTROUTING -s 10.0.0.40/31 -d 10.0.0.0/27 -j NETMAP --to 10.0.0.12/31
        -A POSTROUTING -d 10.0.0.64/27 -j SNAT --to-source 10.0.0.29
        COMMIT
        # Completed on Sat Nov 21 12:03:52 2026
        """# + "\n"

    static let captureScript = #"""
        # How the fixtures were captured (iproute2 6.1, iptables 1.8.9 nf_tables, Linux 6.18): in a throwaway
        # net+mount namespace with a private /etc/iproute2 and /run/netns, eth1 a veth (MAC 00:16:3e:ec:a3:e1, up)
        # whose peer p1 is in the namespace "peer". StateParsingTests runs the same commands through the model.
        out=/work/main/Tests/NodeAgentProtocolTests/Fixtures/state
        ip address add 10.0.0.32 dev lo
        ip address add 169.254.96.141 dev eth1
        ip address add 10.1.0.1/24 dev eth1
        ip address add 10.1.0.7/24 dev eth1
        (echo; echo "251 ntk # xxx_table_ntk_xxx") | tee -a /etc/iproute2/rt_tables >/dev/null
        (echo; echo "250 ntk_from_00:16:3E:5B:78:D5 # xxx_table_ntk_from_00:16:3E:5B:78:D5_xxx") | tee -a /etc/iproute2/rt_tables >/dev/null
        ip rule add table ntk
        ip rule add fwmark 250 table ntk_from_00:16:3E:5B:78:D5
        ip rule add from 10.1.0.0/24 to 10.4.0.0/16 fwmark 0x10/0xff table 77

        ip route add 169.254.94.223 dev eth1 src 169.254.96.141
        ip route add unreachable 10.0.0.0/29 table ntk
        ip route add 10.0.0.8/29 table ntk via 169.254.94.223 dev eth1 src 10.1.0.1
        ip route add blackhole 10.0.0.16/29 table ntk_from_00:16:3E:5B:78:D5
        ip route add prohibit 10.0.0.24/29 table 77
        ip route add throw 10.0.0.32/29 table 77 metric 5
        ip route add default via 169.254.94.223 dev eth1 proto static
        ip netns add migr01
        ip link add dev migr01_eth1 link eth1 type macvlan
        ip link set dev migr01_eth1 netns migr01
        ip -n migr01 link set dev migr01_eth1 address 00:16:3E:EE:AF:D1 up
        iptables -t mangle -A PREROUTING -m mac --mac-source 00:16:3E:5B:78:D5 -j MARK --set-mark 250
        iptables -t nat -A POSTROUTING -d 10.0.0.0/27  -s 10.0.0.40/31 -j NETMAP --to 10.0.0.12/31
        iptables -t nat -A POSTROUTING -d 10.0.0.64/27 -j SNAT --to 10.0.0.29
        ip rule add pref 100 blackhole
        sleep 1
        ip -j route show table all > $out/routes.json
        ip -j rule show > $out/rules.json
        ip -j address show > $out/addresses.json
        ip -j -d link show > $out/links-details.json
        ip -n migr01 -j address show > $out/addresses-migr01.json
        ip -j netns list > $out/netns.json
        ip netns del peer; ip -j netns list > /dev/null
        iptables-save > $out/iptables-save.txt
        cat /etc/iproute2/rt_tables > $out/rt_tables.txt
        """# + "\n"
}
