import Foundation
import Logging
import PlanModel

/// Builds an LXD lab: a private LXD daemon (or a cluster of `members` daemons) in network, mount and PID namespaces
/// of the lab's own, one container per node from the project's image, one LXD network per segment (a bridge with no
/// address and no NAT; in a cluster a VXLAN network across the members), the topology's NICs with their names and
/// MACs, host keys made here and pushed in before the first boot, so known_hosts is exact from the start.
///
/// The management path: each container's eth0 is on its member's own bridge `lxdbr0` (169.254.201.0/24 unless
/// `provider.management` says otherwise) with a fixed DHCP address; testbed dials it from inside the member's
/// network namespace. Nothing is linked to the host's interfaces; there is no image server and no NAT.
struct LXDLabBuilder {
    let topology: Topology
    let paths: LabPaths
    let settings: LabProvider
    let logger: Logger
    let tools: Tools
    static let imageAlias = "testbed-debian12"

    struct Tools {
        let ip: String
        let lxd: String
        let lxc: String
        let unshare: String
        let sshKeygen: String

        static func locate() throws(LabError) -> Tools {
            Tools(
                ip: try ProviderShell.locate("ip", package: "iproute2"),
                lxd: try ProviderShell.locate("lxd", package: "lxd"),
                lxc: try ProviderShell.locate("lxc", package: "lxd"),
                unshare: try ProviderShell.locate("unshare", package: "util-linux"),
                sshKeygen: try ProviderShell.locate("ssh-keygen", package: "openssh-client"))
        }
    }

    /// A running member daemon.
    struct Member {
        let index: Int
        let pid: Int32
        let startTime: UInt64
    }

    init(topology: Topology, paths: LabPaths, logger: Logger) throws(LabError) {
        self.topology = topology
        self.paths = paths
        self.settings = topology.labProvider
        self.logger = logger
        self.tools = try Tools.locate()
    }

    var memberCount: Int { max(1, settings.members) }

    /// Testbed's own members, when there are several.
    var ownCluster: LXDClusterLayout? { memberCount > 1 ? .own(members: memberCount) : nil }

    /// The gateway address and prefix of the management bridge; on a user's endpoint 169.254.202.1/24 by default,
    /// beside the 169.254.201.0/24 of `Scripts/lxd-sandbox` and of testbed's own daemons.
    var management: IPPrefix {
        settings.managementNetwork
            ?? IPPrefix(address: .v4(settings.endpoint == nil ? 0xA9FE_C901 : 0xA9FE_CA01), length: 24)
    }

    /// Per-lab names, so labs of different names live side by side.
    func namespace(member index: Int) -> String { "tb-\(topology.name)-m\(index)" }
    var switchNamespace: String { "tb-\(topology.name)-sw" }
    func memberDirectory(_ index: Int) -> String { paths.directory + "/m\(index)" }

    /// Commands in member `index`'s network namespace with its LXD_DIR and LXD_CONF; on a user's endpoint, lxc
    /// with the lab's client configuration in the endpoint's namespace.
    func shell(member index: Int) -> ProviderShell {
        if let endpoint = settings.endpoint {
            return ProviderShell(
                environment: ["LXD_CONF=\(endpointConfigDirectory)"], networkNamespace: endpoint.networkNamespace)
        }
        return ProviderShell(
            environment: ["LXD_DIR=\(memberDirectory(index))/lxd", "LXD_CONF=\(memberDirectory(index))/conf"],
            networkNamespace: "/run/netns/" + namespace(member: index))
    }

    @discardableResult
    func lxc(_ member: Int, _ arguments: [String], input: String = "") throws(LabError) -> String {
        try shell(member: member).run(tools.lxc, arguments, input: Array(input.utf8))
    }

    /// Brings the lab up; the caller holds the lock and removes everything on failure.
    func build(journal: LabJournal, labID: String, start: ContinuousClock.Instant) throws(LabError) -> LabSummary {
        if settings.endpoint != nil { return try buildOnEndpoint(journal: journal, labID: labID, start: start) }
        try checkTraversable()
        try checkInotifyRoom(nodes: topology.nodes.count)
        var lap = ContinuousClock.now
        func phase(_ name: String) {
            logger.info("lxd lab phase: \(name) in \(String(format: "%.2f", lap.secondsSince)) s")
            lap = .now
        }
        let image = try ProviderImage.locate(.lxd, given: settings.image)
        let nodes = try plan()
        try ProviderKeys.prepare(topology: topology, paths: paths, sshKeygen: tools.sshKeygen, journal: journal)
        phase("image and keys")
        let members = try startMembers(journal: journal)
        FaultInjection.checkpoint("provider-members")
        try configureMembers(members)
        try createNetworks(journal: journal, tag: nil, cluster: ownCluster)
        phase("daemons (\(storageDriver) storage) and networks")
        try lxc(
            1, ["image", "import", image + "/metadata.tar.gz", image + "/rootfs.tar.gz", "--alias", Self.imageAlias])
        phase("image import")
        try createContainers(nodes, journal: journal, image: Self.imageAlias, tag: nil, cluster: ownCluster)
        FaultInjection.checkpoint("provider-instances")
        phase("containers created and keys pushed")
        try startContainers(nodes)
        FaultInjection.checkpoint("provider-started")
        phase("containers started")
        try ProviderKeys.writeAccess(nodes: nodes, paths: paths, topology: topology)
        try ProviderReadiness.waitForSSH(
            nodes, topology: topology, paths: paths, until: .now + .seconds(120 + nodes.count))
        phase("sshd answering and interfaces set")
        let info = ProviderLabInfo(
            kind: .lxd, members: memberCount, accelerator: nil, managementNetwork: management.description,
            image: image, nodes: nodes)
        let records = nodes.compactMap { node in
            members.first { $0.index == node.member }.map {
                LabSummary.NodeRecord(name: node.name, pid: $0.pid, startTime: $0.startTime, netnsInode: 0)
            }
        }
        var summary = LabSummary(
            name: topology.name, labID: labID, topologyPath: topology.sourcePath, topologyHash: topology.contentHash,
            createdAt: Date(), switchPID: members[0].pid, nodes: records, setupSeconds: start.secondsSince)
        summary.provider = info
        return summary
    }

    /// Where each node goes and its management address: `member:` of the topology, else round-robin.
    func plan() throws(LabError) -> [ProviderLabInfo.Node] {
        guard case .v4(let base) = management.network.address, case .v4(let gateway) = management.address else {
            throw LabError(
                .setupFailed, "the management network must be IPv4, not \(management)",
                hint: "give provider.management an IPv4 address with its prefix, e.g. 169.254.201.1/24")
        }
        let capacity = (1 << (32 - management.length)) - 12
        guard topology.nodes.count <= capacity else {
            throw LabError(
                .setupFailed,
                "the management network \(management) has room for \(capacity) nodes, not \(topology.nodes.count)",
                hint: "give provider.management a larger prefix, e.g. 169.254.0.1/16")
        }
        var used: Set<String> = []
        var result: [ProviderLabInfo.Node] = []
        for (index, node) in topology.nodes.values.enumerated() {
            let instance = Self.instanceName(lab: topology.name, node: node.name.rawValue)
            guard used.insert(instance).inserted else {
                throw LabError(
                    .setupFailed, "nodes of '\(topology.name)' map to one container name '\(instance)'",
                    hint: "rename one of the nodes (LXD names allow letters, digits and '-')")
            }
            // From .10 on, stepping over the gateway; the capacity check keeps it inside the prefix.
            var value = base + UInt32(10 + index)
            if value >= gateway && gateway > base + 9 { value += 1 }
            let address = IPAddress.v4(value)
            let member = node.member ?? (index % memberCount) + 1
            result.append(
                ProviderLabInfo.Node(
                    name: node.name, member: member, instance: instance, address: address.description, port: 22,
                    networkNamespace: managementNamespace(member: member)))
        }
        return result
    }

    /// The namespace the management addresses are dialled from: the member's, or the endpoint's (`/proc/self/ns/net`,
    /// the dialling process's own, when the endpoint runs in testbed's namespace).
    func managementNamespace(member: Int) -> String {
        guard let endpoint = settings.endpoint else { return "/run/netns/" + namespace(member: member) }
        return endpoint.networkNamespace ?? "/proc/self/ns/net"
    }

    /// Every container's systemd opens about a dozen inotify instances, and the kernel counts those of every
    /// container against root's `fs.inotify.max_user_instances` (the containers' user namespaces are root's).
    /// Past it, systemd-networkd and udevd fail in the later containers, which then never get their management
    /// address: refused here, before anything is made.
    func checkInotifyRoom(nodes: Int) throws(LabError) {
        let path = "/proc/sys/fs/inotify/max_user_instances"
        guard let bytes = ProcFS.read(path),
            let limit = Int(String(decoding: bytes, as: UTF8.self).trimmingCharacters(in: .whitespacesAndNewlines))
        else { return }
        if let problem = Self.inotifyProblem(nodes: nodes, limit: limit) { throw problem }
    }

    /// The refusal for `nodes` containers under an inotify instance limit of `limit`, or nil when they fit.
    static func inotifyProblem(nodes: Int, limit: Int) -> LabError? {
        let needed = nodes * 12 + 32
        guard needed > limit else { return nil }
        return LabError(
            .setupFailed,
            "\(nodes) LXD containers need about \(needed) inotify instances, "
                + "and fs.inotify.max_user_instances is \(limit)",
            hint: "raise it for the lab, e.g. sysctl -w fs.inotify.max_user_instances=\(max(1024, needed))")
    }

    /// Unprivileged containers run as a mapped uid, which must be able to walk down to their root file systems.
    func checkTraversable() throws(LabError) {
        var directory = paths.labs
        while directory.count > 1 {
            if let status = try? SystemCall.status(ofPath: directory), status.st_mode & 0o001 == 0 {
                throw LabError(
                    .setupFailed, "LXD containers cannot reach their files under \(directory) (mode without o+x)",
                    hint: "make it traversable (chmod o+x \(directory)), or set TESTBED_HOME elsewhere")
            }
            directory = (directory as NSString).deletingLastPathComponent
        }
    }

    /// `tb-<lab>-<node>`, in LXD's alphabet (letters, digits, '-'), at most 63 characters.
    static func instanceName(lab: String, node: String) -> String {
        let raw = "tb-\(lab)-\(node)".map { $0.isLetter || $0.isNumber || $0 == "-" ? $0 : "-" }
        return String(String(raw).prefix(63))
    }
}
