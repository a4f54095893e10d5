/// First-match-wins evaluation of an `ssh_config` for one host, as `ssh -G HOST` does it.
extension SSHConfigDocument {
    /// What the file says about `alias` (the name given on the command line).
    ///
    /// Each directive applies when the last `Host` or `Match` line before it selects the host; for each keyword
    /// the first value obtained wins, except `IdentityFile`, which accumulates. `ProxyJump` and `ProxyCommand`
    /// share one slot: whichever comes first wins. An `Include` inside a non-matching block contributes
    /// nothing, and the block state before an `Include` is restored after it.
    public func resolve(host alias: String) -> SSHHostConfig {
        var resolution = Resolution(alias: alias, context: context)
        resolution.walk(entries, startActive: true, neverMatch: false)
        return resolution.finish()
    }
}

/// The state of one evaluation.
private struct Resolution {
    let context: SSHConfigDocument.Context
    var config: SSHHostConfig
    var rawHostName: String?
    var rawIdentityFiles: [String] = []
    var rawKnownHosts: [String]?
    var rawProxy: SSHConfigValue?
    var applied: Set<String> = []

    init(alias: String, context: SSHConfigDocument.Context) {
        self.context = context
        self.config = SSHHostConfig(alias: alias)
    }

    mutating func walk(_ entries: [SSHConfigDocument.Entry], startActive: Bool, neverMatch: Bool) {
        var active = startActive && !neverMatch
        for entry in entries {
            switch entry {
            case .host(let patterns, _):
                active = !neverMatch && SSHHostPattern.listMatches(patterns, config.alias)
            case .match(let criteria, let location, let unsupported):
                if let criteria {
                    active = !neverMatch && criteria.allSatisfy(matches)
                } else {
                    if !neverMatch, let unsupported {
                        config.ignored.append(
                            .init(
                                keyword: "Match", location: location,
                                reason: "testbed does not evaluate 'Match \(unsupported)'; the block is skipped"))
                    }
                    active = false
                }
            case .directive(let directive):
                if active { apply(directive) }
            case .include(let documents, _):
                for document in documents {
                    walk(document.entries, startActive: active, neverMatch: neverMatch || !active)
                }
            }
        }
    }

    /// Whether one Match criterion holds now (`host` sees the HostName obtained so far).
    private func matches(_ criterion: SSHConfigDocument.MatchCriterion) -> Bool {
        let subject: String
        switch criterion.name {
        case "all": return !criterion.isNegated
        case "host": subject = currentHostName
        case "originalhost": subject = config.alias
        case "user": subject = config.user ?? context.localUser
        default: subject = context.localUser  // localuser; the others never reach here
        }
        return SSHHostPattern.listMatches(criterion.patterns, subject) != criterion.isNegated
    }

    private var currentHostName: String {
        guard let rawHostName else { return config.alias }
        return tokens(hostName: config.alias).expand(rawHostName, tilde: false)
    }

    private mutating func apply(_ directive: SSHConfigDocument.Directive) {
        let slot: String
        switch directive.value {
        case .identityFile(let path):
            rawIdentityFiles.append(path)
            return
        case .ignored(let reason):
            config.ignored.append(.init(keyword: directive.keyword, location: directive.location, reason: reason))
            return
        case .proxyJump, .proxyCommand: slot = "proxy"
        default: slot = directive.keyword.lowercased()
        }
        guard applied.insert(slot).inserted else { return }
        switch directive.value {
        case .hostName(let name): rawHostName = name
        case .port(let port): config.port = port
        case .user(let user): config.user = user
        case .identitiesOnly(let flag): config.identitiesOnly = flag
        case .proxyJump, .proxyCommand: rawProxy = directive.value
        case .userKnownHostsFiles(let files): rawKnownHosts = files
        case .hostKeyChecking(let checking): config.hostKeyChecking = checking
        case .hostKeyAlias(let alias): config.hostKeyAlias = alias
        case .serverAliveInterval(let seconds): config.serverAliveInterval = seconds
        case .serverAliveCountMax(let count): config.serverAliveCountMax = count
        case .connectTimeout(let seconds): config.connectTimeout = seconds
        case .identityFile, .ignored: break
        }
    }

    private func tokens(hostName: String) -> SSHConfigTokens {
        SSHConfigTokens(
            home: context.homeDirectory, localUser: context.localUser, hostName: hostName, alias: config.alias,
            port: config.port ?? 22, remoteUser: config.user ?? context.localUser)
    }

    /// Expands the values that depend on the final host name, port and user.
    func finish() -> SSHHostConfig {
        var result = config
        result.hostName = currentHostName
        let tokens = tokens(hostName: result.hostName)
        result.identityFiles = rawIdentityFiles.map { tokens.expand($0, tilde: true) }
        result.userKnownHostsFiles = rawKnownHosts.map { $0.map { tokens.expand($0, tilde: true) } }
        switch rawProxy {
        case .proxyJump(let hops?): result.proxy = .jump(hops)
        case .proxyCommand(let command?): result.proxy = .command(tokens.expand(command, tilde: false))
        default: result.proxy = .direct
        }
        return result
    }
}
