/// The bash texts of the lab's namespace holders. Values reach them only as positional arguments,
/// never spliced into the text, so no node or path name can change what they run.
enum HolderScripts {
    /// Records its own PID first (before any namespace exists), then becomes `$2 …`.
    /// `$1` pid file, `$2…` the program to become (unshare …).
    static let spawn = #"printf '%s\n' "$$" > "$1" || exit 1; shift; exec "$@""#

    /// Runs inside the node's new net + mount + UTS namespaces (mounts are private there). /run, /dev/shm
    /// (where the agent keeps its temporary files), /sys and root's home are the node's own, so they end
    /// with it (/dev/shm holds each block's whole output until it is sent: a cap of 1 GiB, used only as written)
    /// — and a login on the node does not run the host's ~/.bashrc (whatever that starts, a language
    /// version manager say, would otherwise be paid for by every SSH session to the node).
    /// `$1` node, `$2` iproute2 copy, `$3` setup batch, `$4` process title, `$5` mount, `$6` mkdir,
    /// `$7` ip, `$8` sleep. Waits for "go" (sent once its veths exist); exits if the parent dies first.
    static let node = #"""
        set -eu
        printf '%s\n' "$1" > /proc/sys/kernel/hostname
        "$5" -t tmpfs -o mode=0755,size=16m testbed-run /run
        "$5" -t sysfs testbed-sys /sys
        "$5" -t tmpfs -o mode=1777,size=1g testbed-shm /dev/shm
        "$5" -t tmpfs -o mode=0700,size=16m testbed-home /root
        "$6" -m 0755 /run/netns /run/sshd
        "$5" --bind "$2" /etc/iproute2
        printf 'ready\n'
        IFS= read -r go
        [ "$go" = go ]
        "$7" -batch "$3"
        printf 'up\n'
        exec -a "$4" "$8" infinity </dev/null >/dev/null 2>&1
        """#

    /// Runs inside the switch's new network namespace, where the bridges live.
    /// `$1` process title, `$2` sleep.
    static let switchHolder = #"""
        set -eu
        echo 1 > /proc/sys/net/ipv6/conf/default/disable_ipv6
        echo 1 > /proc/sys/net/ipv6/conf/all/disable_ipv6
        printf 'ready\n'
        IFS= read -r go
        [ "$go" = go ]
        printf 'up\n'
        exec -a "$1" "$2" infinity </dev/null >/dev/null 2>&1
        """#

    static let mountTargets = ["/run", "/sys", "/dev/shm", "/root", "/etc/iproute2"]
}
