public import PlanModel

/// Which namespace holder a lab object belongs to: the lab's switch, or one node.
///
/// Journaled as `switch` or `node:NAME`; this type is the only place that spelling is written or read.
public enum HolderRole: Sendable, Hashable, Comparable, Codable, CustomStringConvertible {
    case `switch`
    case node(NodeName)

    public var description: String {
        switch self {
        case .switch: "switch"
        case .node(let name): "node:\(name)"
        }
    }

    /// The node, for a node's holder.
    public var node: NodeName? {
        if case .node(let name) = self { name } else { nil }
    }

    public init?(journalText text: String) {
        if text == "switch" {
            self = .switch
        } else if text.hasPrefix("node:"), let name = NodeName(text.dropFirst("node:".count)) {
            self = .node(name)
        } else {
            return nil
        }
    }

    public init(from decoder: any Decoder) throws {
        let text = try decoder.singleValueContainer().decode(String.self)
        guard let role = HolderRole(journalText: text) else {
            throw DecodingError.dataCorrupted(
                .init(codingPath: decoder.codingPath, debugDescription: "'\(text)' is not a holder role"))
        }
        self = role
    }

    public func encode(to encoder: any Encoder) throws {
        var container = encoder.singleValueContainer()
        try container.encode(description)
    }

    public static func < (lhs: HolderRole, rhs: HolderRole) -> Bool { lhs.description < rhs.description }
}

/// The kinds of namespace a holder owns.
public enum NamespaceKind: String, Sendable, Hashable, Codable, CaseIterable {
    case net, mnt, uts
}
