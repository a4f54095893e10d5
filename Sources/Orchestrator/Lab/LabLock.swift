import Foundation

#if canImport(Glibc)
    import Glibc
#endif

/// One lock per lab, so `lab up`, `lab down` and the bring-up `run` does never work on the same lab at once:
/// an exclusive `flock(2)` on `<state root>/labs/<name>.lock`, beside the lab's journal.
///
/// ```swift
/// let summary = try LabLock.withLock(paths: LabPaths(name: "netsukuku-poc")) { () throws(LabError) in
///     try LabTeardown(paths: paths, logger: logger).down()      // both run under the one lock
///     return try LabBuilder(topology: topology, logger: logger).up()
/// }
/// ```
///
/// - `LabBuilder.up()` and `LabTeardown.down()` take the lock themselves. Calls nested inside `withLock` for the
///   same lab, in the same task or its child tasks, do not lock again (they run under the lock already held), so
///   a caller can hold it around a whole take-down-and-bring-up. An unstructured `Task { }` started inside inherits
///   that too and must not outlive the scope.
/// - A second process waits (`wait: true`) until the first releases the lock, then sees what the first left: a
///   second `lab up` finds the lab up and refuses. With `wait: false` it is refused at once (`LabError.busy`).
/// - The lock file exists while the lab has a journal. When the outermost scope ends and the journal is gone
///   (after `lab down`, or a `lab up` that failed), the file is removed while the lock is still held, so a lab
///   taken down leaves nothing. A process that was waiting then holds a lock on a file that no longer has a name
///   (and a third could lock a new file of that name): so after each `flock` the locked descriptor is compared
///   with the path (`fstat` and `lstat`), and on a mismatch the lock is taken again on the file the path names.
/// - The wait blocks the calling thread (flock has no asynchronous form); `lab up` and `lab down` block anyway.
public enum LabLock {
    /// Lock files held by the current task (and inherited by its child tasks).
    @TaskLocal private static var held: Set<String> = []

    /// Runs `body` while holding the lab's lock.
    /// - Parameters:
    ///   - paths: The lab (`paths.lock` is the lock file; `paths.labs` is created if needed).
    ///   - wait: Wait for another holder to finish; when false, a held lock is refused with `LabError.busy`.
    /// - Throws: `LabError.busy` (only when `wait` is false), `LabError.io` when the lock file cannot be made or
    ///   locked, or what `body` throws.
    public static func withLock<R>(
        paths: LabPaths, wait: Bool = true, _ body: () throws(LabError) -> R
    ) throws(LabError) -> R {
        if held.contains(paths.lock) { return try body() }
        let fd = try acquire(paths, wait: wait)
        defer { release(fd, paths: paths) }
        let result = $held.withValue(held.union([paths.lock])) {
            Result { () throws(LabError) -> R in try body() }
        }
        return try result.get()
    }

    /// Runs asynchronous `body` while holding the lab's lock; as the synchronous `withLock` otherwise. The
    /// wait for the lock blocks the calling thread.
    public static func withLock<R>(
        paths: LabPaths, wait: Bool = true, _ body: () async throws -> R
    ) async throws -> R {
        if held.contains(paths.lock) { return try await body() }
        let fd = try acquire(paths, wait: wait)
        defer { release(fd, paths: paths) }
        return try await $held.withValue(held.union([paths.lock])) { try await body() }
    }

    /// Whether the current task holds the lock of `paths` (for preconditions and tests).
    public static func isHeld(_ paths: LabPaths) -> Bool { held.contains(paths.lock) }

    /// Creates the state directory if needed and takes the lock.
    private static func acquire(_ paths: LabPaths, wait: Bool) throws(LabError) -> Int32 {
        do {
            try FileManager.default.createDirectory(atPath: paths.labs, withIntermediateDirectories: true)
        } catch {
            throw LabError.io("cannot create the state directory \(paths.labs)", error)
        }
        let fd: Int32?
        do {
            fd = try lockFile(paths.lock, wait: wait)
        } catch {
            throw LabError.io("cannot lock lab '\(paths.name)' (\(paths.lock))", error)
        }
        guard let fd else { throw busy(paths) }
        return fd
    }

    /// Locks the file `path` names at the moment the lock is granted.
    /// - Returns: The locked descriptor, or nil when `wait` is false and another holder has it.
    private static func lockFile(_ path: String, wait: Bool) throws(SystemError) -> Int32? {
        while true {
            let fd = try SystemCall.open(path, O_RDWR | O_CREAT, 0o600)
            do {
                guard try SystemCall.lockExclusive(fd, wait: wait) else {
                    SystemCall.close(fd)
                    return nil
                }
                let locked = SystemCall.FileIdentity(try SystemCall.status(of: fd))
                if let named = try SystemCall.status(ofPath: path), SystemCall.FileIdentity(named) == locked {
                    return fd
                }
            } catch {
                SystemCall.close(fd)
                throw error
            }
            // The holder before us removed the file while we waited for it: lock the one the path names now.
            SystemCall.close(fd)
        }
    }

    /// Removes the lock file when the lab has no journal any more (still holding the lock), then unlocks.
    private static func release(_ fd: Int32, paths: LabPaths) {
        if access(paths.journal, F_OK) != 0 { try? SystemCall.unlink(paths.lock) }
        SystemCall.close(fd)
    }

    private static func busy(_ paths: LabPaths) -> LabError {
        LabError(
            .busy, "lab '\(paths.name)' is busy: another testbed is bringing it up or taking it down",
            hint: "wait for that to finish, then try again")
    }
}
