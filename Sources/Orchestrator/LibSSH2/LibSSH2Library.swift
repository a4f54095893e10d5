internal import CLibSSH2

/// Process-wide libssh2 initialisation.
///
/// `libssh2_init` is not thread-safe, so it runs exactly once, through a `static let` (whose
/// initialisation Swift guarantees to be atomic), before the first session is created.
/// `libssh2_exit` is never called: sessions may be alive until the process ends.
enum LibSSH2Library {
    /// The result of `libssh2_init(0)`; zero on success.
    private static let initialisation: Int32 = libssh2_init(0)

    /// Makes sure libssh2 is initialised.
    /// - Returns: `nil` on success, otherwise the non-zero code of `libssh2_init`.
    static func ensureInitialised() -> Int32? {
        let rc = initialisation
        return rc == 0 ? nil : rc
    }

    /// The libssh2 version this process runs with, for example `1.10.0`.
    static var version: String {
        libssh2_version(0).map { String(cString: $0) } ?? "unknown"
    }
}
