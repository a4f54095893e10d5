import NodeAgentProtocol
import Synchronization

#if canImport(Glibc)
    import Glibc
#endif

/// The files a spilled stdout and stderr are written to, each opened on its first byte (a short output
/// creates no file). A write that fails is kept as the reason, and later bytes are dropped; the run goes on.
final class OutputSpillFiles: Sendable {
    private let paths: [String]
    private let state = Mutex<(fds: [Int32?], failure: String?)>(([nil, nil], nil))

    init(_ files: NodeRequest.OutputFiles) {
        paths = [files.stdout, files.stderr]
    }

    deinit {
        state.withLock { for case let fd? in $0.fds { SystemCall.close(fd) } }
    }

    func spill(_ files: NodeRequest.OutputFiles) -> OutputSpill {
        OutputSpill(threshold: files.threshold, tailLimit: files.tailLimit) { [self] section, bytes in
            write(section, bytes)
        }
    }

    var failure: String? { state.withLock { $0.failure } }

    private func write(_ section: Int, _ bytes: ArraySlice<UInt8>) {
        state.withLock { state in
            guard state.failure == nil, paths.indices.contains(section) else { return }
            do {
                if state.fds[section] == nil {
                    state.fds[section] = try SystemCall.open(paths[section], O_WRONLY | O_CREAT | O_TRUNC, 0o644)
                }
                if let fd = state.fds[section] { try SystemCall.writeAll(fd, Array(bytes)) }
            } catch {
                state.failure = "\(paths[section]): \(error)"
            }
        }
    }
}
