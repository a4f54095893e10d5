import Foundation
import PlanModel

/// The SSH keys of a lab, local or provider-made: one client key, one host key per node, made here so
/// known_hosts is written from files testbed itself made and strict host-key checking holds from the first connect.
enum LabKeys {
    /// Makes the client key and every node's host key with `ssh-keygen` in parallel, then authorized_keys.
    static func generate(topology: Topology, paths: LabPaths, sshKeygen: String) throws(LabError) {
        var jobs: [(String, String)] = [(paths.clientKey, "testbed-\(topology.name)")]
        jobs += topology.nodes.keys.map { (paths.hostKey($0), paths.hostKeyAlias($0)) }
        var running: [(String, ChildProcess)] = []
        for (path, comment) in jobs {
            do {
                let child = try ChildProcess(
                    executable: sshKeygen, arguments: ["-q", "-t", "ed25519", "-N", "", "-C", comment, "-f", path],
                    options: .init(stdout: .null, stderr: .null))
                running.append((path, child))
            } catch {
                throw LabError.setup("cannot run ssh-keygen", cause: "\(error)")
            }
        }
        let failed = running.filter { !$0.1.wait().isSuccess }.map(\.0)
        guard failed.isEmpty else {
            throw LabError.setup("ssh-keygen could not write \(failed.joined(separator: ", "))", cause: nil)
        }
        do {
            let publicKey = try String(contentsOfFile: paths.clientKey + ".pub", encoding: .utf8)
            try publicKey.write(toFile: paths.authorizedKeys, atomically: false, encoding: .utf8)
        } catch {
            throw LabError.io("cannot read the lab's client key", error)
        }
    }

    /// The known_hosts line of a node: its host key under the alias testbed connects with.
    static func knownHostsLine(node: NodeName, alias: String, paths: LabPaths) throws(LabError) -> String {
        let hostKey: String
        do {
            hostKey = try String(contentsOfFile: paths.hostKey(node) + ".pub", encoding: .utf8)
        } catch {
            throw LabError.io("cannot read the host key of \(node)", error)
        }
        let fields = hostKey.split(separator: " ")
        guard fields.count >= 2 else {
            throw LabError.setup("the host key of \(node) is malformed", cause: hostKey)
        }
        return "\(alias) \(fields[0]) \(fields[1])\n"
    }
}
