import ArgumentParser
import Orchestrator
import PlanModel

#if canImport(Glibc)
    import Glibc
#endif

/// The exit codes testbed promises (see `testbed --help`).
enum ExitCodes {
    static let ok: Int32 = 0
    static let failed: Int32 = 1
    static let invalidInput: Int32 = 2
    static let connection: Int32 = 3
}

/// Turns any error into a message on stderr and an exit code, in one place.
enum ErrorReporting {
    static func exitCode(for error: any Error) -> Int32 {
        switch error {
        case is InputErrors, is InputError, is ValidationError, is ScheduleDecision.Refusal:
            return ExitCodes.invalidInput
        case let error as NodeError: return error.isConnectionFailure ? ExitCodes.connection : ExitCodes.failed
        case let error as LabError:
            switch error.code {
            case .setupFailed, .io: return ExitCodes.failed
            default: return ExitCodes.invalidInput
            }
        default: return ExitCodes.failed
        }
    }

    /// Prints the error and returns the `ExitCode` to throw.
    static func report(_ error: any Error) -> ExitCode {
        if let exit = error as? ExitCode { return exit }
        Terminal.standardError.write("\(error)\n")
        return ExitCode(exitCode(for: error))
    }
}

/// Writes to stdout or stderr without buffering surprises, and knows whether it is a terminal.
struct Terminal: Sendable {
    let fd: Int32

    static let standardOutput = Terminal(fd: 1)
    static let standardError = Terminal(fd: 2)

    var isTTY: Bool { isatty(fd) == 1 }

    /// Colour only on a terminal, and never when NO_COLOR is set (https://no-color.org).
    var usesColor: Bool { isTTY && ProcessEnvironment.value("NO_COLOR").map(\.isEmpty) ?? true }

    func write(_ text: String) {
        FileOutput(fd: fd).write(Array(text.utf8))
    }
}

/// Writes raw bytes to a descriptor (command output is bytes, not text).
struct FileOutput: Sendable {
    let fd: Int32

    static let standardOutput = FileOutput(fd: 1)
    static let standardError = FileOutput(fd: 2)

    func write(_ data: [UInt8]) {
        var bytes = data
        var offset = 0
        while offset < bytes.count {
            let count = bytes.withUnsafeMutableBytes { raw in
                raw.baseAddress.map { Glibc.write(fd, $0 + offset, raw.count - offset) } ?? 0
            }
            if count <= 0 { break }
            offset += count
        }
    }
}
