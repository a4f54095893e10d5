/// A network interface in a namespace, as far as the model knows it.
public struct Link: Sendable, Hashable, Codable {
    /// What sort of interface it is.
    public enum Kind: Sendable, Hashable, Codable {
        case loopback
        /// An interface the system had before the plan (a lab node's veth, a VM's NIC).
        case ethernet
        /// A macvlan; `parent` is the `id` of its lower device, which may live in another namespace.
        case macvlan(parent: Int, mode: String)
        case veth(peer: Int?)
    }

    /// Unique within the node for the life of the model (survives renames and namespace moves).
    public var id: Int
    public var name: String
    public var kind: Kind
    /// Nil when the kernel chose it and the model cannot know it (a new macvlan).
    public var mac: MACAddress?
    /// The administrative state (`ip link set … up`).
    public var isUp: Bool
    /// IPv4 addresses in the order they were added.
    public var addresses: [InterfaceAddress]

    public init(
        id: Int, name: String, kind: Kind, mac: MACAddress? = nil, isUp: Bool = false,
        addresses: [InterfaceAddress] = []
    ) {
        self.id = id
        self.name = name
        self.kind = kind
        self.mac = mac
        self.isUp = isUp
        self.addresses = addresses
    }

    public var isLoopback: Bool { kind == .loopback }

    public var kindName: String {
        switch kind {
        case .loopback: "loopback"
        case .ethernet: "ethernet"
        case .macvlan: "macvlan"
        case .veth: "veth"
        }
    }
}

/// An IPv4 address on an interface (`ip address add 10.0.0.29 dev eth1` is 10.0.0.29/32).
public struct InterfaceAddress: Sendable, Hashable, Codable, CustomStringConvertible {
    public var address: IPAddress
    public var prefixLength: Int
    /// Set by the kernel when an address of the same subnet was already on the interface.
    public var isSecondary: Bool

    public init(address: IPAddress, prefixLength: Int, isSecondary: Bool = false) {
        self.address = address
        self.prefixLength = prefixLength
        self.isSecondary = isSecondary
    }

    public var prefix: IPPrefix { IPPrefix(address: address, length: prefixLength) }

    /// `10.0.0.29/32`.
    public var description: String { "\(address)/\(prefixLength)" }
}
