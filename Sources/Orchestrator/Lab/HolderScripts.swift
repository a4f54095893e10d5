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
    /// version manager say, would otherwise be paid for by every SSH session to the node). Every mount is made
    /// by one `mount -a` from the node's `mountTable` (five `mount` and a `mkdir` were six processes per node).
    /// `$1` node, `$2` mount table, `$3` setup batch, `$4` process title, `$5` mount,
    /// `$6` ip, `$7` sleep. Waits for "go" (sent once its veths exist); exits if the parent dies first.
    static let node = #"""
        set -eu
        printf '%s\n' "$1" > /proc/sys/kernel/hostname
        "$5" -a -T "$2"
        printf 'ready\n'
        IFS= read -r go
        [ "$go" = go ]
        "$6" -batch "$3"
        printf 'up\n'
        exec -a "$4" "$7" infinity </dev/null >/dev/null 2>&1
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

    static let mountTargets = ["/run", "/run/netns", "/run/sshd", "/sys", "/dev/shm", "/root", "/etc/iproute2"]

    /// The node's mounts, in order (/run first: /run/netns and /run/sshd are small tmpfs on it whose mount points
    /// `X-mount.mkdir` makes). libmount reads the table only from a regular file, not from a pipe.
    ///
    /// /etc/iproute2 is an overlay of the host's, with the node's own changes in `upper`: two empty directories per
    /// node instead of a copy of every file (14 on Debian), which cost ≈ 12 ms a node to write and 7 ms to remove on
    /// this machine's disk. The overlay ends with the node's mount namespace.
    /// - Returns: nil when `upper` or `work` holds a character an overlay option cannot carry (`,` `:` `\` or a
    ///   blank); the lab's paths never do (the state root and node names are checked), but the table must not
    ///   silently mean something else.
    static func mountTable(iproute2Upper upper: String, work: String) -> String? {
        let isPlain = { (path: String) in !path.unicodeScalars.contains { ",: \t\n\\".unicodeScalars.contains($0) } }
        guard isPlain(upper), isPlain(work) else { return nil }
        return """
            testbed-run /run tmpfs mode=0755,size=16m 0 0
            testbed-netns /run/netns tmpfs mode=0755,size=1m,X-mount.mkdir=0755 0 0
            testbed-sshd /run/sshd tmpfs mode=0755,size=1m,X-mount.mkdir=0755 0 0
            testbed-sys /sys sysfs defaults 0 0
            testbed-shm /dev/shm tmpfs mode=1777,size=1g 0 0
            testbed-home /root tmpfs mode=0700,size=16m 0 0
            testbed-iproute2 /etc/iproute2 overlay lowerdir=/etc/iproute2,upperdir=\(upper),workdir=\(work) 0 0

            """
    }
}
