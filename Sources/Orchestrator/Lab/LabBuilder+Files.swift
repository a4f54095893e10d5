import Foundation
import PlanModel

extension LabBuilder {
    /// Creates the lab directory, per-node copies of /etc/iproute2, SSH keys and the sshd configuration.
    func writeFiles(journal: LabJournal) throws(LabError) {
        let nodes = Array(topology.nodes.keys)
        var directories = [paths.directory, paths.sshDirectory, paths.switchDirectory, paths.directory + "/nodes"]
        directories += nodes.map(paths.nodeDirectory)
        var files = [
            paths.clientKey, paths.clientKey + ".pub", paths.authorizedKeys, paths.sshdConfig, paths.topologyCopy,
        ]
        files += [paths.switchBatch, paths.pidFile(role: .switch), paths.holderLog(role: .switch)]
        for node in nodes {
            files += [
                paths.hostKey(node), paths.hostKey(node) + ".pub", paths.setupBatch(node), paths.mountTable(node),
            ]
            files += [paths.pidFile(role: .node(node)), paths.holderLog(role: .node(node))]
        }
        let overlays = nodes.flatMap { [paths.iproute2($0), paths.iproute2Work($0)] }
        journal.record(.intent, (directories + overlays).map { .directory(path: $0) })
        journal.record(.intent, files.map { .file(path: $0) })
        try journal.commit()

        let manager = FileManager.default
        do {
            for directory in directories {
                try manager.createDirectory(
                    atPath: directory, withIntermediateDirectories: false,
                    attributes: [.posixPermissions: 0o700])
            }
            for node in nodes {
                // The upper directory is the root of the node's /etc/iproute2, so it has the host's mode.
                try manager.createDirectory(
                    atPath: paths.iproute2(node), withIntermediateDirectories: false,
                    attributes: [.posixPermissions: 0o755])
                try manager.createDirectory(
                    atPath: paths.iproute2Work(node), withIntermediateDirectories: false,
                    attributes: [.posixPermissions: 0o700])
            }
            if let text = try? String(contentsOfFile: topology.sourcePath, encoding: .utf8) {
                try write(text, to: paths.topologyCopy)
            }
        } catch {
            throw LabError.io("cannot create the lab's files under \(paths.directory)", error)
        }
        try LabKeys.generate(topology: topology, paths: paths, sshKeygen: tools.sshKeygen)
        try write(Self.sshdConfig(authorizedKeys: paths.authorizedKeys), to: paths.sshdConfig)
        for node in nodes {
            try write(setupBatch(for: node), to: paths.setupBatch(node))
            guard
                let table = HolderScripts.mountTable(
                    iproute2Upper: paths.iproute2(node), work: paths.iproute2Work(node))
            else {
                throw LabError.setup(
                    "the lab directory \(paths.nodeDirectory(node)) cannot be named in an overlay mount option",
                    cause: "it holds ',', ':', '\\' or a blank")
            }
            try write(table, to: paths.mountTable(node))
        }
    }

    /// The `ip -batch` a node runs once its veths exist: loopback and interfaces up, addresses added.
    func setupBatch(for node: NodeName) -> String {
        var lines = ["link set lo up"]
        for interface in topology.nodes[node].map({ Array($0.interfaces.values) }) ?? [] {
            lines.append("link set dev \(interface.name) up")
            if interface.assignAddresses {
                lines += interface.addresses.map { "address add \($0.withLength) dev \(interface.name)" }
            }
        }
        return lines.joined(separator: "\n") + "\n"
    }

    /// sshd for `sshd -i` inside nodes: keys only, root allowed, no PAM, nothing written outside the node.
    static func sshdConfig(authorizedKeys: String) -> String {
        """
        # Written by testbed for its local lab; sshd runs per connection as `sshd -i` inside a node.
        AuthorizedKeysFile \(authorizedKeys)
        PermitRootLogin prohibit-password
        PubkeyAuthentication yes
        PasswordAuthentication no
        KbdInteractiveAuthentication no
        UsePAM no
        StrictModes no
        PidFile none
        PrintMotd no
        PrintLastLog no
        UseDNS no
        LogLevel ERROR
        Subsystem sftp internal-sftp

        """
    }

    /// Writes `known_hosts`, `ssh_config` and `lab.json` once the node PIDs are known.
    func writeAccessFiles(summary: LabSummary, journal: LabJournal) throws(LabError) {
        journal.record(
            .intent, [.file(path: paths.knownHosts), .file(path: paths.sshConfig), .file(path: paths.summary)])
        try journal.commit()
        var knownHosts = ""
        var config = "# Written by testbed for lab '\(topology.name)'. Use: ssh -F \(paths.sshConfig) NODE\n"
        for node in summary.nodes {
            let access = LabNodeAccess.make(node: node, paths: paths, tools: tools)
            knownHosts += try LabKeys.knownHostsLine(node: node.name, alias: access.hostKeyAlias, paths: paths)
            config += """

                Host \(node.name) \(access.hostKeyAlias)
                    HostName \(node.name)
                    User \(access.user)
                    ProxyCommand \(access.proxyCommand.joined(separator: " "))
                    IdentityFile \(access.identityFile)
                    IdentitiesOnly yes
                    UserKnownHostsFile \(access.knownHostsFile)
                    GlobalKnownHostsFile /dev/null
                    StrictHostKeyChecking yes
                    HostKeyAlias \(access.hostKeyAlias)
                    LogLevel ERROR

                """
        }
        try write(knownHosts, to: paths.knownHosts)
        try write(config, to: paths.sshConfig)
        try summary.write(paths)
    }

    func write(_ text: String, to path: String) throws(LabError) {
        do {
            try text.write(toFile: path, atomically: false, encoding: .utf8)
        } catch {
            throw LabError.io("cannot write \(path)", error)
        }
    }
}
