/// Checks one line of an `ssh_config` and turns it into a value, collecting located errors.
struct SSHConfigLineReader {
    let line: SSHConfigLine
    let source: SourceText
    let context: SSHConfigDocument.Context
    private(set) var errors: [InputError] = []

    init(line: SSHConfigLine, source: SourceText, context: SSHConfigDocument.Context) {
        self.line = line
        self.source = source
        self.context = context
    }

    var location: InputLocation { source.location(line: line.lineNumber, column: line.keywordColumn) }

    mutating func fail(_ code: InputError.Code, _ message: String, word: SSHConfigLine.Word?, hint: String) {
        errors.append(
            source.error(code, message, line: line.lineNumber, column: word?.column ?? line.keywordColumn, hint: hint))
    }

    /// The arguments, or nil (and an error) when there are none.
    mutating func requireArguments() -> [SSHConfigLine.Word]? {
        guard line.arguments.isEmpty else { return line.arguments }
        fail(.missingKey, "\(line.keyword) needs a value", word: nil, hint: hint(for: line.name))
        return nil
    }

    /// The single argument, or nil (and an error) when there is none or more than one.
    mutating func single() -> SSHConfigLine.Word? {
        guard let words = requireArguments() else { return nil }
        guard words.count == 1 else {
            fail(
                .invalidValue, "\(line.keyword) takes one value, found \(words.count)", word: words[1],
                hint:
                    "quote a value that contains spaces: \(line.keyword) \"\(words.map(\.text).joined(separator: " "))\""
            )
            return nil
        }
        return words[0]
    }

    mutating func hostPatterns() -> [SSHHostPattern]? {
        guard let words = requireArguments() else { return nil }
        return words.map { SSHHostPattern($0.text) }
    }

    /// `Match` criteria; the second value names the first criterion testbed does not evaluate.
    mutating func matchCriteria() -> ([SSHConfigDocument.MatchCriterion]?, String?)? {
        guard var words = requireArguments()?[...] else { return nil }
        var criteria: [SSHConfigDocument.MatchCriterion] = []
        var unsupported: String? = nil
        while let word = words.popFirst() {
            let isNegated = word.text.hasPrefix("!")
            let name = String(word.text.dropFirst(isNegated ? 1 : 0)).lowercased()
            switch name {
            case "all", "canonical", "final":
                if name != "all", unsupported == nil { unsupported = name }
                criteria.append(.init(name: name, patterns: [], isNegated: isNegated))
            case "host", "originalhost", "user", "localuser", "exec", "localnetwork", "tagged":
                guard let argument = words.popFirst() else {
                    fail(
                        .missingKey, "Match \(name) needs patterns", word: word,
                        hint: "write the patterns separated by commas, e.g. Match \(name) a,b*")
                    return nil
                }
                if ["exec", "localnetwork", "tagged"].contains(name), unsupported == nil { unsupported = name }
                let patterns = argument.text.split(separator: ",").map { SSHHostPattern(String($0)) }
                criteria.append(.init(name: name, patterns: patterns, isNegated: isNegated))
            default:
                fail(
                    .invalidValue, "unknown Match criterion '\(word.text)'", word: word,
                    hint: "OpenSSH knows all, canonical, final, exec, localnetwork, host, originalhost, tagged, user "
                        + "and localuser")
                return nil
            }
        }
        return (unsupported == nil ? criteria : nil, unsupported)
    }

    /// The checked value of a directive other than Host, Match and Include.
    mutating func value() -> SSHConfigValue? {
        switch line.name {
        case "hostname": return token(["%", "h"]).map(SSHConfigValue.hostName)
        case "user": return single().map { .user($0.text) }
        case "port": return number(range: 1...65535, what: "a port").map(SSHConfigValue.port)
        case "identityfile": return path().map(SSHConfigValue.identityFile)
        case "identitiesonly": return flag().map(SSHConfigValue.identitiesOnly)
        case "proxyjump": return proxyJump().map(SSHConfigValue.proxyJump)
        case "proxycommand": return proxyCommand().map(SSHConfigValue.proxyCommand)
        case "userknownhostsfile": return knownHostsFiles().map(SSHConfigValue.userKnownHostsFiles)
        case "stricthostkeychecking": return hostKeyChecking().map(SSHConfigValue.hostKeyChecking)
        case "hostkeyalias": return single().map { .hostKeyAlias($0.text) }
        case "serveraliveinterval": return seconds().map(SSHConfigValue.serverAliveInterval)
        case "serveralivecountmax":
            return number(range: 0...Int(Int32.max), what: "a count").map(SSHConfigValue.serverAliveCountMax)
        case "connecttimeout": return seconds().map(SSHConfigValue.connectTimeout)
        default:
            if SSHConfigValue.knownUnused.contains(line.name) { return .ignored("testbed does not use it") }
            return .ignored("not an OpenSSH option testbed knows")
        }
    }

    func hint(for name: String) -> String {
        switch name {
        case "host": "write one or more patterns, e.g. Host web* !web-old"
        case "match": "write criteria, e.g. Match host *.lab user root"
        case "include": "name one or more files, relative to \(context.includeDirectory) or absolute; globs allowed"
        case "proxyjump": "write [user@]host[:port] hops separated by commas, or none"
        default: "see ssh_config(5) for the values of \(line.keyword)"
        }
    }
}
