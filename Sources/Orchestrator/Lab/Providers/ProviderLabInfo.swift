public import PlanModel

/// What a provider lab (LXD or QEMU) is, beside the namespace lab's summary: how each node is reached.
public struct ProviderLabInfo: Sendable, Hashable, Codable {
    /// One node: its container or VM and its management address.
    public struct Node: Sendable, Hashable, Codable {
        public var name: NodeName
        /// The LXD member (1-based) or the VM's number.
        public var member: Int
        /// On a user's LXD cluster: the member's name (`lxc cluster list`).
        public var memberName: String?
        /// The container's or VM's name.
        public var instance: String
        /// The management address testbed dials, from inside `networkNamespace`.
        public var address: String
        public var port: Int
        /// The container's address on the management bridge when it is dialled elsewhere (a proxy device on its
        /// member's address); nil: `address` is that.
        public var bridgeAddress: String?
        /// The namespace file the management connection is made from.
        public var networkNamespace: String
    }

    public var kind: LabProvider.Kind
    public var members: Int
    /// QEMU: `kvm` or `tcg`.
    public var accelerator: String?
    /// The management network as the nodes see it (LXD's bridge; QEMU's user-mode network).
    public var managementNetwork: String
    /// The image directory the nodes were made from.
    public var image: String
    public var nodes: [Node]
    /// LXD: the user's endpoint the lab is on (`unix:///…` or `https://…`); nil: testbed's own daemons.
    public var endpoint: String?

    /// `m1: alfa, gamma; m2: beta` — the placement, for `lab status`; on a user's endpoint
    /// `unix:///…/unix.socket: alfa, beta`, or on a user's cluster `https://…: node-a: alfa; node-b: beta`.
    public var placement: String {
        if let endpoint, !nodes.contains(where: { $0.memberName != nil }) {
            return endpoint + ": " + nodes.map(\.name.rawValue).joined(separator: ", ")
        }
        let members = Set(nodes.map(\.member)).sorted()
        let text = members.map { member in
            let placed = nodes.filter { $0.member == member }
            return (placed.first?.memberName ?? "m\(member)") + ": "
                + placed.map(\.name.rawValue).joined(separator: ", ")
        }.joined(separator: "; ")
        return endpoint.map { $0 + ": " + text } ?? text
    }
}
