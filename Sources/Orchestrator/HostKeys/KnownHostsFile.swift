/// A line of a known_hosts file that could not be used, with the reason.
struct KnownHostsProblem: Sendable, Hashable, CustomStringConvertible {
    var location: KnownHostsLocation
    var message: String

    var description: String { "\(location): \(message)" }
}

/// The parsed contents of one known_hosts file. Pure: it never touches the file system.
///
/// Follows OpenSSH's format (sshd(8), "SSH_KNOWN_HOSTS FILE FORMAT"): one key per line as
/// `[@marker] hosts keytype base64-key [comment]`, blank lines and `#` comments ignored. Lines that cannot be
/// parsed are skipped, as OpenSSH does, and reported in `problems` with their line numbers.
struct KnownHostsFile: Sendable, Hashable {
    /// The path the text came from, used in every `file:line`.
    var path: String
    var entries: [KnownHostsEntry]
    var problems: [KnownHostsProblem]
    /// The number of lines, so an appended line's number is known.
    var lineCount: Int
    /// Whether the text ends with a newline (or is empty), so an append knows if it must add one first.
    var endsWithNewline: Bool

    /// Whether any entry is hashed; a new entry is then hashed too, so the file keeps its privacy.
    var usesHashing: Bool { entries.contains(where: \.isHashed) }

    /// Parses known_hosts text.
    /// - Parameters:
    ///   - text: The whole file.
    ///   - path: Where it came from, for locations.
    init(parsing text: String, path: String) {
        self.path = path
        entries = []
        problems = []
        // "\r\n" is one Character in Swift, so both line ends are separators.
        let isNewline: (Character) -> Bool = { $0 == "\n" || $0 == "\r\n" }
        let lines = text.split(omittingEmptySubsequences: false, whereSeparator: isNewline)
        let hasFinalNewline = text.last.map(isNewline) ?? false
        endsWithNewline = text.isEmpty || hasFinalNewline
        lineCount = text.isEmpty ? 0 : hasFinalNewline ? lines.count - 1 : lines.count
        for (index, line) in lines.enumerated() {
            let location = KnownHostsLocation(file: path, line: index + 1)
            switch Self.parseLine(line, location: location) {
            case .skip: break
            case .entry(let entry): entries.append(entry)
            case .problem(let message): problems.append(KnownHostsProblem(location: location, message: message))
            }
        }
    }

    private enum LineResult {
        case skip
        case entry(KnownHostsEntry)
        case problem(String)
    }

    private static func parseLine(_ rawLine: Substring, location: KnownHostsLocation) -> LineResult {
        var fields = rawLine.split(whereSeparator: { $0 == " " || $0 == "\t" })[...]
        guard let first = fields.first, !first.hasPrefix("#") else { return .skip }
        var marker = KnownHostsEntry.Marker.none
        if first.hasPrefix("@") {
            switch first {
            case "@revoked": marker = .revoked
            case "@cert-authority": marker = .certificateAuthority
            default: return .problem("unknown marker '\(first)' (expected @revoked or @cert-authority)")
            }
            fields = fields.dropFirst()
        }
        guard fields.count >= 3 else {
            return .problem("expected 'hosts keytype base64-key [comment]', found \(fields.count) field(s)")
        }
        let hostField = fields[fields.startIndex]
        let typeField = String(fields[fields.startIndex + 1])
        let keyField = fields[fields.startIndex + 2]
        let comment = fields.dropFirst(3).joined(separator: " ")

        let hosts: KnownHostsEntry.Hosts
        switch parseHosts(hostField) {
        case .success(let parsed): hosts = parsed
        case .failure(let problem): return .problem(problem.message)
        }
        if typeField.allSatisfy(\.isNumber) {
            return .problem("SSH protocol 1 RSA keys ('\(typeField) …') are not supported")
        }
        guard let blob = Base64.decode(keyField) else {
            return .problem("the key of type '\(typeField)' is not valid base64")
        }
        guard let key = HostKey(blob: blob) else {
            return .problem("the key of type '\(typeField)' is not an SSH public key blob")
        }
        guard key.type == typeField else {
            return .problem("the key type field says '\(typeField)' but the key itself is '\(key.type)'")
        }
        return .entry(KnownHostsEntry(marker: marker, hosts: hosts, key: key, comment: comment, location: location))
    }

    private struct HostFieldProblem: Error {
        var message: String
    }

    private static func parseHosts(_ field: Substring) -> Result<KnownHostsEntry.Hosts, HostFieldProblem> {
        if field.hasPrefix("|") {
            let parts = field.split(separator: "|", omittingEmptySubsequences: false)
            guard parts.count == 4, parts[0].isEmpty, parts[1] == "1" else {
                return .failure(.init(message: "hashed host '\(field)' is not in the form |1|salt|hash"))
            }
            guard let salt = Base64.decode(parts[2]), salt.count == 20,
                let hash = Base64.decode(parts[3]), hash.count == 20
            else {
                return .failure(.init(message: "hashed host '\(field)' needs a 20-byte base64 salt and hash"))
            }
            return .success(.hashed(salt: salt, hash: hash))
        }
        let patterns = field.split(separator: ",", omittingEmptySubsequences: false).map(HostPattern.init)
        guard !patterns.isEmpty, patterns.allSatisfy({ !$0.pattern.isEmpty }) else {
            return .failure(.init(message: "host list '\(field)' has an empty pattern"))
        }
        return .success(.patterns(patterns))
    }
}
