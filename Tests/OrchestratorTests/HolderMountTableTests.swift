import Testing

@testable import Orchestrator

/// The table a node holder mounts with one `mount -a`: /run before the mounts on it, and /etc/iproute2 an overlay
/// whose directories are named in its options, so a path that could split an option is refused.
@Suite struct HolderMountTableTests {
    @Test("every node mount in order; /etc/iproute2 an overlay of the host's with the node's upper and work dirs")
    func table() throws {
        let table = try #require(
            HolderScripts.mountTable(iproute2Upper: "/var/lib/tb/n1/iproute2", work: "/var/lib/tb/n1/iproute2.work"))
        let lines = table.split(separator: "\n")
        #expect(lines.map { $0.split(separator: " ")[1] } == HolderScripts.mountTargets.map { Substring($0) })
        let overlay =
            "testbed-iproute2 /etc/iproute2 overlay lowerdir=/etc/iproute2,upperdir=/var/lib/tb/n1/iproute2,"
            + "workdir=/var/lib/tb/n1/iproute2.work 0 0"
        #expect(lines.last.map(String.init) == overlay)
        #expect(lines.allSatisfy { $0.split(separator: " ").count == 6 })
    }

    @Test("a directory with a comma, colon, backslash or blank is refused rather than written into the options")
    func refusesSplittingPaths() {
        for bad in ["/var/lib/a,b", "/var/lib/a:b", "/var/lib/a\\b", "/var/lib/a b", "/var/lib/a\tb"] {
            #expect(HolderScripts.mountTable(iproute2Upper: bad, work: "/var/lib/w") == nil, "\(bad)")
            #expect(HolderScripts.mountTable(iproute2Upper: "/var/lib/u", work: bad) == nil, "\(bad)")
        }
    }
}
