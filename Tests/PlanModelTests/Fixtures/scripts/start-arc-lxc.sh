#!/bin/bash
# Start of beta and gamma and their arc, driven through LXC containers.
set -e

### Start of the systems

echo "beta starts"
cat <<EOF | lxc exec beta bash
set -e
sysctl net.ipv4.ip_forward=1 &>/dev/null
ip link set dev eth1 up
ip address add 169.254.96.141 dev eth1
EOF
(echo; echo "251 ntk # xxx_table_ntk_xxx") | lxc exec beta -- tee -a /etc/iproute2/rt_tables >/dev/null
lxc exec beta -- ip rule add table ntk
echo "gamma starts"
lxc exec gamma -- bash -c 'ip link set dev eth1 up; ip address add 169.254.94.223 dev eth1'
(echo; echo "251 ntk # xxx_table_ntk_xxx") | lxc exec gamma -- tee -a /etc/iproute2/rt_tables >/dev/null
lxc exec gamma -- ip rule add table ntk
sleep 1

### Arc beta-gamma

echo "beta and gamma form an arc"
cat <<'EOF' | lxc exec beta bash
set -e
ip route add 169.254.94.223 dev eth1 src 169.254.96.141
EOF
cat <<'EOF' | lxc exec gamma bash
set -e
ip route add 169.254.96.141 dev eth1 src 169.254.94.223
ip route add unreachable 10.0.0.0/29 table ntk
EOF
lxc exec beta -- ping -q -n -c 1 169.254.94.223 -W 1 &>/dev/null || (echo "beta cannot reach gamma"; exit 1)
