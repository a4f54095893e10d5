import PlanModel
import Testing

@Suite("topologies: provider, member, become and ssh_config keys")
struct TopologyProviderTests {
    func errors(_ text: String) -> [String] {
        do {
            _ = try TopologyLoader.parse(text: text, path: "t.yaml")
            return []
        } catch {
            return error.errors.map { "\($0.location.line):\($0.location.column): \($0.message)" }
        }
    }

    @Test("provider: lxd, with members and management; members place nodes")
    func provider() throws {
        let topology = try TopologyLoader.parse(
            text: """
                name: t
                provider: {kind: lxd, members: 2, management: 10.1.0.1/24}
                nodes:
                  a: {member: 2}
                  b: {}
                """, path: "t.yaml")
        #expect(topology.labProvider == LabProvider(kind: .lxd, members: 2, managementNetwork: IPPrefix("10.1.0.1/24")))
        #expect(topology.nodes.values.map(\.member) == [2, nil])
        #expect(
            try TopologyLoader.parse(text: "name: t\nprovider: qemu\nnodes: {a: }\n", path: "t.yaml").labProvider.kind
                == .qemu)
        #expect(try TopologyLoader.parse(text: "name: t\nnodes: {a: }\n", path: "t.yaml").labProvider == .namespaces)
    }

    @Test("every provider mistake at once, located")
    func providerMistakes() {
        #expect(
            errors(
                """
                name: t
                provider: {kind: lxd, members: 2, management: 10.1.0.0/24, colour: red}
                nodes:
                  a: {member: 3}
                  b: {ssh: {host: 10.0.0.2}}
                """)
                == [
                    "2:1: the lxd provider builds its nodes, but b name SSH endpoints",
                    "2:47: '10.1.0.0/24' is not a gateway address with a prefix of /16 to /29",
                    "2:60: unknown key 'colour' in 'provider'",
                    "3:1: nodes a have no SSH endpoint while b do",
                    "4:3: node 'a' is placed on member 3, but the lab has 2",
                ])
        #expect(errors("name: t\nprovider: vbox\nnodes: {a: }\n") == ["2:11: 'vbox' is not a lab provider"])
    }

    @Test("become and ssh_config: defaults apply to every node, a node names its Host")
    func becomeAndConfig() throws {
        let topology = try TopologyLoader.parse(
            text: """
                name: t
                defaults:
                  become: {method: sudo, password_env: LAB_PW}
                  ssh: {config: ~/.ssh/config, netns: mgmt, connect_timeout: 20, keepalive: 5}
                nodes:
                  alfa: {}
                  beta: {ssh: {host: lab-beta}, become: sudo}
                """, path: "t.yaml")
        let alfa = try #require(topology.nodes.values.first)
        let beta = try #require(topology.nodes.values.last)
        #expect(alfa.become == Become(passwordEnvironmentVariable: "LAB_PW"))
        #expect(beta.become == Become())
        #expect(alfa.ssh?.configFile == "~/.ssh/config")
        #expect(alfa.ssh?.host == nil)
        #expect(beta.ssh?.host == "lab-beta")
        #expect(beta.ssh?.networkNamespace == "/run/netns/mgmt")
        #expect(beta.ssh?.connectTimeoutSeconds == 20 && beta.ssh?.keepaliveSeconds == 5)
        #expect(!topology.usesLocalLab)
        #expect(
            errors("name: t\ndefaults: {become: su}\nnodes: {a: {ssh: {host: h}}}\n") == [
                "2:20: 'su' is not a way to become root"
            ])
        #expect(
            errors("name: t\nnodes: {a: {become: sudo}}\n") == [
                "2:9: node 'a' has 'become' but is not reached over SSH"
            ])
    }
}
