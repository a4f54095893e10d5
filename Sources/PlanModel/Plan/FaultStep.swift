/// A fault injected on purpose (Jepsen's nemesis, containerlab's netem, FRR's link up/down): a link or a
/// segment taken down or brought up, an interface made slow or lossy, a segment cut into groups, a node or a
/// service killed, paused or resumed, or every fault healed. Always a barrier: everything before it has
/// finished, nothing after it starts until it is in place.
public struct FaultStep: Sendable, Hashable, Codable {
    public enum Action: Sendable, Hashable, Codable {
        /// Takes a node's interface (its end of the link) or a whole segment down.
        case linkDown(FaultLink)
        /// Brings it up again.
        case linkUp(FaultLink)
        /// Delay, jitter, loss and rate on a node's interface; `nil` settings take them off again.
        case netem(Endpoint, NetemSettings?)
        /// Cuts the segment of `segment` into groups of nodes that reach each other and no one else; the
        /// nodes of the segment named in no group form one more group.
        case partition(segment: Endpoint, groups: [[NodeName]])
        /// SIGKILL, SIGSTOP or SIGCONT to a node (every process of it) or to one of its services.
        case signal(FaultSignal, FaultProcess)
        /// Undoes every fault in place (a killed node stays dead).
        case heal
    }

    /// The node the step is reported under (the one it acts on, or for `heal` the topology's first).
    public var node: NodeName
    public var action: Action

    public init(node: NodeName, action: Action) {
        self.node = node
        self.action = action
    }

    /// `link down alfa:eth1`, `netem beta:eth1 delay 100 ms loss 5%`, `partition of alfa:eth1: alfa beta | gamma`.
    public var summary: String {
        switch action {
        case .linkDown(let link): "link down \(link)"
        case .linkUp(let link): "link up \(link)"
        case .netem(let endpoint, let settings): "netem \(endpoint) \(settings.map(\.description) ?? "off")"
        case .partition(let segment, let groups):
            "partition of the segment of \(segment): "
                + groups.map { $0.map(\.rawValue).joined(separator: " ") }.joined(separator: " | ")
        case .signal(let signal, let process): "\(signal.rawValue) \(process)"
        case .heal: "heal every fault"
        }
    }
}

/// A node's interface, or the whole segment it is on.
public struct FaultLink: Sendable, Hashable, Codable, CustomStringConvertible {
    public var endpoint: Endpoint
    public var wholeSegment: Bool

    public init(endpoint: Endpoint, wholeSegment: Bool) {
        self.endpoint = endpoint
        self.wholeSegment = wholeSegment
    }

    public var description: String { wholeSegment ? "the segment of \(endpoint)" : endpoint.description }
}

/// What `tc qdisc … netem` is given.
public struct NetemSettings: Sendable, Hashable, Codable, CustomStringConvertible {
    public var delayMilliseconds: Int?
    public var jitterMilliseconds: Int?
    /// Percent, 0–100.
    public var lossPercent: Double?
    /// As tc writes it: digits and a unit (`1mbit`, `500kbit`).
    public var rate: String?

    public init(
        delayMilliseconds: Int? = nil, jitterMilliseconds: Int? = nil, lossPercent: Double? = nil, rate: String? = nil
    ) {
        self.delayMilliseconds = delayMilliseconds
        self.jitterMilliseconds = jitterMilliseconds
        self.lossPercent = lossPercent
        self.rate = rate
    }

    /// The netem arguments: `delay 100ms 10ms loss 5% rate 1mbit`.
    public var arguments: [String] {
        var words: [String] = []
        if let delay = delayMilliseconds {
            words += ["delay", "\(delay)ms"] + (jitterMilliseconds.map { ["\($0)ms"] } ?? [])
        }
        if let loss = lossPercent { words += ["loss", "\(Self.format(loss))%"] }
        if let rate { words += ["rate", rate] }
        return words
    }

    public var description: String { arguments.joined(separator: " ") }

    /// Whether the settings drop every packet (a cut, as far as reaching the node goes).
    public var dropsEverything: Bool { (lossPercent ?? 0) >= 100 }

    public static func format(_ value: Double) -> String {
        value == value.rounded() ? String(Int(value)) : String(value)
    }

    /// Digits then a unit tc knows, e.g. `1mbit`.
    public static func isRate(_ text: String) -> Bool {
        let digits = text.prefix { $0.isASCII && $0.isNumber }
        let unit = text.dropFirst(digits.count)
        return !digits.isEmpty && digits.count <= 9
            && ["bit", "kbit", "mbit", "gbit", "bps", "kbps", "mbps"].contains(unit)
    }
}

public enum FaultSignal: String, Sendable, Hashable, Codable, CaseIterable {
    case kill, pause, resume
}

/// A whole node, or one of its services.
public enum FaultProcess: Sendable, Hashable, Codable, CustomStringConvertible {
    case node(NodeName)
    case service(NodeName, ServiceName)

    public var node: NodeName {
        switch self {
        case .node(let node), .service(let node, _): node
        }
    }

    public var description: String {
        switch self {
        case .node(let node): "node \(node)"
        case .service(let node, let name): "service \(name) on \(node)"
        }
    }
}
