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
        let fd = open("/dev/tty", O_RDWR | O_CLOEXEC)
        guard fd >= 0 else { return nil }
        defer { close(fd) }
        var saved = termios()
        guard tcgetattr(fd, &saved) == 0 else { return nil }
        var silent = saved
        silent.c_lflag &= ~tcflag_t(ECHO)
        silent.c_lflag |= tcflag_t(ECHONL)
        guard tcsetattr(fd, TCSAFLUSH, &silent) == 0 else { return nil }
        defer { _ = tcsetattr(fd, TCSAFLUSH, &saved) }
        let promptBytes = Array(prompt.utf8)
        _ = promptBytes.withUnsafeBytes { write(fd, $0.baseAddress, $0.count) }
        var line: [UInt8] = []
        var byte: UInt8 = 0
        while true {
            let got = Glibc.read(fd, &byte, 1)
            if got == 1 {
                if byte == UInt8(ascii: "\n") || byte == UInt8(ascii: "\r") { break }
                line.append(byte)
            } else if got < 0 && errno == EINTR {
                continue
            } else {
                return nil
            }
        }
        defer { for index in line.indices { line[index] = 0 } }
        return String(decoding: line, as: UTF8.self)
    }
}
