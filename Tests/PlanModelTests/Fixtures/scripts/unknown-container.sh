echo "zeta joins"
cat <<EOF | lxc exec zeta bash
ip link set dev eth1 up
EOF
