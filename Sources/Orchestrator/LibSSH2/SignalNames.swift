#if canImport(Glibc)
    import Glibc
#endif

/// Signal names as SSH reports them in `exit-signal` (RFC 4254 §6.10: the name without `SIG`).
enum SignalNames {
    private static let numbers: [String: Int32] = [
        "HUP": SIGHUP, "INT": SIGINT, "QUIT": SIGQUIT, "ILL": SIGILL, "TRAP": SIGTRAP, "ABRT": SIGABRT,
        "BUS": SIGBUS, "FPE": SIGFPE, "KILL": SIGKILL, "USR1": SIGUSR1, "SEGV": SIGSEGV, "USR2": SIGUSR2,
        "PIPE": SIGPIPE, "ALRM": SIGALRM, "TERM": SIGTERM, "CHLD": SIGCHLD, "CONT": SIGCONT, "STOP": SIGSTOP,
        "TSTP": SIGTSTP, "TTIN": SIGTTIN, "TTOU": SIGTTOU, "URG": SIGURG, "XCPU": SIGXCPU, "XFSZ": SIGXFSZ,
        "VTALRM": SIGVTALRM, "PROF": SIGPROF, "WINCH": SIGWINCH, "IO": SIGIO, "SYS": SIGSYS,
    ]

    /// The Linux number of a signal name such as `KILL` or `SIGKILL`; 0 for a name it does not know.
    static func number(of name: String) -> Int32 {
        let bare = name.hasPrefix("SIG") ? String(name.dropFirst(3)) : name
        return numbers[bare] ?? 0
    }

    /// The name (without `SIG`) of a Linux signal number, if it is one of the standard ones.
    static func name(of number: Int32) -> String? { numbers.first { $0.value == number }?.key }
}
