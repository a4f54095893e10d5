import Testing

@testable import Orchestrator

@Suite struct LXDInotifyRoomTests {
    @Test("containers that fit in root's inotify instances pass; one more node is refused with the sysctl to raise")
    func room() {
        #expect(LXDLabBuilder.inotifyProblem(nodes: 8, limit: 128) == nil)
        let refused = LXDLabBuilder.inotifyProblem(nodes: 50, limit: 128)
        #expect(
            refused?.message
                == "50 LXD containers need about 632 inotify instances, and fs.inotify.max_user_instances is 128")
        #expect(refused?.hint == "raise it for the lab, e.g. sysctl -w fs.inotify.max_user_instances=1024")
        #expect(LXDLabBuilder.inotifyProblem(nodes: 9, limit: 128)?.message.hasPrefix("9 LXD containers") == true)
        #expect(LXDLabBuilder.inotifyProblem(nodes: 100, limit: 1024)?.hint.hasSuffix("=1232") == true)
    }
}
