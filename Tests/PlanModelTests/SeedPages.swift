import Foundation
import Testing

/// Whether the seed pages of `../shared/seeds` can be used. Outside CI a missing directory skips the seed
/// tests (with the reason shown); under CI (`CI` set) they run and fail loudly, never skip in silence.
enum SeedPages {
    static let directory = ImportTestSupport.seedsDirectory.path
    static var arePresent: Bool { FileManager.default.fileExists(atPath: directory) }
    static var mustRun: Bool { arePresent || ProcessInfo.processInfo.environment["CI"] != nil }
    static let skipReason: Comment = "the seed pages in ../shared/seeds are missing (set CI to make that a failure)"

    /// Fails the test with a clear message when the seeds are missing.
    static func require() throws {
        guard arePresent else {
            Issue.record("the seed pages are missing: \(directory) does not exist; CI needs ../shared beside the clone")
            throw CancellationError()
        }
    }
}
