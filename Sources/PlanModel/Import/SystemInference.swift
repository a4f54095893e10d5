/// How an import decided which system runs a block whose system name was lost or unknown, with the
/// evidence, so a reader of the report can check it.
public struct SystemInference: Sendable, Hashable, Codable {
    /// One fact from the block that speaks for or against systems.
    public struct Evidence: Sendable, Hashable, Codable, CustomStringConvertible {
        /// The page or script line of the command.
        public var line: Int
        /// What the command shows, in words.
        public var fact: String
        /// The systems the fact points to (when `isAgainst` is false) or rules out.
        public var nodes: [NodeName]
        public var isAgainst: Bool

        public init(line: Int, fact: String, nodes: [NodeName], isAgainst: Bool) {
            self.line = line
            self.fact = fact
            self.nodes = nodes
            self.isAgainst = isAgainst
        }

        public var description: String {
            "line \(line): \(fact) → "
                + (isAgainst ? "not " + nodes.joined(separator: ", not ") : nodes.joined(separator: " or "))
        }
    }

    /// The system line (or heredoc line) of the block.
    public var location: InputLocation
    /// The name as the source wrote it; empty when it was lost.
    public var written: String
    public var node: NodeName
    /// True when `--assume` decided, not the evidence.
    public var isAssumed: Bool
    public var evidence: [Evidence]

    public init(location: InputLocation, written: String, node: NodeName, isAssumed: Bool, evidence: [Evidence]) {
        self.location = location
        self.written = written
        self.node = node
        self.isAssumed = isAssumed
        self.evidence = evidence
    }

    /// The report's lines for this inference.
    public var summary: [String] {
        let name = written.isEmpty ? "name lost" : "unknown name '\(written)'"
        var lines = ["\(location.fileAndLine): \(name) → \(node)\(isAssumed ? " (assumed by --assume)" : "")"]
        lines += evidence.map { "    \($0)" }
        return lines
    }
}

/// What the blocks imported so far did to each system: the addresses they hold, the namespaces they made,
/// the MACs they set. Later blocks whose system is unknown are matched against it.
struct SystemHistory: Sendable {
    private(set) var addresses: [IPAddress: Set<NodeName>] = [:]
    private(set) var namespaces: [String: [NodeName]] = [:]
    private(set) var macs: [MACAddress: NodeName] = [:]

    mutating func record(_ block: NodeBlock) {
        for command in block.commands {
            guard let words = ShellWords.split(command.text) else { continue }
            let parsed = IPCommand(words: words)
            switch parsed.kind {
            case .addressAdd(let address):
                addresses[address, default: []].insert(block.node)
            case .addressDelete(let address): addresses[address]?.remove(block.node)
            case .netnsAdd(let name):
                if !(namespaces[name]?.contains(block.node) ?? false) {
                    namespaces[name, default: []].append(block.node)
                }
            case .netnsDelete(let name): namespaces[name]?.removeAll { $0 == block.node }
            case .linkAddress(_, let mac): macs[mac] = block.node
            default: break
            }
        }
    }

    /// What a data block (an interface table) under a known system says: its addresses and MACs are that
    /// system's.
    mutating func record(data lines: [ScriptLine], of node: NodeName) {
        let values = DataBlock.values(of: lines)
        for (address, _) in values.addresses { addresses[address, default: []].insert(node) }
        for (mac, _) in values.macs { macs[mac] = node }
    }
}

/// The parts of an `ip` (or `iptables`) command that tell which system runs it.
struct IPCommand: Sendable {
    enum Kind: Sendable {
        case route(destination: String?, via: IPAddress?, source: IPAddress?)
        case addressAdd(IPAddress)
        case addressDelete(IPAddress)
        case netnsAdd(String)
        case netnsDelete(String)
        case linkAddress(device: String?, MACAddress)
        case other
    }

    var kind: Kind = .other
    /// The namespace the command runs in (`ip netns exec NS …`, `ip -n NS …`).
    var netns: String?
    /// Devices named with `dev X`.
    var devices: [String] = []
    /// MACs of peers: `--mac-source M`, table names `ntk_from_M`.
    var peerMACs: [MACAddress] = []

    init(words: [String]) {
        var words = words[...]
        if words.count > 4, words.prefix(3) == ["ip", "netns", "exec"] {
            netns = words[words.startIndex + 3]
            words = words.dropFirst(4)
        }
        for (index, word) in zip(words.indices, words) {
            if word == "--mac-source", index + 1 < words.endIndex, let mac = MACAddress(words[index + 1]) {
                peerMACs.append(mac)
            }
            if word == "dev", index + 1 < words.endIndex { devices.append(words[index + 1]) }
            var rest = Substring(word)
            while let range = rest.firstRange(of: "ntk_from_") {
                let candidate = rest[range.upperBound...].prefix(17)
                if let mac = MACAddress(candidate) { peerMACs.append(mac) }
                rest = rest[range.upperBound...]
            }
        }
        guard words.first == "ip" else { return }
        words = words.dropFirst()
        while let option = words.first, option.hasPrefix("-") {
            words = words.dropFirst()
            if option == "-n" || option == "-netns", let name = words.first {
                netns = name
                words = words.dropFirst()
            }
        }
        guard let object = words.first else { return }
        let verb = words.dropFirst().first ?? ""
        let arguments = Array(words.dropFirst(2))
        func value(after key: String) -> String? {
            guard let index = arguments.firstIndex(of: key), index + 1 < arguments.count else { return nil }
            return arguments[index + 1]
        }
        func address(_ text: String?) -> IPAddress? {
            guard let text else { return nil }
            return IPAddress(text) ?? IPPrefix(text).map(\.address)
        }
        switch (Self.object(object), verb) {
        case ("route", "add"), ("route", "del"), ("route", "delete"), ("route", "change"), ("route", "replace"),
            ("route", "append"):
            let types = ["unreachable", "blackhole", "prohibit", "throw", "local", "unicast", "broadcast", "multicast"]
            let destination = arguments.first { !types.contains($0) }
            kind = .route(
                destination: destination, via: address(value(after: "via")), source: address(value(after: "src")))
        case ("address", "add"):
            if let address = address(arguments.first) { kind = .addressAdd(address) }
        case ("address", "del"), ("address", "delete"):
            if let address = address(arguments.first) { kind = .addressDelete(address) }
        case ("netns", "add"):
            if let name = arguments.first { kind = .netnsAdd(name) }
        case ("netns", "del"), ("netns", "delete"):
            if let name = arguments.first { kind = .netnsDelete(name) }
        case ("link", "set"):
            if let macText = value(after: "address"), let mac = MACAddress(macText) {
                kind = .linkAddress(device: value(after: "dev"), mac)
            }
        default: break
        }
    }

    /// iproute2's object abbreviations: `r`/`ro` route, `ru` rule, `a`/`addr` address, `l` link.
    private static func object(_ word: String) -> String {
        guard !word.isEmpty else { return word }
        if word == "r" || (word.hasPrefix("ro") && "route".hasPrefix(word)) { return "route" }
        if word.count >= 2 && "rule".hasPrefix(word) { return "rule" }
        if "address".hasPrefix(word) || word == "addr" { return "address" }
        if "link".hasPrefix(word) { return "link" }
        return word
    }
}
