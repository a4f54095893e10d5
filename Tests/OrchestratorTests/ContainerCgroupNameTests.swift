import Testing

@testable import Orchestrator

/// Which cgroup directories of a hierarchy belong to a lab's container: liblxc's names, with its `-N` suffix
/// when the plain name was taken at start, and nothing of another container whose name starts alike.
@Suite struct ContainerCgroupNameTests {
    @Test("lxc.payload/lxc.monitor of the container, with or without -N; not a longer name, not lxc.pivot")
    func names() {
        for entry in ["lxc.payload.tb-l-a", "lxc.monitor.tb-l-a", "lxc.payload.tb-l-a-2", "lxc.monitor.tb-l-a-13"] {
            #expect(LabTeardown.isContainerCgroup(entry, of: "tb-l-a"), "\(entry)")
        }
        for entry in ["lxc.payload.tb-l-ab", "lxc.payload.tb-l-a-b", "lxc.payload.tb-l-a-", "lxc.pivot", "tb-l-a"] {
            #expect(!LabTeardown.isContainerCgroup(entry, of: "tb-l-a"), "\(entry)")
        }
    }
}
