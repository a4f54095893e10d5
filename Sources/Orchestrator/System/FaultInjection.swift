#if canImport(Glibc)
    import Glibc
#endif

/// Named points where tests can freeze testbed, or make it fail, to check what happens then (crash-safety,
/// locking and error-path tests). Without the variables below, each point costs one environment lookup.
///
/// - `TESTBED_FAULT_PAUSE=<point>`: reaching that point prints `testbed: paused at <point>` on stderr and waits:
///   until it is killed, or, with `TESTBED_FAULT_RESUME=<path>` also set, until that path exists.
/// - `TESTBED_FAULT_FAIL=<name>:<argument>`: ``failure(_:)`` returns the argument, for the code at `<name>` to
///   make a real failure of its own kind happen (see `LabJournal`).
public enum FaultInjection {
    public static func checkpoint(_ point: String) {
        guard ProcessEnvironment.value("TESTBED_FAULT_PAUSE") == point else { return }
        try? SystemCall.writeAll(2, Array("testbed: paused at \(point)\n".utf8))
        guard let resume = ProcessEnvironment.value("TESTBED_FAULT_RESUME") else {
            while true { pause() }
        }
        while access(resume, F_OK) != 0 { usleep(10_000) }
    }

    /// The argument of `TESTBED_FAULT_FAIL` when it names `name` (`name:argument`), else nil.
    static func failure(_ name: String) -> String? {
        guard let value = ProcessEnvironment.value("TESTBED_FAULT_FAIL"), value.hasPrefix(name + ":") else {
            return nil
        }
        return String(value.dropFirst(name.count + 1))
    }
}
