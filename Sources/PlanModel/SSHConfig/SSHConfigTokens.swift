/// `~` and `%` token expansion of ssh_config values, for one host.
struct SSHConfigTokens: Sendable, Hashable {
    /// `%d`: the local home directory.
    var home: String
    /// `%u`: the local user.
    var localUser: String
    /// `%h`: the remote host name (after HostName).
    var hostName: String
    /// `%n`: the name given on the command line.
    var alias: String
    /// `%p`.
    var port: Int
    /// `%r`.
    var remoteUser: String

    /// Replaces the tokens (already checked by the parser) and a leading `~`.
    func expand(_ text: String, tilde: Bool) -> String {
        var out = ""
        var iterator = text.makeIterator()
        while let character = iterator.next() {
            guard character == "%", let token = iterator.next() else {
                out.append(character)
                continue
            }
            switch token {
            case "d": out += home
            case "u": out += localUser
            case "h": out += hostName
            case "n": out += alias
            case "p": out += String(port)
            case "r": out += remoteUser
            default: out.append(token)  // %%, and nothing else passes the parser's check
            }
        }
        return tilde ? Self.expandTilde(out, home: home) : out
    }

    /// `~` and `~/…` become the home directory; `~user` is left alone (testbed does not look users up).
    static func expandTilde(_ path: String, home: String) -> String {
        if path == "~" { return home }
        if path.hasPrefix("~/") { return home + path.dropFirst() }
        return path
    }
}
