import PlanModel

/// The YAML loaders, the session-file parser and the ssh_config reader, each fed the input as the CLI would
/// read it from a file (non-UTF-8 bytes are the loaders' own located error).
enum FuzzParsers {
    static func topology(_ bytes: [UInt8]) {
        guard let text = try? InputFile.text(from: bytes, path: "fuzz-topology.yaml") else { return }
        guard let topology = try? TopologyLoader.parse(text: text, path: "fuzz-topology.yaml") else { return }
        // What `lab up`, `graph` and the plan loader use next.
        for node in topology.nodes.values {
            _ = NodeState.freshLabNode(node)
        }
        _ = topology.segments.map(\.endpoints.count)
    }

    static func plan(_ bytes: [UInt8]) {
        guard let text = try? InputFile.text(from: bytes, path: "fuzz-plan.yaml") else { return }
        let topology = FuzzTopology.netsukuku
        guard
            let result = try? PlanSource.parse(
                text: text, path: "fuzz-plan.yaml", topology: topology, format: .yaml)
        else { return }
        _ = PlanYAMLWriter.write(result.plan, topology: topology)
        // The checker runs every command through the state model's own command parser.
        _ = PlanChecker(topology: topology).check(result.plan)
    }

    static func session(_ bytes: [UInt8]) {
        guard let text = try? InputFile.text(from: bytes, path: "fuzz-session.txt") else { return }
        _ = try? SessionScriptParser.parse(text: text, path: "fuzz-session.txt", topology: FuzzTopology.netsukuku)
        _ = try? SessionScriptParser.parse(text: text, path: "fuzz-session.txt")
    }

    static func sshConfig(_ bytes: [UInt8]) {
        guard let text = try? InputFile.text(from: bytes, path: "/fuzz/ssh_config") else { return }
        // Includes resolve inside memory only: the fuzzer must not read the machine's files.
        let source = SSHConfigMemorySource(["/fuzz/included": "Host *\n  User included\n"])
        let context = SSHConfigDocument.Context(homeDirectory: "/fuzz/home", localUser: "fuzz")
        guard
            let document = try? SSHConfigDocument.parse(
                text, path: "/fuzz/ssh_config", context: context, source: source)
        else { return }
        for host in ["alfa", "beta.lab", "10.0.0.1", ""] {
            _ = document.resolve(host: host)
        }
    }
}
