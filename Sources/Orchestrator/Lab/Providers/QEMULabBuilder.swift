import Foundation
import Logging
import PlanModel

/// Builds a QEMU lab: one VM per node on a qcow2 overlay of the project's image, all inside one network
/// namespace of the lab's own. Management is user-mode networking with `restrict=on` and a single forward from
/// 127.0.0.1:(2200+I) of that namespace to the guest's port 22, so a guest reaches nothing; each segment is a
/// bridge without addresses in the namespace, each topology NIC a tap on it with the topology's MAC. Host keys and
/// root's authorized_keys go in through a per-VM seed disk made before boot, so known_hosts is exact.
struct QEMULabBuilder {
    let topology: Topology
    let paths: LabPaths
    let settings: LabProvider
    let logger: Logger
    let tools: Tools

    struct Tools {
        let ip: String
        let qemu: String
        let qemuImg: String
        let tar: String
        let sshKeygen: String

        static func locate() throws(LabError) -> Tools {
            Tools(
                ip: try ProviderShell.locate("ip", package: "iproute2"),
                qemu: try ProviderShell.locate("qemu-system-x86_64", package: "qemu-system-x86"),
                qemuImg: try ProviderShell.locate("qemu-img", package: "qemu-utils"),
                tar: try ProviderShell.locate("tar", package: "tar"),
                sshKeygen: try ProviderShell.locate("ssh-keygen", package: "openssh-client"))
        }
    }

    init(topology: Topology, paths: LabPaths, logger: Logger) throws(LabError) {
        self.topology = topology
        self.paths = paths
        self.settings = topology.labProvider
        self.logger = logger
        self.tools = try Tools.locate()
    }

    var namespace: String { "tb-\(topology.name)-q" }
    func vmDirectory(_ index: Int) -> String { paths.directory + "/vm\(index)" }

    /// `kvm` where a stock guest kernel can use it (kvm_intel or kvm_amd; /dev/kvm alone may be another backend),
    /// else `tcg`; `TESTBED_QEMU_ACCEL=kvm|tcg` decides otherwise.
    static func accelerator() -> String {
        if let forced = ProcessEnvironment.value("TESTBED_QEMU_ACCEL"), ["kvm", "tcg"].contains(forced) {
            return forced
        }
        let hardware = ["/sys/module/kvm_intel", "/sys/module/kvm_amd"].contains {
            FileManager.default.fileExists(atPath: $0)
        }
        return hardware && access("/dev/kvm", W_OK) == 0 ? "kvm" : "tcg"
    }

    func build(journal: LabJournal, labID: String, start: ContinuousClock.Instant) throws(LabError) -> LabSummary {
        guard topology.nodes.count <= 99 else {
            throw LabError(.setupFailed, "a QEMU lab holds at most 99 VMs", hint: "use the lxd provider for more nodes")
        }
        let image = try ProviderImage.locate(.qemu, given: settings.image)
        let accel = Self.accelerator()
        try ProviderKeys.prepare(topology: topology, paths: paths, sshKeygen: tools.sshKeygen, journal: journal)
        let root = ProviderShell()
        journal.record(.intent, [.networkNamespace(name: namespace)])
        try journal.commit()
        try root.run(tools.ip, ["netns", "add", namespace])
        try root.run(tools.ip, ["-n", namespace, "link", "set", "lo", "up"])
        let segments = segmentsAndLoners()
        for index in segments.indices {
            try root.run(tools.ip, ["-n", namespace, "link", "add", "tbs\(index + 1)", "type", "bridge"])
            try root.run(tools.ip, ["-n", namespace, "link", "set", "tbs\(index + 1)", "up"])
        }
        var nodes: [ProviderLabInfo.Node] = []
        var records: [LabSummary.NodeRecord] = []
        for (offset, node) in topology.nodes.values.enumerated() {
            let index = offset + 1
            let vm = ProviderLabInfo.Node(
                name: node.name, member: index, instance: "vm\(index)", address: "127.0.0.1", port: 2200 + index,
                networkNamespace: "/run/netns/" + namespace)
            let (pid, startTime) = try startVM(
                vm, node: node, segments: segments, image: image, accel: accel, journal: journal)
            nodes.append(vm)
            records.append(LabSummary.NodeRecord(name: node.name, pid: pid, startTime: startTime, netnsInode: 0))
        }
        FaultInjection.checkpoint("provider-instances")
        try ProviderKeys.writeAccess(nodes: nodes, paths: paths, topology: topology)
        let boot: Duration = accel == "kvm" ? .seconds(120) : .seconds(300 + 20 * nodes.count)
        try ProviderReadiness.waitForSSH(
            nodes, topology: topology, paths: paths, until: .now + boot, renameByMAC: true
        ) { node in
            guard let record = records.first(where: { $0.name == node.name }), !record.isRunning else { return nil }
            let log = ProcFS.read(vmDirectory(node.member) + "/qemu.out") ?? []
            return "qemu exited: " + String(decoding: log.suffix(1000), as: UTF8.self)
        }
        var summary = LabSummary(
            name: topology.name, labID: labID, topologyPath: topology.sourcePath, topologyHash: topology.contentHash,
            createdAt: Date(), switchPID: records.first?.pid ?? 0, nodes: records, setupSeconds: start.secondsSince)
        summary.provider = ProviderLabInfo(
            kind: .qemu, members: nodes.count, accelerator: accel,
            managementNetwork: "user-mode, restrict=on, 127.0.0.1:2201+ in \(namespace)", image: image, nodes: nodes)
        return summary
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

    /// The MAC of a topology NIC: its own, or one made from the VM and NIC numbers (so the guest can find it).
    static func mac(of interface: TopologyInterface, vm: Int, nic: Int) -> String {
        interface.mac?.description.lowercased() ?? String(format: "52:54:00:d%01x:%02x:%02x", nic % 16, vm, nic)
    }
}
