import Foundation
import PlanModel

extension LXDLabBuilder {
    /// Makes the switch (for a cluster) and each member's namespace, directory and daemon, every object recorded
    /// before it is made; returns the running daemons.
    func startMembers(journal: LabJournal) throws(LabError) -> [Member] {
        let root = ProviderShell()
        if memberCount > 1 {
            journal.record(.intent, [.networkNamespace(name: switchNamespace)])
            try journal.commit()
            try root.run(tools.ip, ["netns", "add", switchNamespace])
            try root.run(
                tools.ip, ["-n", switchNamespace, "link", "add", "br0", "type", "bridge", "mcast_snooping", "0"])
            try root.run(tools.ip, ["-n", switchNamespace, "link", "set", "br0", "up"])
        }
        var members: [Member] = []
        for index in 1...memberCount {
            let directory = memberDirectory(index)
            let netns = namespace(member: index)
            journal.record(
                .intent,
                [
                    .directory(path: directory), .networkNamespace(name: netns),
                    .lxdMember(index: index, directory: directory, networkNamespace: netns),
                    .daemon(name: "lxd m\(index) of \(topology.name)"),
                ])
            try journal.commit()
            do {
                for sub in ["lxd", "conf", "cgroup"] {
                    try FileManager.default.createDirectory(
                        atPath: directory + "/" + sub, withIntermediateDirectories: true)
                }
                try Data().write(to: URL(fileURLWithPath: directory + "/resolv.conf"))
            } catch {
                throw LabError.io("cannot create \(directory)", error)
            }
            try root.run(tools.ip, ["netns", "add", netns])
            try root.run(tools.ip, ["-n", netns, "link", "set", "lo", "up"])
            if memberCount > 1 {
                // Made straight inside the two namespaces: the root namespace never holds either end.
                try root.run(
                    tools.ip,
                    [
                        "link", "add", "lan0", "netns", netns, "type", "veth", "peer", "name", "m\(index)", "netns",
                        switchNamespace,
                    ])
                try root.run(tools.ip, ["-n", switchNamespace, "link", "set", "m\(index)", "master", "br0", "up"])
                try root.run(tools.ip, ["-n", netns, "addr", "add", "169.254.200.\(index)/24", "dev", "lan0"])
                try root.run(tools.ip, ["-n", netns, "link", "set", "lan0", "up"])
            }
            let member = try startDaemon(index, journal: journal)
            members.append(member)
        }
        for member in members { try waitReady(member) }
        return members
    }

    /// Starts member `index`'s daemon in new mount and PID namespaces (a fresh sysfs that shows the member's
    /// interfaces, the host's cgroup mounts moved back on top, an empty resolv.conf so its look-ups stay on the
    /// member's loopback); the PID namespace's end takes the daemon, its helpers and the containers with it.
    private func startDaemon(_ index: Int, journal: LabJournal) throws(LabError) -> Member {
        let directory = memberDirectory(index)
        let setup =
            #"mount --rbind /sys/fs/cgroup "$1" && mount -t sysfs sysfs /sys && mount --move "$1" /sys/fs/cgroup"#
            + #" && mount --bind "$3" /etc/resolv.conf && exec "$4" --logfile "$2""#
        let shell = shell(member: index)
        let (program, arguments) = shell.wrapped(
            tools.unshare,
            [
                "--mount", "--propagation", "private", "--pid", "--fork", "--kill-child", "--mount-proc", "/bin/sh",
                "-c", setup, "lxd-member", directory + "/cgroup", directory + "/lxd.log", directory + "/resolv.conf",
                tools.lxd,
            ])
        let child: ChildProcess
        do {
            child = try ChildProcess(
                executable: program, arguments: arguments,
                options: .init(
                    environment: shell.fullEnvironment, stdin: .null,
                    stdout: .file(path: directory + "/daemon.out", append: false),
                    stderr: .file(path: directory + "/daemon.out", append: true), newSession: true))
        } catch {
            throw LabError.setup("cannot start the LXD daemon of member m\(index)", cause: "\(error)")
        }
        let startTime = ProcFS.startTime(of: child.pid) ?? 0
        journal.recordCreated(.daemon(name: "lxd m\(index) of \(topology.name)"), pid: child.pid, startTime: startTime)
        try journal.commit()
        return Member(index: index, pid: child.pid, startTime: startTime)
    }

    private func waitReady(_ member: Member) throws(LabError) {
        let output = try shell(member: member.index).runAllowingFailure(tools.lxd, ["waitready", "--timeout", "60"])
        guard output.status.isSuccess else {
            let log = ProcFS.read(memberDirectory(member.index) + "/lxd.log").map {
                String(decoding: $0.suffix(2000), as: UTF8.self)
            }
            throw LabError.setup("LXD member m\(member.index) did not become ready", cause: log ?? output.stderrText)
        }
    }

    /// `btrfs` on a sparse loop file in the member's directory when `mkfs.btrfs` is installed: a container is a
    /// snapshot of the image, made in a fraction of a second. Else `dir`, which unpacks the whole image for every
    /// container (seconds each). `TESTBED_LXD_STORAGE=dir|btrfs` chooses.
    var storageDriver: String {
        if let chosen = ProcessEnvironment.value("TESTBED_LXD_STORAGE"), ["dir", "btrfs"].contains(chosen) {
            return chosen
        }
        return ProcessEnvironment.which("mkfs.btrfs") == nil ? "dir" : "btrfs"
    }

    /// The loop file's size: sparse, so only what the containers write takes space.
    static let loopSize = "30GiB"

    /// A joining member's own size of the loop file (a member-specific key of the pool).
    private var loopSizeLine: String {
        storageDriver == "btrfs" ? "  - {entity: storage-pool, name: default, key: size, value: \(Self.loopSize)}" : ""
    }

    private var storagePool: String {
        storageDriver == "btrfs"
            ? "{name: default, driver: btrfs, config: {size: \(Self.loopSize)}}" : "{name: default, driver: dir}"
    }

    /// One daemon: storage, the management bridge and the default profile by preseed. A cluster: bootstrap on m1,
    /// join the others with a token each, then the management bridge on every member.
    func configureMembers(_ members: [Member]) throws(LabError) {
        let bridge = [
            "ipv4.address": management.description, "ipv4.nat": "false", "ipv4.firewall": "false",
            "ipv6.address": "none",
        ]
        if memberCount == 1 {
            let config = bridge.sorted { $0.key < $1.key }.map { "    \($0.key): \"\($0.value)\"" }.joined(
                separator: "\n")
            let preseed = """
                storage_pools:
                - \(storagePool)
                networks:
                - name: lxdbr0
                  type: bridge
                  config:
                \(config)
                profiles:
                - name: default
                  devices:
                    root: {path: /, pool: default, type: disk}

                """
            try shell(member: 1).run(tools.lxd, ["init", "--preseed"], input: Array(preseed.utf8))
            return
        }
        let bootstrap = """
            config: {core.https_address: "169.254.200.1:8443"}
            cluster: {server_name: m1, enabled: true}
            storage_pools:
            - \(storagePool)
            profiles:
            - name: default
              devices:
                root: {path: /, pool: default, type: disk}

            """
        try shell(member: 1).run(tools.lxd, ["init", "--preseed"], input: Array(bootstrap.utf8))
        for member in members.dropFirst() {
            let token = try lxc(1, ["cluster", "add", "m\(member.index)", "--quiet"])
                .trimmingCharacters(in: .whitespacesAndNewlines)
            let join = """
                cluster:
                  enabled: true
                  server_name: m\(member.index)
                  server_address: "169.254.200.\(member.index):8443"
                  cluster_token: "\(token)"
                  member_config:
                  - {entity: storage-pool, name: default, key: source, value: ""}
                \(loopSizeLine)

                """
            try shell(member: member.index).run(tools.lxd, ["init", "--preseed"], input: Array(join.utf8))
        }
        try createNetwork(
            "lxdbr0", bridge.sorted { $0.key < $1.key }.map { "\($0.key)=\($0.value)" }, cluster: ownCluster)
    }

    /// The LXD network name of segment `index` (an interface name: at most 15 bytes); on a user's endpoint
    /// prefixed by the lab's short hash, so labs and the user's own networks keep apart.
    func networkName(segment index: Int) -> String {
        settings.endpoint == nil ? "tbs\(index + 1)" : "tb\(endpointHash)s\(index + 1)"
    }

    /// The bridge every container's eth0 is on.
    var managementNetworkName: String { settings.endpoint == nil ? "lxdbr0" : "tb\(endpointHash)m" }

    /// One network per segment, without addresses or NAT; in a cluster a VXLAN network across the members,
    /// each with its own id and multicast group. An interface on no segment gets a network of its own. With a
    /// `tag` (a user's endpoint) each is recorded first and carries `user.testbed.lab=tag`.
    func createNetworks(journal: LabJournal, tag: String?, cluster: LXDClusterLayout?) throws(LabError) {
        for index in segmentsAndLoners().indices {
            let name = networkName(segment: index)
            var settings = ["ipv4.address=none", "ipv6.address=none"]
            if let tag {
                settings.append("user.testbed.lab=\(tag)")
                journal.record(.intent, [.endpointObject(kind: .network, name: name)])
                try journal.commit()
            }
            settings += cluster?.tunnelSettings(segment: index) ?? []
            try createNetwork(name, settings, cluster: cluster)
        }
    }

    /// An LXD network; in a cluster first pending on every member (`--target`, which takes member-specific keys
    /// only), then made cluster-wide with `settings`.
    func createNetwork(_ name: String, _ settings: [String], cluster: LXDClusterLayout?) throws(LabError) {
        for member in cluster?.members ?? [] { try lxc(1, ["network", "create", name, "--target", member.name]) }
        try lxc(1, ["network", "create", name] + settings)
    }

    /// The topology's segments, then one for every interface that is on none.
    func segmentsAndLoners() -> [[Endpoint]] {
        var result = topology.segments.map(\.endpoints)
        for node in topology.nodes.values {
            for name in node.interfaces.keys where topology.segment(of: node.name, interface: name) == nil {
                result.append([Endpoint(node: node.name, interface: name)])
            }
        }
        return result
    }
}
