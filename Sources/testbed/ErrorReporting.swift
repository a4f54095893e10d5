import ArgumentParser
import Orchestrator
import PlanModel

#if canImport(Glibc)
    import Glibc
#endif

/// The exit codes testbed promises (see `testbed --help`), decided here and nowhere else.
enum ExitCodes {
    static let ok: Int32 = 0
    static let failed: Int32 = 1
    static let invalidInput: Int32 = 2
    static let connection: Int32 = 3
    static let interrupted: Int32 = 130
    /// `exec` stopped the command at its timeout (as timeout(1) does).
    static let timedOut: Int32 = 124

    /// The exit code of a diagnostic category.
    static func code(for category: Diagnostic.Category) -> Int32 {
        switch category {
        case .input, .refused: invalidInput
        case .connection: connection
        case .failure: failed
        }
    }

    /// The exit code of an error: its diagnostics' category; argument errors are invalid input.
    static func code(for error: any Error) -> Int32 {
        switch error {
        case let exit as ExitCode: exit.rawValue
        case let error as any DiagnosticConvertible: code(for: error.category)
        case is ValidationError: invalidInput
        default: failed
        }
    }
}

/// Turns any error into a message on stderr and an exit code, in one place.
enum ErrorReporting {
    /// Prints the error and returns the `ExitCode` to throw.
    static func report(_ error: any Error) -> ExitCode {
        if let exit = error as? ExitCode { return exit }
        Terminal.standardError.write("\(error)\n")
        return ExitCode(ExitCodes.code(for: error))
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

    /// Output nobody reads any more (a closed pipe) is dropped; the exit code still tells.
    func write(_ data: [UInt8]) {
        try? SystemCall.writeAll(fd, data)
    }
}
