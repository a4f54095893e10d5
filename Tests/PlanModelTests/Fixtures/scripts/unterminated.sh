echo "never closed"
cat <<EOF | lxc exec alfa bash
ip link set dev eth1 up
