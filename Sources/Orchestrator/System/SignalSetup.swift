#if canImport(Glibc)
    import Glibc
#endif

/// Process-wide signal dispositions testbed needs.
public enum SignalSetup {
    /// A write to a closed pipe or socket (a holder that died, an sshd that went away) must be an error
    /// to report, not a silent death of testbed by SIGPIPE.
    public static func ignoreSIGPIPE() {
        signal(SIGPIPE, SIG_IGN)
    }
}
