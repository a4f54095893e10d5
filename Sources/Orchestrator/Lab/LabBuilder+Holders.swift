import PlanModel

extension LabBuilder {
    /// Environment of holder processes: a fixed PATH and the lab tag that confirms their identity later.
    var holderEnvironment: [String] {
        ["PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin", "LC_ALL=C", "TESTBED_LAB=\(labID)"]
    }

    /// Starts the switch holder and one holder per node, and waits until all their namespaces exist.
    /// Returns the switch PID and the node records (PID, start time, netns inode).
    func startHolders(group: HolderGroup, journal: LabJournal) throws(LabError) -> (Int32, [LabSummary.NodeRecord]) {
        let nodes = Array(topology.nodes.keys)
        var objects: [LabObject] = [processObject(role: .switch), .namespace(role: .switch, kind: .net)]
        for node in nodes {
            let role = HolderRole.node(node)
            objects.append(processObject(role: role))
            objects += NamespaceKind.allCases.map { LabObject.namespace(role: role, kind: $0) }
            objects += HolderScripts.mountTargets.map { LabObject.mount(role: role, target: $0) }
        }
        journal.record(.intent, objects)
        try journal.commit()

        try spawn(
            role: .switch, into: group, unshare: ["--net"],
            script: HolderScripts.switchHolder, arguments: ["testbed-switch \(topology.name)", tools.sleep])
        for node in nodes {
            try spawn(
                role: .node(node), into: group, unshare: ["--net", "--mount", "--uts", "--propagation", "private"],
                script: HolderScripts.node,
                arguments: [
                    node.rawValue, paths.mountTable(node), paths.setupBatch(node),
                    "testbed-node \(topology.name)/\(node)",
                    tools.mount, tools.ip, tools.sleep, tools.cp, paths.iproute2(node),
                ])
        }
        let failed = group.awaitLine("ready", until: .now + holderTimeout)
        guard failed.isEmpty else {
            throw LabError.setup(
                "starting the namespaces of \(failed.map(\.description).joined(separator: ", ")) failed",
                cause: holderLogs(failed))
        }

        var records: [LabSummary.NodeRecord] = []
        var switchPID: Int32 = 0
        for holder in group.holders {
            let pid = holder.process.pid
            guard let startTime = ProcFS.startTime(of: pid), let netns = ProcFS.namespaceInode(of: pid, kind: "net")
            else {
                throw LabError.setup("the holder of \(holder.role) vanished", cause: holderLogs([holder.role]))
            }
            journal.recordCreated(processObject(role: holder.role), pid: pid, startTime: startTime)
            journal.recordCreated(.namespace(role: holder.role, kind: .net), pid: pid, inode: netns)
            switch holder.role {
            case .switch: switchPID = pid
            case .node(let name):
                records.append(.init(name: name, pid: pid, startTime: startTime, netnsInode: netns))
            }
        }
        try journal.commit()
        return (switchPID, records)
    }

    func processObject(role: HolderRole) -> LabObject {
        .process(role: role, pidFile: paths.pidFile(role: role), tag: labID)
    }

    private func spawn(
        role: HolderRole, into group: HolderGroup, unshare options: [String], script: String, arguments: [String]
    ) throws(LabError) {
        let argv =
            ["-c", HolderScripts.spawn, "testbed-spawn", paths.pidFile(role: role), tools.unshare] + options
            + ["--", tools.bash, "-c", script, "testbed-holder"] + arguments
        do {
            let child = try ChildProcess(
                executable: tools.bash, arguments: argv,
                options: .init(
                    environment: holderEnvironment, stdin: .pipe, stdout: .pipe,
                    stderr: .file(path: paths.holderLog(role: role), append: false), newSession: true))
            group.add(role: role, process: child)
        } catch {
            throw LabError.setup("cannot start the namespace holder of \(role)", cause: "\(error)")
        }
    }

    /// Creates one bridge per segment in the switch namespace and one veth per node interface, whose node
    /// end is moved straight into the node with its MAC (it never exists in the root namespace).
    func wireSegments(switchPID: Int32, nodePIDs: [Int32], journal: LabJournal) throws(LabError) {
        var lines: [String] = []
        var objects: [LabObject] = []
        var bridgeOf: [Endpoint: String] = [:]
        for (index, segment) in topology.segments.enumerated() {
            let bridge = "seg\(index)"
            objects.append(.link(name: bridge, kind: "bridge"))
            lines += ["link add \(bridge) type bridge", "link set \(bridge) up"]
            for endpoint in segment.endpoints { bridgeOf[endpoint] = bridge }
        }
        for (nodeIndex, (name, node)) in topology.nodes.enumerated() {
            for (interfaceIndex, interface) in node.interfaces.values.enumerated() {
                let switchEnd = "n\(nodeIndex)i\(interfaceIndex)"
                objects.append(.link(name: switchEnd, kind: "veth"))
                let mac = interface.mac.map { " address \($0)" } ?? ""
                lines.append(
                    "link add \(switchEnd) type veth peer name \(interface.name)\(mac) netns \(nodePIDs[nodeIndex])")
                if let bridge = bridgeOf[Endpoint(node: name, interface: interface.name)] {
                    lines.append("link set \(switchEnd) master \(bridge)")
                }
                lines.append("link set \(switchEnd) up")
            }
        }
        journal.record(.intent, objects)
        try journal.commit()
        try write(lines.joined(separator: "\n") + "\n", to: paths.switchBatch)
        let output: ProcessOutput
        do {
            output = try ProcessRunner.run(
                tools.nsenter, ["--net=/proc/\(switchPID)/ns/net", "--", tools.ip, "-batch", paths.switchBatch],
                timeout: .seconds(60))
        } catch {
            throw LabError.setup("cannot run ip in the switch namespace", cause: "\(error)")
        }
        guard output.status.isSuccess else {
            throw LabError.setup("creating the lab's bridges and veth pairs failed", cause: output.stderrText)
        }
        for object in objects { journal.recordCreated(object) }
        try journal.commit()
    }
}
