#!/bin/bash
# Replay of a small arc between beta and gamma, with checks.

### Start of the systems

echo "beta comes up"
cat <<EOF | lxc exec beta bash
set -e
ip link set dev eth1 up
ip address add 169.254.96.141 dev eth1
EOF
lxc exec gamma -- ip link set dev eth1 up
lxc exec gamma -- ip address add 169.254.94.223 dev eth1

### Arc

echo "beta and gamma form an arc"
cat <<EOF | lxc exec beta bash
set -e
ip route add 169.254.94.223 dev eth1 src 169.254.96.141
EOF
cat <<'EOF' | lxc exec gamma bash
set -e
ip route add 169.254.96.141 dev eth1 src 169.254.94.223
EOF
# both ends must answer now
lxc exec beta -- ping -q -n -c 1 169.254.94.223 -W 1 &>/dev/null || (echo "beta cannot reach gamma"; exit 1)
lxc exec beta -- ping -q -n -c 1 -W 1 169.254.24.198 > /dev/null 2>&1 || (echo "beta cannot reach gamma/migr02"; exit 1)
cat <<EOF | lxc exec gamma bash
set -e
ping -q -n -c 1 169.254.96.141 -W 1 &>/dev/null || (echo "gamma cannot reach beta"; exit 1)
EOF

echo "alfa is not connected"
lxc exec alfa -- ping -q -n -c 1 169.254.94.223 -W 1 &>/dev/null && (echo "alfa reaches gamma"; exit 1)
