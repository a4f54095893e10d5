#if canImport(Glibc)
    import Glibc
#endif

/// The namespace holder processes being started, and the line protocol `lab up` speaks with them:
/// each prints `ready` once its namespaces exist, waits for `go`, then prints `up` when configured.
final class HolderGroup {
    struct Holder {
        let role: HolderRole
        let process: ChildProcess
        let stdin: Int32
        let stdout: Int32
        var buffer: [UInt8] = []
    }

    private(set) var holders: [Holder] = []

    deinit {
        for holder in holders {
            SystemCall.close(holder.stdin)
            SystemCall.close(holder.stdout)
        }
    }

    func add(role: HolderRole, process: ChildProcess) {
        let pipes = process.takePipes()
        holders.append(Holder(role: role, process: process, stdin: pipes.stdin ?? -1, stdout: pipes.stdout ?? -1))
    }

    /// Waits until every holder has printed `word`; returns the roles that failed (exited or timed out).
    func awaitLine(_ word: String, until deadline: ContinuousClock.Instant) -> [HolderRole] {
        var waiting = Set(holders.indices)
        var chunk = [UInt8](repeating: 0, count: 256)
        while !waiting.isEmpty {
            let indices = Array(waiting)
            var descriptors = indices.map { pollfd(fd: holders[$0].stdout, events: Int16(POLLIN), revents: 0) }
            // A failed poll is treated like the deadline: the holders still waited for are reported as failed.
            let outcome = (try? SystemCall.wait(&descriptors, until: deadline, cancellable: false)) ?? .timedOut
            guard outcome == .ready else { break }
            for (slot, index) in indices.enumerated() where descriptors[slot].revents != 0 {
                let count: Int
                do {
                    guard let got = try SystemCall.read(holders[index].stdout, into: &chunk) else { continue }
                    count = got
                } catch {
                    count = 0
                }
                guard count > 0 else {
                    waiting.remove(index)  // closed (or unreadable): the holder failed; reported below
                    continue
                }
                holders[index].buffer += chunk[0..<count]
                if let newline = holders[index].buffer.firstIndex(of: UInt8(ascii: "\n")) {
                    let line = String(decoding: holders[index].buffer[..<newline], as: UTF8.self)
                    holders[index].buffer.removeSubrange(...newline)
                    if line == word { waiting.remove(index) }
                }
            }
        }
        return holders.indices.filter { index in
            waiting.contains(index) || holders[index].process.pollExit() != nil
        }.map { holders[$0].role }
    }

    /// Sends `go` to every holder. A holder that is gone already is reported by the next `awaitLine`.
    func release() {
        for holder in holders {
            try? SystemCall.writeAll(holder.stdin, Array("go\n".utf8))
        }
    }
}
