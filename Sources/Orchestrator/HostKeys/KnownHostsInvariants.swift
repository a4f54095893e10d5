/// Checks of the known_hosts parser that hold for any text (`KnownHostsFile` itself stays internal).
public enum KnownHostsInvariants {
    /// What a connection relies on when it reads `text` as a known_hosts file, checked on that very text; each
    /// broken promise is one line (none: the parser kept them all). Public for the fuzz harness, which traps on
    /// any line so that libFuzzer keeps the input.
    ///
    /// - every entry and problem is located on a line of the text;
    /// - each entry's key, written back as `type base64`, reads back as the same key;
    /// - a line testbed would append for a host (plain, and hashed when the file hashes) makes the file trust
    ///   that key for that host, or refuse it when a `@revoked` line of the text names it.
    public static func violations(parsing text: String, path: String = "known_hosts") -> [String] {
        let file = KnownHostsFile(parsing: text, path: path)
        var violations: [String] = []
        let lines = max(file.lineCount, 1)
        for problem in file.problems where !(1...lines).contains(problem.location.line) {
            violations.append("problem located outside the \(file.lineCount) lines: \(problem)")
        }
        for entry in file.entries where !(1...lines).contains(entry.location.line) {
            violations.append("entry located outside the \(file.lineCount) lines: \(entry.location)")
        }
        for entry in file.entries.prefix(4) {
            let written = KnownHostsFile(parsing: "host \(entry.key.knownHostsText)\n", path: path)
            if written.entries.map(\.key) != [entry.key] {
                violations.append("\(entry.location): its key does not read back from '\(entry.key.knownHostsText)'")
            }
            violations += appendedLineViolations(text: text, file: file, key: entry.key, path: path)
        }
        return violations
    }

    /// Appends an entry for a fixed host with `key` and checks the file's verdict on that key for that host.
    private static func appendedLineViolations(
        text: String, file: KnownHostsFile, key: HostKey, path: String
    ) -> [String] {
        let host = "[fuzz.invalid]:2222"
        let salt = [UInt8](repeating: 7, count: 20)
        let line = KnownHosts.entryLine(for: key, hostName: host, hashed: file.usesHashing, salt: salt)
        let appended = text + (file.endsWithNewline ? "" : "\n") + line + "\n"
        let after = KnownHostsFile(parsing: appended, path: path)
        guard after.lineCount == file.lineCount + 1 else {
            return ["appending a line made \(after.lineCount) lines of \(file.lineCount)"]
        }
        switch KnownHosts(files: [after]).verdict(for: key, hostName: host) {
        case .trusted, .revoked:
            return []
        case let verdict:
            return ["after appending '\(line)', the file says \(verdict) for \(host)"]
        }
    }
}
