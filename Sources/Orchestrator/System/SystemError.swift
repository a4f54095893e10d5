public import PlanModel

#if canImport(Glibc)
    import Glibc
#endif

/// A failed system call, with the call's name, `errno` and what testbed was doing.
public struct SystemError: DiagnosticConvertible, Sendable, Hashable {
    public let call: String
    public let errno: Int32
    public let detail: String

    public init(call: String, errno: Int32, detail: String = "") {
        self.call = call
        self.errno = errno
        self.detail = detail
    }

    /// Captures the calling thread's current `errno`.
    public static func last(_ call: String, _ detail: String = "") -> SystemError {
        SystemError(call: call, errno: Glibc.errno, detail: detail)
    }

    /// `call: reason`, e.g. `open: Permission denied`.
    public var reason: String { "\(call): \(String(cString: strerror(errno)))" }

    public var diagnostics: [Diagnostic] {
        [
            Diagnostic(
                code: "system.\(call)", category: .failure, message: detail.isEmpty ? reason : "\(detail): \(reason)")
        ]
    }
}
