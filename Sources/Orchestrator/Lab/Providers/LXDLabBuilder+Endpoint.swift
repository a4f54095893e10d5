import Foundation
import PlanModel

/// A lab on an LXD daemon the user runs: testbed is its client only. It writes an lxc configuration of the lab's
/// own (the endpoint as the default remote, the client certificate, the server certificate pinned), refuses a
/// daemon that does not trust it or names that are taken, and then makes — each recorded first and tagged
/// `user.testbed.lab=<lab id>` — a management bridge, the segments' networks, the image when the daemon lacks it,
/// and the containers. On a cluster every network is made on each member and then cluster-wide (the segments
/// with VXLAN tunnels), each container on its member. It never starts, stops or reconfigures the daemon.
extension LXDLabBuilder {
    var endpointConfigDirectory: String { paths.directory + "/lxd-client" }

    /// Six hex digits of the lab's name, so network names fit LXD's 15 bytes and differ between labs.
    var endpointHash: String { String(InputFile.fingerprint(Array(topology.name.utf8)).prefix(6)) }

    func buildOnEndpoint(journal: LabJournal, labID: String, start: ContinuousClock.Instant) throws(LabError)
        -> LabSummary
    {
        guard let endpoint = settings.endpoint else { throw LabError.setup("no LXD endpoint", cause: nil) }
        // A daemon behind a unix socket runs on this machine: its containers count against this kernel's limit.
        if case .socket = endpoint.address { try checkInotifyRoom(nodes: topology.nodes.count) }
        let image = try ProviderImage.locate(.lxd, given: settings.image)
        var nodes = try plan()
        try ProviderKeys.prepare(topology: topology, paths: paths, sshKeygen: tools.sshKeygen, journal: journal)
        try writeClientConfiguration(endpoint, journal: journal)
        journal.record(
            .intent,
            [
                .lxdEndpoint(
                    configDirectory: endpointConfigDirectory, networkNamespace: endpoint.networkNamespace, tag: labID)
            ])
        try journal.commit()
        var cluster: LXDClusterLayout?
        if try checkEndpoint(endpoint, nodes: nodes) {
            let layout = try askCluster(endpoint)
            nodes = try layout.place(nodes, topology: topology, firstPort: firstProxyPort)
            cluster = layout
        } else {
            try checkStandalonePlacement()
            if endpoint.reach == .proxy, case .https(let host, _) = endpoint.address {
                nodes = Self.proxied(nodes, at: host.trimmingCharacters(in: ["[", "]"]), firstPort: firstProxyPort)
            }
        }
        FaultInjection.checkpoint("provider-members")
        let fingerprint = try importImageIfAbsent(image, journal: journal)
        journal.record(.intent, [.endpointObject(kind: .network, name: managementNetworkName)])
        try journal.commit()
        try createNetwork(
            managementNetworkName,
            [
                "ipv4.address=\(management)", "ipv4.nat=false", "ipv4.firewall=false", "ipv6.address=none",
                "user.testbed.lab=\(labID)",
            ], cluster: cluster)
        try createNetworks(journal: journal, tag: labID, cluster: cluster)
        try createContainers(nodes, journal: journal, image: fingerprint, tag: labID, cluster: cluster)
        FaultInjection.checkpoint("provider-instances")
        try startContainers(nodes)
        FaultInjection.checkpoint("provider-started")
        try ProviderKeys.writeAccess(nodes: nodes, paths: paths, topology: topology)
        try ProviderReadiness.waitForSSH(
            nodes, topology: topology, paths: paths, until: .now + .seconds(120 + nodes.count))
        var info = ProviderLabInfo(
            kind: .lxd, members: cluster?.members.count ?? 1, accelerator: nil,
            managementNetwork: management.description, image: image,
            nodes: nodes)
        info.endpoint = endpoint.url
        var summary = LabSummary(
            name: topology.name, labID: labID, topologyPath: topology.sourcePath, topologyHash: topology.contentHash,
            createdAt: Date(), switchPID: 0, nodes: nodes.map(Self.record), setupSeconds: start.secondsSince)
        summary.provider = info
        return summary
    }

    /// Each node dialled at `address` (the daemon's), port `firstPort` + its index, through a proxy device.
    static func proxied(_ nodes: [ProviderLabInfo.Node], at address: String, firstPort: Int) -> [ProviderLabInfo.Node] {
        nodes.enumerated().map { index, node in
            var node = node
            node.bridgeAddress = node.address
            node.address = address
            node.port = firstPort + index
            return node
        }
    }

    /// A container of this machine is known by its init's PID (from its cgroup in the host's hierarchy); one of
    /// a daemon elsewhere only by connecting.
    static func record(_ node: ProviderLabInfo.Node) -> LabSummary.NodeRecord {
        let files = LabTeardown.cgroupRoots().flatMap { root in
            let cgroup = root + "/lxc.payload.\(node.instance)"
            return [cgroup + "/init.scope/cgroup.procs", cgroup + "/cgroup.procs"]
        }
        for file in files {
            let pids = ProcFS.read(file).map { String(decoding: $0, as: UTF8.self) } ?? ""
            if let pid = pids.split(separator: "\n").compactMap({ Int32($0) }).min(),
                let startTime = ProcFS.startTime(of: pid)
            {
                return LabSummary.NodeRecord(name: node.name, pid: pid, startTime: startTime, netnsInode: 0)
            }
        }
        return LabSummary.NodeRecord(name: node.name, pid: 0, startTime: 0, netnsInode: 0, elsewhere: true)
    }

    /// `$LXD_CONF` of the lab: config.yml with the endpoint as the default remote, copies of the client pair
    /// (mode 0600) and the server's certificate as the only one lxc accepts — or, asked for, whatever
    /// `lxc remote add --accept-certificate` is shown.
    private func writeClientConfiguration(_ endpoint: LXDEndpoint, journal: LabJournal) throws(LabError) {
        let directory = endpointConfigDirectory
        let files = ["client.crt", "client.key", "servercerts/target.crt", "config.yml"].map { directory + "/" + $0 }
        journal.record(
            .intent,
            [.directory(path: directory), .directory(path: directory + "/servercerts")] + files.map { .file(path: $0) })
        try journal.commit()
        let copies: [(String?, String)] = [
            (endpoint.clientCertificate, files[0]), (endpoint.clientKey, files[1]),
            (endpoint.serverCertificate, files[2]),
        ]
        do {
            try FileManager.default.createDirectory(
                atPath: directory + "/servercerts", withIntermediateDirectories: true,
                attributes: [.posixPermissions: 0o700])
            for case (let source?, let target) in copies {
                let data = try Data(contentsOf: URL(fileURLWithPath: Self.expand(source)))
                guard
                    FileManager.default.createFile(
                        atPath: target, contents: data, attributes: [.posixPermissions: 0o600])
                else { throw CocoaError(.fileWriteUnknown) }
            }
        } catch {
            throw LabError(
                .setupFailed, "cannot read the LXD endpoint's certificates and key: \(error.localizedDescription)",
                hint: "check the paths of client_certificate, client_key and server_certificate in provider.endpoint")
        }
        if endpoint.trustOnFirstUse, case .https = endpoint.address {
            try lxc(1, ["remote", "add", "target", endpoint.url, "--accept-certificate"])
        }
        let config = """
            # Written by testbed for lab '\(topology.name)': lxc talks to this endpoint only.
            default-remote: target
            remotes:
              target:
                addr: \(endpoint.url)
                protocol: lxd
                public: false

            """
        do {
            try config.write(toFile: files[3], atomically: true, encoding: .utf8)
        } catch {
            throw LabError.io("cannot write \(files[3])", error)
        }
    }

    static func expand(_ path: String) -> String {
        guard path.hasPrefix("~/"), let home = ProcessEnvironment.value("HOME") else { return path }
        return home + path.dropFirst(1)
    }
}
