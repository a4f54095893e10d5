/// `sysctl [-w] [-q] [-e] NAME=VALUE…`, `sed -i '/PATTERN/d' /etc/iproute2/rt_tables`.
extension CommandInterpreter {
    /// Per-interface IPv4 parameters (`net.ipv4.conf.IF.NAME`) the model knows exist.
    static let interfaceParameters: Set<String> = [
        "forwarding", "mc_forwarding", "rp_filter", "arp_ignore", "arp_announce", "arp_filter", "arp_accept",
        "arp_notify", "arp_evict_nocarrier", "proxy_arp", "proxy_arp_pvlan", "accept_redirects", "send_redirects",
        "secure_redirects", "shared_media", "accept_source_route", "accept_local", "route_localnet", "log_martians",
        "src_valid_mark", "promote_secondaries", "disable_policy", "disable_xfrm", "medium_id", "bootp_relay",
        "ignore_routes_with_linkdown", "drop_gratuitous_arp", "drop_unicast_in_l2_multicast", "tag",
        "force_igmp_version", "igmpv2_unsolicited_report_interval", "igmpv3_unsolicited_report_interval",
    ]

    /// Namespace-wide parameters the model knows exist.
    static let globalParameters: Set<String> = [
        "net.ipv4.ip_forward", "net.ipv4.ip_nonlocal_bind", "net.ipv4.ip_default_ttl", "net.ipv4.fwmark_reflect",
        "net.ipv4.icmp_echo_ignore_all", "net.ipv4.icmp_echo_ignore_broadcasts", "net.ipv4.ip_forward_use_pmtu",
        "net.ipv4.ip_no_pmtu_disc", "net.ipv4.tcp_fwmark_accept", "net.ipv4.conf.all.forwarding",
    ]

    mutating func runSysctl(_ words: [String], namespace: String?) -> CommandOutcome {
        let key: String
        switch enter(namespace) {
        case .success(let value): key = value
        case .failure(let failure): return .failure(failure)
        }
        let scope = UnknownScope.aspects([.sysctls], namespace: name(key))
        var assignments: [(String, String)] = []
        for word in words {
            if ["-w", "-q", "-e", "--write", "--quiet"].contains(word) { continue }
            if word.hasPrefix("-") { return notModelled("sysctl \(word)", scope: scope) }
            guard let equals = word.firstIndex(of: "=") else {
                assignments.append((Self.normalise(String(word)), ""))
                continue
            }
            let name = Self.normalise(String(word[..<equals]).trimmingCharacters(in: " "))
            assignments.append((name, String(word[word.index(after: equals)...]).trimmingCharacters(in: " ")))
        }
        guard var state = state.namespaces[key] else { return .success }
        var outcome = CommandOutcome.success
        for (name, value) in assignments {
            switch Self.sysctlExists(name, in: state) {
            case .some(false):
                let path = "/proc/sys/" + name.replacingOccurrences(of: ".", with: "/")
                outcome = failure(
                    "\(name) does not exist in \(label(key))",
                    "sysctl: cannot stat \(path): No such file or directory", status: 1,
                    missing: Self.deviceOfSysctl(name).map { .device(namespace: self.name(key), name: $0) })
                continue
            case nil:
                if case .success = outcome { outcome = notModelled("sysctl \(name)", scope: scope) }
                state.unknown.insert(.sysctls)
                continue
            case .some(true):
                break
            }
            guard !value.isEmpty else { continue }
            guard Int(value) != nil else {
                outcome = failure(
                    "\(name) takes a number", "sysctl: setting key \"\(name)\": Invalid argument", status: 1)
                continue
            }
            state.sysctls[name] = value
            if name == "net.ipv4.ip_forward" || name == "net.ipv4.conf.all.forwarding" {
                for other in state.sysctls.keys
                where other == "net.ipv4.ip_forward"
                    || (other.hasPrefix("net.ipv4.conf.") && other.hasSuffix(".forwarding"))
                {
                    state.sysctls[other] = value
                }
                if state.sysctls["net.ipv4.conf.all.accept_redirects"] != nil {
                    state.sysctls["net.ipv4.conf.all.accept_redirects"] = value == "0" ? "1" : "0"
                }
            }
        }
        self.state.namespaces[key] = state
        return outcome
    }

    /// `net/ipv4/ip_forward` → `net.ipv4.ip_forward`.
    static func normalise(_ name: String) -> String {
        name.contains(".") ? name : name.replacingOccurrences(of: "/", with: ".")
    }

    /// Whether the parameter exists in the namespace; nil when the model does not know it.
    static func sysctlExists(_ name: String, in namespace: NamespaceState) -> Bool? {
        if globalParameters.contains(name) { return true }
        let parts = name.split(separator: ".", omittingEmptySubsequences: false).map(String.init)
        guard parts.count == 5, parts[0] == "net", parts[1] == "ipv4", parts[2] == "conf" else { return nil }
        guard interfaceParameters.contains(parts[4]) else { return nil }
        if parts[3] == "all" || parts[3] == "default" { return true }
        if namespace.unknown.contains(.links) { return nil }
        return namespace.link(named: parts[3]) != nil
    }

    static func deviceOfSysctl(_ name: String) -> String? {
        let parts = name.split(separator: ".").map(String.init)
        return parts.count == 5 && parts[2] == "conf" ? parts[3] : nil
    }

    /// `sed -i '/PATTERN/d' /etc/iproute2/rt_tables` (also `-e`, and `-i` after the script).
    mutating func runSed(_ words: [String]) -> CommandOutcome {
        var inPlace = false
        var scripts: [String] = []
        var files: [String] = []
        var index = 0
        while index < words.count {
            let word = words[index]
            if word == "-i" || word == "--in-place" {
                inPlace = true
            } else if word == "-e" || word == "--expression" {
                index += 1
                if index < words.count { scripts.append(words[index]) }
            } else if word.hasPrefix("-") {
                return notModelled("sed \(word)", scope: .everything)
            } else if scripts.isEmpty {
                scripts.append(word)
            } else {
                files.append(word)
            }
            index += 1
        }
        guard inPlace else { return .success }
        guard scripts.count == 1, let script = scripts.first, script.hasPrefix("/"), script.hasSuffix("/d"),
            script.count >= 3
        else {
            return notModelled(
                "sed script '\(scripts.joined(separator: " "))'",
                scope: files == [Self.rtTablesPath] ? .node([.rtTables]) : .everything)
        }
        let body = String(script.dropFirst().dropLast(2))
        guard !body.contains("/") || body.contains("\\/"),
            let pattern = SedPattern(body.replacingOccurrences(of: "\\/", with: "/"))
        else {
            return notModelled("sed pattern '\(body)'", scope: .node([.rtTables]))
        }
        for file in files {
            guard file == Self.rtTablesPath else { return notModelled("sed -i on \(file)", scope: .everything) }
            if !state.unknown.contains(.rtTables) { state.rtTables.deleteLines(matching: pattern) }
        }
        return .success
    }
}
