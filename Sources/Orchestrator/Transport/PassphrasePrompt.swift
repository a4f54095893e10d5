#if canImport(Glibc)
    import Glibc
#endif

/// Asks for a key's passphrase on the controlling terminal, with echo off, like OpenSSH's `readpassphrase`.
enum PassphrasePrompt {
    /// Whether standard input is a terminal, so a person could answer.
    static var isInteractive: Bool { isatty(0) == 1 }

    /// Prints `prompt` to `/dev/tty` and reads one line without echoing it.
    /// - Returns: The line without its newline, or nil when there is no terminal or reading fails.
    static func read(prompt: String) -> String? {
        guard let fd = try? SystemCall.open("/dev/tty", O_RDWR) else { return nil }
        defer { SystemCall.close(fd) }
        var saved = termios()
        guard tcgetattr(fd, &saved) == 0 else { return nil }
        var silent = saved
        silent.c_lflag &= ~tcflag_t(ECHO)
        silent.c_lflag |= tcflag_t(ECHONL)
        guard tcsetattr(fd, TCSAFLUSH, &silent) == 0 else { return nil }
        defer { _ = tcsetattr(fd, TCSAFLUSH, &saved) }
        guard (try? SystemCall.writeAll(fd, Array(prompt.utf8))) != nil else { return nil }
        var line: [UInt8] = []
        var byte: [UInt8] = [0]
        while true {
            guard let got = try? SystemCall.read(fd, into: &byte), got == 1 else { return nil }
            if byte[0] == UInt8(ascii: "\n") || byte[0] == UInt8(ascii: "\r") { break }
            line.append(byte[0])
        }
        byte[0] = 0
        defer { for index in line.indices { line[index] = 0 } }
        return String(decoding: line, as: UTF8.self)
    }
}
