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

extension TopologyProviderTests {
    @Test(
        "an LXD endpoint of the user's: a unix socket, or https with the client pair and the pinned server certificate")
    func endpoint() throws {
        let socket = try TopologyLoader.parse(
            text: """
                name: t
                provider: {kind: lxd, endpoint: {socket: /var/lib/lxd/unix.socket, netns: ns1, pool: fast}}
                nodes: {a: }
                """, path: "/topo/t.yaml")
        #expect(
            socket.labProvider.endpoint
                == LXDEndpoint(
                    address: .socket(path: "/var/lib/lxd/unix.socket"), networkNamespace: "/run/netns/ns1",
                    storagePool: "fast"))
        let https = try TopologyLoader.parse(
            text: """
                name: t
                provider:
                  kind: lxd
                  endpoint: {url: "https://10.1.2.3:8443", client_certificate: c.crt, client_key: ~/k.key, server_certificate: /s.crt}
                nodes: {a: }
                """, path: "/topo/t.yaml")
        #expect(
            https.labProvider.endpoint
                == LXDEndpoint(
                    address: .https(host: "10.1.2.3", port: 8443), clientCertificate: "/topo/c.crt",
                    clientKey: "~/k.key", serverCertificate: "/s.crt"))
        #expect(https.labProvider.endpoint?.url == "https://10.1.2.3:8443")
    }

    @Test("every endpoint mistake at once, located")
    func endpointMistakes() {
        #expect(
            errors(
                """
                name: t
                provider:
                  kind: lxd
                  members: 2
                  endpoint: {url: "http://h:8443", client_key: k, trust_on_first_use: yes, server_certificate: s}
                nodes: {a: }
                """)
                == [
                    "4:3: 'members' cannot go with 'endpoint': a user's LXD cluster has the members it has",
                    "5:13: the https endpoint has no 'client_certificate'",
                    "5:19: 'http://h:8443' is not an https URL",
                    "5:76: 'server_certificate' and trust_on_first_use: true contradict each other",
                ])
        #expect(
            errors(
                """
                name: t
                provider: {kind: lxd, endpoint: {url: "https://h", client_certificate: c, client_key: k}}
                nodes: {a: }
                """)
                == [
                    "2:33: the https endpoint has no 'server_certificate'",
                    "2:39: 'https://h' has no port (or a port out of 1 to 65535)",
                ])
        #expect(
            errors(
                """
                name: t
                provider: {kind: lxd, endpoint: {socket: /s, url: "https://h:1", client_key: k}}
                nodes: {a: }
                """) == ["2:33: 'endpoint' has both 'socket' and 'url'"])
        #expect(
            errors(
                """
                name: t
                provider: {kind: lxd, endpoint: {socket: /s, client_key: k, netns: "a b"}}
                nodes: {a: }
                """)
                == [
                    "2:46: 'client_key' applies to an https endpoint only",
                    "2:68: 'a b' is not a network namespace name",
                ])
        #expect(
            errors("name: t\nprovider: {kind: qemu, endpoint: {socket: /s}}\nnodes: {a: }\n")
                == ["2:24: 'endpoint' applies to the lxd provider only"])
    }

    @Test("a user's cluster: members by name or number (checked at lab up), tunnel_interface; names only there")
    func clusterEndpoint() throws {
        let topology = try TopologyLoader.parse(
            text: """
                name: t
                provider: {kind: lxd, endpoint: {socket: /s, tunnel_interface: eth0}}
                nodes:
                  a: {member: node-b}
                  b: {member: 12}
                """, path: "t.yaml")
        #expect(topology.labProvider.endpoint?.tunnelInterface == "eth0")
        #expect(topology.nodes.values.map(\.memberName) == ["node-b", nil])
        #expect(topology.nodes.values.map(\.member) == [nil, 12])
        #expect(topology.nodes.values.first?.memberLocation?.description == "t.yaml:4:15")
        #expect(
            errors(
                """
                name: t
                provider: {kind: lxd, members: 2, endpoint: {socket: /s, tunnel_interface: "a/b"}}
                nodes:
                  a: {member: m2}
                  b: {member: "x y"}
                """)
                == [
                    "2:23: 'members' cannot go with 'endpoint': a user's LXD cluster has the members it has",
                    "2:76: 'a/b' is not an interface name",
                    "5:15: 'x y' is neither a member number nor a member name",
                ])
        #expect(
            errors("name: t\nprovider: {kind: lxd, members: 2}\nnodes:\n  a: {member: m2}\n")
                == ["4:3: node 'a' names member 'm2', but only a user's LXD cluster has named members"])
    }

    @Test("reach: proxy needs an https endpoint at an IP address")
    func reach() throws {
        let topology = try TopologyLoader.parse(
            text: """
                name: t
                provider: {kind: lxd, endpoint: {url: "https://10.9.0.5:8443", client_certificate: c, client_key: k, server_certificate: s, reach: proxy}}
                nodes: {a: }
                """, path: "t.yaml")
        #expect(topology.labProvider.endpoint?.reach == .proxy)
        #expect(
            errors(
                """
                name: t
                provider: {kind: lxd, endpoint: {socket: /s, reach: proxy}}
                nodes: {a: }
                """) == ["2:53: reach: proxy needs an https endpoint: a proxy listens on the URL's address"])
        #expect(
            errors(
                """
                name: t
                provider: {kind: lxd, endpoint: {url: "https://lxd.example:8443", client_certificate: c, client_key: k, server_certificate: s, reach: proxy}}
                nodes: {a: }
                """) == ["2:135: reach: proxy listens on the URL's host, and 'lxd.example' is not an IP address"])
        #expect(
            errors("name: t\nprovider: {kind: lxd, endpoint: {socket: /s, reach: tunnel}}\nnodes: {a: }\n")
                == ["2:53: 'tunnel' is not a way to reach the containers"])
    }
}
