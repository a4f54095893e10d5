import Testing

@testable import Orchestrator

@Suite("exec keeps argv") struct ExecScriptTests {
    @Test("several words are each quoted for the shell; one word is a script")
    func quoting() {
        #expect(ExecScript.make(["sh", "-c", "exit 7"]) == "sh -c 'exit 7'")
        #expect(ExecScript.make(["echo", "$(id)"]) == "echo '$(id)'")
        #expect(ExecScript.make(["printf", "%s\\n", "a b"]) == "printf '%s\\n' 'a b'")
        #expect(ExecScript.make(["echo", "it's"]) == "echo 'it'\\''s'")
        #expect(ExecScript.make(["echo", ""]) == "echo ''")
        #expect(ExecScript.make(["ip -br link | grep eth1"]) == "ip -br link | grep eth1")
    }
}
