import Dispatch
import Orchestrator

#if canImport(Glibc)
    import Glibc
#endif

/// Ctrl-C during a run: the first stops it after the blocks in flight (with a report), the second exits at once.
final class InterruptHandler: @unchecked Sendable {
    // @unchecked Sendable: `count` is touched only on `queue`; the sources are set up once in init.
    private let queue = DispatchQueue(label: "testbed.signals")
    private var sources: [any DispatchSourceSignal] = []
    private var count = 0

    /// - Parameter inFlight: Says which nodes may be mid-block when the second signal aborts the run.
    init(stop: StopSignal, inFlight: InFlightUnits? = nil) {
        for number in [SIGINT, SIGTERM] {
            signal(number, SIG_IGN)
            let source = DispatchSource.makeSignalSource(signal: number, queue: queue)
            source.setEventHandler { [unowned self] in
                count += 1
                if count == 1 {
                    stop.request(number == SIGINT ? "interrupted (Ctrl-C)" : "terminated (SIGTERM)")
                    Terminal.standardError.write(
                        "\ntestbed: stopping after the blocks in flight; Ctrl-C again to abort now\n")
                } else {
                    // The agents stop their blocks once their connection is gone (they see their parent go).
                    let running = inFlight?.description ?? []
                    var text = "testbed: aborted"
                    if !running.isEmpty {
                        text += "; possibly mid-block: " + running.joined(separator: ", ")
                    }
                    Terminal.standardError.write(text + "; continue with testbed run --resume\n")
                    _exit(130)
                }
            }
            source.resume()
            sources.append(source)
        }
    }

    deinit {
        for source in sources { source.cancel() }
        signal(SIGINT, SIG_DFL)
        signal(SIGTERM, SIG_DFL)
    }
}
