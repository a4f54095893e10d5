public import PlanModel

extension NodeRequest {
    /// One read-only dump of kernel state. Only these fixed kinds exist: a query never carries shell text.
    ///
    /// On the wire a query is one token, `kind[@netns][:name+name…]`, e.g. `routes@ns1` or
    /// `sysctl:net.ipv4.ip_forward+net.ipv4.conf.all.rp_filter`; one iptables table is `iptables@ns1:mangle`.
    public struct StateQuery: Sendable, Hashable, Codable, CustomStringConvertible {
        /// What to dump.
        public enum Kind: Sendable, Hashable, Codable {
            /// `ip -j route show table all`.
            case routes
            /// `ip -j rule show`.
            case rules
            /// `ip -j address show`.
            case addresses
            /// `ip -j link show`.
            case links
            /// `ip -j netns list`.
            case namespaces
            /// `iptables-save`.
            case iptables
            /// `iptables-save -t TABLE`.
            case iptablesTable(String)
            /// The contents of `/etc/iproute2/rt_tables`.
            case rtTables
            /// `name = value` lines for the kernel parameters, read from `/proc/sys`. A name with a `/` is a
            /// path below `/proc/sys` (for interface names containing dots); otherwise dots separate.
            case sysctl(names: [String])
        }

        public var kind: Kind
        /// Runs the query inside the namespace; nil uses the agent's own namespace.
        public var netns: NamespaceName?

        public init(_ kind: Kind, netns: NamespaceName? = nil) {
            self.kind = kind
            self.netns = netns
        }

        /// The wire token, e.g. `sysctl@ns1:net.ipv4.ip_forward`.
        public var description: String {
            var token = kindName
            if let netns { token += "@" + netns.rawValue }
            if case .sysctl(let names) = kind { token += ":" + names.joined(separator: "+") }
            if case .iptablesTable(let table) = kind { token += ":" + table }
            return token
        }

        /// The kind's wire name: `routes`, `rules`, `addresses`, `links`, `namespaces`, `iptables`,
        /// `rtTables` or `sysctl`.
        public var kindName: String {
            switch kind {
            case .routes: "routes"
            case .rules: "rules"
            case .addresses: "addresses"
            case .links: "links"
            case .namespaces: "namespaces"
            case .iptables, .iptablesTable: "iptables"
            case .rtTables: "rtTables"
            case .sysctl: "sysctl"
            }
        }

        /// What the bench counts it as: the kind, `:table` for one iptables table, `@ns` inside a named namespace.
        public var benchLabel: String {
            var label = kindName
            if case .iptablesTable = kind { label += ":table" }
            return netns == nil ? label : label + "@ns"
        }

        /// Checks that the query can be sent.
        /// - Throws: `FrameError` with code `invalidRequest`.
        func validate() throws(FrameError) {
            if case .iptablesTable(let table) = kind, !WireValidation.isIptablesTable(table) {
                throw .invalid(
                    "state query 'iptables': table \"\(ByteExcerpt.escape(Array(table.utf8)))\" is not usable",
                    hint: "name a table in lowercase letters, as in `mangle`")
            }
            guard case .sysctl(let names) = kind else { return }
            guard !names.isEmpty else {
                throw .invalid("state query 'sysctl' names no parameter", hint: "list at least one name")
            }
            for name in names where !WireValidation.isSysctlName(name) {
                throw .invalid(
                    "state query 'sysctl': parameter name \"\(ByteExcerpt.escape(Array(name.utf8)))\" is not usable",
                    hint: "use A–Z a–z 0–9 _ . / - as in `net.ipv4.ip_forward`, with no '.' or '..' path part")
            }
        }

        /// Parses a wire token; nil when it is not one.
        init?(token: Substring) {
            var rest = token
            var names: [String]?
            if let colon = rest.firstIndex(of: ":") {
                names = rest[rest.index(after: colon)...].split(separator: "+", omittingEmptySubsequences: false)
                    .map(String.init)
                rest = rest[..<colon]
            }
            if let at = rest.firstIndex(of: "@") {
                guard let name = NamespaceName(rest[rest.index(after: at)...]) else { return nil }
                netns = name
                rest = rest[..<at]
            }
            switch (rest, names) {
            case ("routes", nil): kind = .routes
            case ("rules", nil): kind = .rules
            case ("addresses", nil): kind = .addresses
            case ("links", nil): kind = .links
            case ("namespaces", nil): kind = .namespaces
            case ("iptables", nil): kind = .iptables
            case ("iptables", let names?) where names.count == 1: kind = .iptablesTable(names[0])
            case ("rtTables", nil): kind = .rtTables
            case ("sysctl", let names?): kind = .sysctl(names: names)
            default: return nil
            }
            if (try? validate()) == nil { return nil }
        }
    }
}
