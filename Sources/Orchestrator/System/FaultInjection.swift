#if canImport(Glibc)
    import Glibc
#endif

/// Named points where tests can freeze testbed to kill it there (crash-safety tests).
///
/// With `TESTBED_FAULT_PAUSE=<point>` in the environment, reaching that point prints
/// `testbed: paused at <point>` on stderr and waits for a signal. Without it, a checkpoint costs one
/// environment lookup.
public enum FaultInjection {
    public static func checkpoint(_ point: String) {
        guard ProcessEnvironment.value("TESTBED_FAULT_PAUSE") == point else { return }
        let message = Array("testbed: paused at \(point)\n".utf8)
        _ = message.withUnsafeBytes { write(2, $0.baseAddress, $0.count) }
        while true { pause() }
    }
}
