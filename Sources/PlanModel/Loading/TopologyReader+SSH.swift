import Yams

extension TopologyReader {
    /// Reads an `ssh` mapping over `base` (the defaults). Returns the settings and the keys given.
    mutating func readSSH(_ value: Yams.Node, base: SSHSettings, what: String) -> (SSHSettings, Set<String>)? {
        guard let entries = walker.mapping(value, what) else { return nil }
        walker.rejectUnknownKeys(entries, allowed: Self.sshKeys, in: what)
        var settings = base
        var given: Set<String> = []
        for entry in entries {
            given.insert(entry.key)
            let field = "'\(entry.key)'"
            switch entry.key {
            case "host":
                guard let host = walker.nonEmptyString(entry.value, field) else { continue }
                if isSafeHost(host) {
                    settings.host = host
                } else {
                    walker.error(
                        .invalidValue, "'\(host)' is not a host name or address", at: entry.value,
                        hint: "write a DNS name or an IP address, without spaces or shell characters")
                }
            case "port": settings.port = walker.int(entry.value, field, range: 1...65535) ?? settings.port
            case "user":
                guard let user = walker.nonEmptyString(entry.value, field) else { continue }
                if user.unicodeScalars.allSatisfy({ Names.isASCIIAlphanumeric($0) || "._-".unicodeScalars.contains($0) }
                ) {
                    settings.user = user
                } else {
                    walker.error(
                        .invalidValue, "'\(user)' is not a user name", at: entry.value,
                        hint: "use letters, digits, '.', '_' and '-'")
                }
            case "identity_file":
                settings.identityFiles = (walker.strings(entry.value, field) ?? []).map(\.0)
            case "known_hosts":
                settings.knownHostsFiles = (walker.strings(entry.value, field) ?? []).map(\.0)
            case "host_key_alias": settings.hostKeyAlias = walker.nonEmptyString(entry.value, field)
            case "proxy_command": settings.proxyCommand = walker.nonEmptyString(entry.value, field)
            case "passphrase_env":
                guard let name = walker.nonEmptyString(entry.value, field) else { continue }
                if name.unicodeScalars.allSatisfy({ Names.isASCIIAlphanumeric($0) || $0 == "_" }) {
                    settings.passphraseEnvironmentVariable = name
                } else {
                    walker.error(
                        .invalidValue, "'\(name)' is not an environment variable name", at: entry.value,
                        hint: "use letters, digits and '_', e.g. TESTBED_KEY_PASSPHRASE")
                }
            case "accept_new_host_keys":
                settings.acceptNewHostKeys = walker.bool(entry.value, field) ?? settings.acceptNewHostKeys
            case "agent": settings.useAgent = walker.bool(entry.value, field) ?? settings.useAgent
            case "config": settings.configFile = walker.nonEmptyString(entry.value, field)
            case "netns": settings.networkNamespace = readNetworkNamespace(entry.value, field)
            case "connect_timeout": settings.connectTimeoutSeconds = walker.int(entry.value, field, range: 1...3600)
            case "keepalive": settings.keepaliveSeconds = walker.int(entry.value, field, range: 0...3600)
            default: break
            }
        }
        return (settings, given)
    }

    /// `NAME` (under /run/netns) or an absolute path of a namespace file.
    mutating func readNetworkNamespace(_ value: Yams.Node, _ field: String) -> String? {
        guard let text = walker.nonEmptyString(value, field) else { return nil }
        if text.hasPrefix("/") { return text }
        guard NamespaceName(text) != nil else {
            walker.error(
                .invalidValue, "'\(text)' is not a network namespace name", at: value,
                hint: "write the name `ip netns` shows, or the path of its file (/run/netns/NAME)")
            return nil
        }
        return "/run/netns/" + text
    }

    /// Host names go into `%h` of proxy commands and into error messages: keep them to name/address characters.
    private func isSafeHost(_ host: String) -> Bool {
        host.unicodeScalars.allSatisfy { Names.isASCIIAlphanumeric($0) || ".-:_[]%".unicodeScalars.contains($0) }
    }
}
