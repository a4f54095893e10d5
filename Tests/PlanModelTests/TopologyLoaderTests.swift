import Foundation
import Testing

@testable import PlanModel

/// Fixture files live next to this test; paths in messages are shown as given.
func fixturePath(_ name: String) -> String {
    Bundle.module.path(forResource: "Fixtures/\(name)", ofType: nil) ?? "missing-fixture-\(name)"
}

/// A path inside the repository, found from this source file (symlinks resolved).
func repositoryPath(_ relative: String, file: String = #filePath) -> String {
    var url = URL(fileURLWithPath: file).resolvingSymlinksInPath().deletingLastPathComponent()
    while url.path != "/" {
        if FileManager.default.fileExists(atPath: url.appendingPathComponent("Package.swift").path),
            FileManager.default.fileExists(atPath: url.appendingPathComponent("topologies").path)
        {
            return url.appendingPathComponent(relative).path
        }
        url = url.deletingLastPathComponent()
    }
    return relative
}

func loadErrors(_ text: String, path: String = "t.yaml") -> [InputError] {
    do {
        _ = try TopologyLoader.parse(text: text, path: path)
        return []
    } catch {
        return error.errors
    }
}

@Suite struct TopologyLoaderTests {
    @Test("the netsukuku-poc topology loads with its eight systems, MACs, aliases and one shared segment")
    func netsukukuTopology() throws {
        let path = repositoryPath("topologies/netsukuku-poc/topology.yaml")
        let topology = try TopologyLoader.load(path: path)
        #expect(topology.name == "netsukuku-poc")
        #expect(Array(topology.nodes.keys) == ["alfa", "beta", "gamma", "delta", "epsilon", "mu", "lambda", "rho"])
        #expect(topology.nodes["epsilon"]?.aliases == ["𝜀"])
        #expect(topology.nodes["beta"]?.interfaces["eth1"]?.mac?.description == "00:16:3E:EC:A3:E1")
        #expect(topology.nodes["rho"]?.interfaces["eth1"]?.mac == nil)
        #expect(topology.nodes["alfa"]?.interfaces["eth1"]?.assignAddresses == false)
        #expect(topology.segments.count == 1)
        #expect(topology.segments[0].endpoints.count == 8)
        #expect(topology.node(named: "𝛾")?.name == "gamma")
        #expect(topology.usesLocalLab)
    }

    @Test("every problem of a file is reported at once, sorted, with file:line:col")
    func manyErrors() throws {
        let path = fixturePath("topologies/many-errors.yaml")
        let errors: [InputError]
        do {
            _ = try TopologyLoader.load(path: path)
            errors = []
        } catch {
            errors = error.errors
        }
        let summary = errors.map { "\($0.location.line):\($0.location.column) \($0.message)" }
        #expect(
            summary == [
                "7:7 interface name 'averyveryverylongname0' is 22 bytes long; Linux allows at most 15",
                "10:19 MAC 00:16:3E:FD:E2:AA is already used by alfa:eth1",
                "10:52 '10.0.0.300' is not an IP address or prefix",
                "11:5 unknown key 'colour' in node 'beta'",
                "14:19 'zz:16:3E:FD:E2:AA' is not a MAC address",
                "15:3 duplicate key 'alfa' (first defined at line 3)",
                "18:30 link endpoint names unknown node 'delta'",
                "19:16 link 2 has 1 endpoint; a link joins at least 2",
            ], "\(summary)")
        #expect(errors.allSatisfy { $0.location.file == path })
    }

    @Test("an unknown node in a link renders exactly, with the caret and the list of nodes")
    func unknownNodeText() {
        let text = """
            name: demo
            nodes:
              web1: {}
              web2: {}
            links:
              - endpoints: ["web1:eth1", "db3:eth1"]
            """
        let errors = loadErrors(text, path: "topologies/lab.yaml")
        #expect(errors.count == 1)
        #expect(
            errors.first?.description == """
                topologies/lab.yaml:6:30: error: link endpoint names unknown node 'db3'
                      - endpoints: ["web1:eth1", "db3:eth1"]
                                                 ^
                hint: nodes declared in this topology: web1, web2
                """)
    }

    @Test("unknown keys suggest the closest allowed key")
    func unknownKeySuggestion() {
        let errors = loadErrors("name: x\nnodes:\n  a:\n    interfacs: {}\n")
        #expect(
            errors.map(\.hint) == [
                "did you mean 'interfaces'? keys allowed here: alias, aliases, interfaces, ssh, assign_addresses, become, member"
            ])
        #expect(errors.first?.code == .unknownKey)
    }

    @Test("wrong types are named with what was found")
    func wrongTypes() {
        let errors = loadErrors("name: types\nnodes:\n  - alfa\nlinks: {}\n")
        #expect(
            errors.map(\.message) == [
                "'nodes' must be a mapping, found a list", "'links' must be a list, found a mapping",
            ])
        #expect(errors.map(\.location.line) == [3, 4])
    }

    @Test("a YAML syntax error is located")
    func syntaxError() {
        let errors = loadErrors("name: syntax\nnodes:\n  alfa:\n    interfaces: [eth1\n  beta: {}\n")
        #expect(errors.count == 1)
        #expect(errors.first?.code == .syntax)
        #expect(errors.first?.location.line == 5)
    }

    @Test("missing name and nodes are reported")
    func missingKeys() {
        let errors = loadErrors("links: []\n")
        #expect(errors.map(\.message) == ["the topology has no 'name'", "the topology has no 'nodes'"])
    }

    @Test("malformed MACs and addresses, multicast MACs, bad lab names")
    func values() {
        let text = """
            name: "bad name"
            nodes:
              a:
                interfaces:
                  eth1: {mac: "01:00:5e:00:00:01", addresses: ["10.1", "fe80::1/129", "10.0.0.1/24"]}
            """
        let messages = loadErrors(text).map(\.message)
        #expect(
            messages == [
                "lab name 'bad name' is not usable",
                "MAC 01:00:5E:00:00:01 is a multicast address and cannot belong to an interface",
                "'10.1' is not an IP address or prefix",
                "'fe80::1/129' is not an IP address or prefix",
            ])
    }

    @Test("interfaces named only in links are created; an interface cannot join two links")
    func implicitInterfaces() throws {
        let text = """
            name: t
            nodes: {a: , b: , c: }
            links:
              - endpoints: [a:eth1, b:eth1]
              - endpoints: [a:eth1, c:eth1]
            """
        #expect(loadErrors(text).map(\.message) == ["a:eth1 is already attached to link 1"])
        let good = try TopologyLoader.parse(
            text: "name: t\nnodes: {a: , b: }\nlinks:\n  - endpoints: [a:eth1, b:eth9]\n", path: "t")
        #expect(Array(good.nodes["b"]?.interfaces.keys ?? []) == ["eth9"])
    }

    @Test("ssh endpoints: defaults merge, mixed local and remote nodes are refused")
    func sshSettings() throws {
        let text = """
            name: vms
            defaults:
              ssh: {user: admin, identity_file: ~/.ssh/lab}
            nodes:
              a: {ssh: {host: 192.0.2.10}}
              b: {ssh: {host: vm-b, port: 2222}}
            """
        let topology = try TopologyLoader.parse(text: text, path: "t")
        #expect(topology.nodes["b"]?.ssh?.port == 2222)
        #expect(topology.nodes["b"]?.ssh?.user == "admin")
        #expect(topology.nodes["a"]?.ssh?.identityFiles == ["~/.ssh/lab"])
        #expect(!topology.usesLocalLab)
        let mixed = loadErrors("name: m\nnodes:\n  a: {ssh: {host: h}}\n  b: {}\n")
        #expect(mixed.map(\.message) == ["nodes b have no SSH endpoint while a do"])
        let shell = loadErrors("name: m\nnodes:\n  a: {ssh: {host: \"h; rm -rf /\"}}\n")
        #expect(shell.map(\.message) == ["'h; rm -rf /' is not a host name or address"])
    }

    @Test("a file that is not UTF-8 is refused with the line of the first bad byte")
    func notUTF8() throws {
        #expect(throws: InputErrors.self) {
            _ = try InputFile.text(from: Array("name: x\nnodes:\n".utf8) + [0xFF, 0x0A], path: "bin.yaml")
        }
        do {
            _ = try InputFile.text(from: Array("a\nb\n".utf8) + [0xC3], path: "bin.yaml")
        } catch {
            #expect(error.errors.first?.location.line == 3)
        }
    }
}
