/// An LXD daemon the user already runs, which testbed uses as a client only: it creates and removes the objects it
/// records there (containers, networks, an image it imported) and never starts, stops or reconfigures the daemon.
public struct LXDEndpoint: Sendable, Hashable, Codable {
    public enum Address: Sendable, Hashable, Codable {
        /// The daemon's unix socket (an absolute path).
        case socket(path: String)
        /// `https://HOST:PORT`, authenticated by a client certificate the daemon trusts.
        case https(host: String, port: Int)
    }

    /// How testbed reaches the containers' sshd.
    public enum Reach: String, Sendable, Hashable, Codable {
        /// Their addresses on the lab's management bridge, dialled from `networkNamespace`: the daemon runs on
        /// this machine (or in a namespace of it).
        case bridge
        /// An LXD proxy device per container, listening on the daemon's own address (the URL's host; on a
        /// cluster each member's), a port of the lab's range each: a daemon on another machine.
        case proxy
    }

    public var address: Address
    /// https: the client certificate and key (PEM files) the daemon trusts.
    public var clientCertificate: String?
    public var clientKey: String?
    /// https: the daemon's certificate, the only one accepted (nil only with `trustOnFirstUse`).
    public var serverCertificate: String?
    /// https: take whatever certificate the daemon shows at lab up (asked for explicitly, never the default).
    public var trustOnFirstUse: Bool
    /// The network namespace file every lxc call and every management connection runs in; nil: testbed's own.
    public var networkNamespace: String?
    /// The storage pool the containers' root disks go to.
    public var storagePool: String
    /// A clustered endpoint: the interface, with the same name on every member, that carries the members' own
    /// addresses; the segments' VXLAN tunnels go over it (LXD 5.0 keeps the tunnel keys cluster-wide).
    public var tunnelInterface: String?
    /// Nil: `bridge` on a standalone daemon, `proxy` on a cluster (the only way there).
    public var reach: Reach?

    public init(
        address: Address, clientCertificate: String? = nil, clientKey: String? = nil, serverCertificate: String? = nil,
        trustOnFirstUse: Bool = false, networkNamespace: String? = nil, storagePool: String = "default"
    ) {
        self.address = address
        self.clientCertificate = clientCertificate
        self.clientKey = clientKey
        self.serverCertificate = serverCertificate
        self.trustOnFirstUse = trustOnFirstUse
        self.networkNamespace = networkNamespace
        self.storagePool = storagePool
    }

    /// The address as lxc's configuration writes it (`unix:///path` or `https://host:port`).
    public var url: String {
        switch address {
        case .socket(let path): "unix://" + path
        case .https(let host, let port): "https://\(host):\(port)"
        }
    }
}
