#!/bin/bash
# The same start and arc as the LXC version, over ssh as the older replay scripts drove the systems.
set -e

### Start of the systems

echo "beta starts"
cat <<EOF | ssh -o BatchMode=yes root@beta bash
set -e
sysctl net.ipv4.ip_forward=1 &>/dev/null
ip link set dev eth1 up
ip address add 169.254.96.141 dev eth1
EOF
(echo; echo "251 ntk # xxx_table_ntk_xxx") | ssh beta sudo tee -a /etc/iproute2/rt_tables >/dev/null
ssh beta sudo ip rule add table ntk
echo "gamma starts"
ssh gamma "sudo bash -c 'ip link set dev eth1 up; ip address add 169.254.94.223 dev eth1'"
(echo; echo "251 ntk # xxx_table_ntk_xxx") | ssh -T gamma sudo -n tee -a /etc/iproute2/rt_tables >/dev/null
ssh gamma sudo ip rule add table ntk
sleep 1

### Arc beta-gamma

echo "beta and gamma form an arc"
cat <<'EOF' | ssh beta bash
set -e
sudo ip route add 169.254.94.223 dev eth1 src 169.254.96.141
EOF
ssh -p 22 gamma sudo bash <<'EOF'
set -e
ip route add 169.254.96.141 dev eth1 src 169.254.94.223
ip route add unreachable 10.0.0.0/29 table ntk
EOF
ssh beta ping -q -n -c 1 169.254.94.223 -W 1 &>/dev/null || (echo "beta cannot reach gamma"; exit 1)
