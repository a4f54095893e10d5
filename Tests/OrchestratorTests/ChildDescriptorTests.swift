import Foundation
import Testing

@testable import Orchestrator

#if canImport(Glibc)
    import Glibc
#endif

@Suite struct ChildDescriptorTests {
    @Test("a child inherits only its standard streams, not a descriptor the parent left inheritable")
    func nothingInherited() throws {
        // A descriptor without close-on-exec, as a caller's `flock FILE cmd` leaves one.
        let leaked = open("/dev/null", O_RDONLY)
        #expect(leaked > 2)
        defer { close(leaked) }
        let output = try ProcessRunner.run(
            "/bin/sh", ["-c", "test -e /proc/self/fd/\(leaked) && echo leaked || echo clean"])
        #expect(output.stdoutText == "clean\n")
    }
}
