import Yams

extension TopologyReader {
    static let endpointKeys = [
        "socket", "url", "client_certificate", "client_key", "server_certificate", "trust_on_first_use", "netns",
        "pool", "tunnel_interface", "reach",
    ]
    static let endpointFileKeys = ["client_certificate", "client_key", "server_certificate"]

    /// `endpoint: {socket: /var/lib/lxd/unix.socket}` or `endpoint: {url: https://HOST:PORT, client_certificate: …,
    /// client_key: …, server_certificate: …}`, with `netns:` for the namespace lxc runs in and `pool:`.
    mutating func readEndpoint(_ value: Yams.Node) -> LXDEndpoint? {
        guard let entries = walker.mapping(value, "'endpoint'") else { return nil }
        walker.rejectUnknownKeys(entries, allowed: Self.endpointKeys, in: "'endpoint'")
        let socket = entries.first { $0.key == "socket" }
        let url = entries.first { $0.key == "url" }
        guard (socket == nil) != (url == nil) else {
            walker.error(
                .invalidValue,
                socket == nil ? "'endpoint' has neither 'socket' nor 'url'" : "'endpoint' has both 'socket' and 'url'",
                at: value, hint: "write socket: /PATH/unix.socket, or url: https://ADDRESS:PORT")
            return nil
        }
        var address: LXDEndpoint.Address?
        if let socket, let path = readEndpointPath(socket.value, "'socket'") {
            address = .socket(path: path)
        }
        if let url { address = readEndpointURL(url.value) }
        var endpoint = LXDEndpoint(address: address ?? .socket(path: "/"))
        for entry in entries {
            switch entry.key {
            case "client_certificate":
                endpoint.clientCertificate = readEndpointPath(entry.value, "'client_certificate'")
            case "client_key": endpoint.clientKey = readEndpointPath(entry.value, "'client_key'")
            case "server_certificate":
                endpoint.serverCertificate = readEndpointPath(entry.value, "'server_certificate'")
            case "trust_on_first_use":
                endpoint.trustOnFirstUse = walker.bool(entry.value, "'trust_on_first_use'") ?? false
            case "netns": endpoint.networkNamespace = readNetworkNamespace(entry.value, "'netns'")
            case "pool": endpoint.storagePool = readPoolName(entry.value) ?? "default"
            case "tunnel_interface": endpoint.tunnelInterface = readTunnelInterface(entry.value)
            case "reach": endpoint.reach = readReach(entry.value, address: address)
            default: break
            }
        }
        checkEndpointCredentials(endpoint, entries: entries, at: value, isSocket: socket != nil)
        return address == nil ? nil : endpoint
    }

    /// A socket takes no certificates; https needs the client pair and the server's certificate, or asks for
    /// trust on first use in so many words.
    private mutating func checkEndpointCredentials(
        _ endpoint: LXDEndpoint, entries: [YAMLEntry], at value: Yams.Node, isSocket: Bool
    ) {
        let given = entries.filter { Self.endpointFileKeys.contains($0.key) || $0.key == "trust_on_first_use" }
        if isSocket {
            for entry in given {
                walker.error(
                    .invalidValue, "'\(entry.key)' applies to an https endpoint only", at: entry.keyNode,
                    hint: "remove it: the unix socket's file permissions are its authentication")
            }
            return
        }
        for key in ["client_certificate", "client_key"] where !entries.contains(where: { $0.key == key }) {
            walker.error(
                .missingKey, "the https endpoint has no '\(key)'", at: value,
                hint: "give the PEM file of the client \(key == "client_key" ? "key" : "certificate") the daemon trusts"
            )
        }
        let pinned = entries.first { $0.key == "server_certificate" }
        if pinned == nil, !endpoint.trustOnFirstUse {
            walker.error(
                .missingKey, "the https endpoint has no 'server_certificate'", at: value,
                hint:
                    "give the daemon's certificate (its server.crt), or write trust_on_first_use: true to take whatever it shows"
            )
        }
        if let pinned, endpoint.trustOnFirstUse {
            walker.error(
                .invalidValue, "'server_certificate' and trust_on_first_use: true contradict each other",
                at: pinned.keyNode, hint: "keep the certificate (strict) and remove trust_on_first_use")
        }
    }

    /// An absolute path, `~/…`, or a path relative to the topology's directory (resolved here).
    private mutating func readEndpointPath(_ value: Yams.Node, _ what: String) -> String? {
        guard let text = walker.nonEmptyString(value, what) else { return nil }
        if text.hasPrefix("/") || text.hasPrefix("~/") { return text }
        let source = walker.source.path
        guard let slash = source.lastIndex(of: "/") else { return text }
        return String(source[...slash]) + text
    }

    /// `https://HOST:PORT`: the port is required (lxc's default port is not assumed), and nothing after it.
    private mutating func readEndpointURL(_ value: Yams.Node) -> LXDEndpoint.Address? {
        guard let text = walker.nonEmptyString(value, "'url'") else { return nil }
        let hint = "write https://ADDRESS:PORT, e.g. https://127.0.0.1:8443"
        guard text.hasPrefix("https://") else {
            walker.error(.invalidValue, "'\(text)' is not an https URL", at: value, hint: hint)
            return nil
        }
        let rest = text.dropFirst("https://".count)
        guard let colon = rest.lastIndex(of: ":"), let port = Int(rest[rest.index(after: colon)...]),
            (1...65535).contains(port), colon > rest.startIndex
        else {
            walker.error(.invalidValue, "'\(text)' has no port (or a port out of 1 to 65535)", at: value, hint: hint)
            return nil
        }
        let host = String(rest[..<colon])
        let allowed = host.unicodeScalars.allSatisfy {
            Names.isASCIIAlphanumeric($0) || ".-:[]".unicodeScalars.contains($0)
        }
        guard allowed else {
            walker.error(.invalidValue, "'\(host)' is not a host name or address", at: value, hint: hint)
            return nil
        }
        return .https(host: host, port: port)
    }

    /// `reach: bridge|proxy`; a proxy listens on the URL's host, so it needs an https endpoint at an address.
    private mutating func readReach(_ value: Yams.Node, address: LXDEndpoint.Address?) -> LXDEndpoint.Reach? {
        guard let text = walker.nonEmptyString(value, "'reach'") else { return nil }
        guard let reach = LXDEndpoint.Reach(rawValue: text) else {
            walker.error(
                .invalidValue, "'\(text)' is not a way to reach the containers", at: value,
                hint: "write bridge (the daemon is on this machine) or proxy (a proxy device on the daemon's address)")
            return nil
        }
        if reach == .proxy {
            switch address {
            case .socket:
                walker.error(
                    .invalidValue, "reach: proxy needs an https endpoint: a proxy listens on the URL's address",
                    at: value, hint: "on a unix socket the lab's bridge is reachable from netns; remove 'reach'")
            case .https(let host, _) where IPAddress(host.trimmingCharacters(in: ["[", "]"])) == nil:
                walker.error(
                    .invalidValue, "reach: proxy listens on the URL's host, and '\(host)' is not an IP address",
                    at: value, hint: "write the daemon's address in 'url', e.g. https://10.9.0.5:8443")
            default: break
            }
        }
        return reach
    }

    /// An interface name as the kernel takes it: 1 to 15 bytes, no '/', no spaces.
    private mutating func readTunnelInterface(_ value: Yams.Node) -> String? {
        guard let text = walker.nonEmptyString(value, "'tunnel_interface'") else { return nil }
        guard text.utf8.count <= 15,
            text.unicodeScalars.allSatisfy({ Names.isASCIIAlphanumeric($0) || "-_.".unicodeScalars.contains($0) })
        else {
            walker.error(
                .invalidValue, "'\(text)' is not an interface name", at: value,
                hint:
                    "write the interface of the members' cluster addresses (at most 15 letters, digits, '-', '_', '.')")
            return nil
        }
        return text
    }

    private mutating func readPoolName(_ value: Yams.Node) -> String? {
        guard let text = walker.nonEmptyString(value, "'pool'") else { return nil }
        guard text.unicodeScalars.allSatisfy({ Names.isASCIIAlphanumeric($0) || "-_.".unicodeScalars.contains($0) })
        else {
            walker.error(
                .invalidValue, "'\(text)' is not a storage pool name", at: value,
                hint: "write the name `lxc storage list` shows")
            return nil
        }
        return text
    }
}
