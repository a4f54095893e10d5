import Foundation
import PlanModel

/// The keys and access files of a provider lab: one client key, one host key per node made here (so known_hosts
/// is written before any node boots), and an `ssh_config` for OpenSSH from inside the management namespace.
enum ProviderKeys {
    /// Records and makes the lab directory, the client key, authorized_keys and every node's host key.
    static func prepare(topology: Topology, paths: LabPaths, sshKeygen: String, journal: LabJournal) throws(LabError) {
        let nodes = Array(topology.nodes.keys)
        let directories =
            [paths.directory, paths.sshDirectory, paths.directory + "/nodes"] + nodes.map(paths.nodeDirectory)
        var files = [paths.clientKey, paths.clientKey + ".pub", paths.authorizedKeys, paths.topologyCopy]
        files += nodes.flatMap { [paths.hostKey($0), paths.hostKey($0) + ".pub"] }
        files += [paths.knownHosts, paths.sshConfig, paths.summary]
        journal.record(.intent, directories.map { .directory(path: $0) } + files.map { .file(path: $0) })
        try journal.commit()
        do {
            // The lab directory stays traversable: unprivileged containers' root (a mapped uid) walks through it
            // to its root file system. What is secret lies one level deeper, in directories of mode 0700.
            for directory in directories {
                try FileManager.default.createDirectory(
                    atPath: directory, withIntermediateDirectories: false,
                    attributes: [.posixPermissions: directory == paths.directory ? 0o711 : 0o700])
            }
            if let text = try? String(contentsOfFile: topology.sourcePath, encoding: .utf8) {
                try text.write(toFile: paths.topologyCopy, atomically: false, encoding: .utf8)
            }
        } catch {
            throw LabError.io("cannot create the lab's files under \(paths.directory)", error)
        }
        try LabKeys.generate(topology: topology, paths: paths, sshKeygen: sshKeygen)
    }

    /// Writes known_hosts (under each node's host key alias) and an ssh_config for OpenSSH.
    static func writeAccess(nodes: [ProviderLabInfo.Node], paths: LabPaths, topology: Topology) throws(LabError) {
        var knownHosts = ""
        var config = """
            # Written by testbed for lab '\(topology.name)'. The nodes are reached from inside the management
            # namespace, e.g.: nsenter --net=\(nodes.first?.networkNamespace ?? "NS") ssh -F \(paths.sshConfig) NODE

            """
        for node in nodes {
            let alias = paths.hostKeyAlias(node.name)
            knownHosts += try LabKeys.knownHostsLine(node: node.name, alias: alias, paths: paths)
            config += """

                Host \(node.name) \(alias)
                    HostName \(node.address)
                    Port \(node.port)
                    User root
                    IdentityFile \(paths.clientKey)
                    IdentitiesOnly yes
                    UserKnownHostsFile \(paths.knownHosts)
                    GlobalKnownHostsFile /dev/null
                    StrictHostKeyChecking yes
                    HostKeyAlias \(alias)
                    BatchMode yes
                    ConnectTimeout 5
                    LogLevel ERROR

                """
        }
        do {
            try knownHosts.write(toFile: paths.knownHosts, atomically: false, encoding: .utf8)
            try config.write(toFile: paths.sshConfig, atomically: false, encoding: .utf8)
        } catch {
            throw LabError.io("cannot write the lab's access files", error)
        }
    }
}
