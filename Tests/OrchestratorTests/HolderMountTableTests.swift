import Testing

@testable import Orchestrator

/// The table a node holder mounts with one `mount -a`: /run before the mounts on it, and a source path with
/// blanks or a backslash written with fstab's octal escapes, so it stays one field.
@Suite struct HolderMountTableTests {
    @Test("every node mount in order; the iproute2 copy escaped as one field")
    func table() {
        let lines = HolderScripts.mountTable(iproute2: "/var/lib/a b\\c/iproute2").split(separator: "\n")
        #expect(lines.map { $0.split(separator: " ")[1] } == HolderScripts.mountTargets.map { Substring($0) })
        #expect(lines.last == #"/var/lib/a\040b\134c/iproute2 /etc/iproute2 none bind 0 0"#)
        #expect(lines.allSatisfy { $0.split(separator: " ").count == 6 })
    }
}
