import Testing

@testable import PlanModel

@Suite struct SessionScriptTests {
    static let fixtureDirectory = "sessions"

    func parse(_ text: String, path: String = "s.txt") throws(InputErrors) -> SessionScript {
        try SessionScriptParser.parse(text: text, path: path, topology: ImportTestSupport.netsukuku)
    }

    func load(_ name: String) -> (path: String, text: String) {
        let path = ImportTestSupport.fixture("\(Self.fixtureDirectory)/\(name)")
        return (path, ImportTestSupport.text(path))
    }

    /// A compact picture of the items, one line each, so a test shows the whole reading at a glance.
    func outline(_ items: [SessionItem]) -> [String] {
        func block(_ block: SessionBlock) -> String {
            let form = block.form == .heredoc ? "heredoc" : "ssh"
            let body = block.lines.map { "\($0.location.line):\($0.text)" }.joined(separator: " | ")
            return "\(form) \(block.node)@\(block.location.line):\(block.location.column) [\(body)]"
        }
        return items.map { item in
            switch item {
            case .service(let service):
                return "service T\(service.terminal) \(service.node)@\(service.location.line) \(service.program): "
                    + service.command
            case .block(let value): return "block " + block(value)
            case .together(let blocks, let awaited, let location):
                return "together@\(location.line) awaited=\(awaited): " + blocks.map(block).joined(separator: " + ")
            case .wait(let seconds, let location): return "wait \(seconds)s@\(location.line)"
            case .outputCheck(let value): return "check " + block(value)
            case .note(let note): return "note@\(note.location.line): \(note.text)"
            }
        }
    }

    @Test("the zero-step entry session: two services, a group, waits, a heredoc, a block and two output checks")
    func zeroStepEntry() throws {
        let (path, text) = load("zero-step-entry.txt")
        let script = try parse(text, path: path)
        #expect(
            script.preamble.map(\.text) == [
                "Ingresso di beta nella rete di gamma (percorso di migrazione vuoto)",
                "Ogni sistema ha la sua directory per le FIFO.",
            ])
        let fifo = "QSPNCLIENT_FIFODIR=/root/q qspnclient"
        #expect(
            outline(script.items) == [
                "service T1 gamma@5 qspnclient: \(fifo) -i eth1 -k init 4.2.2.2 2.1.1.0",
                "service T2 beta@8 qspnclient: \(fifo) -i eth1 -k init 4.2.2.2 1.0.1.0",
                "note@11: the arc, on both ends",
                "together@12 awaited=true: ssh beta@12:1 [12:\(fifo) add_real_arc 00:16:3E:EC:A3:E1 00:16:3E:5B:78:D5 1000]"
                    + " + ssh gamma@13:1 [13:\(fifo) add_real_arc 00:16:3E:5B:78:D5 00:16:3E:EC:A3:E1 1000]",
                "wait 2.0s@15",
                "block heredoc beta@16:1 [17:export QSPNCLIENT_FIFODIR=/root/q"
                    + " | 18:qspnclient prepare_enter_net_phase_1 0 0 1 2.1.1 0.0.0 2 1 1 2 2 1 [0] 4379845 null"
                    + " | 19:qspnclient enter_net_phase_1 0 4379845]",
                "block ssh gamma@21:1 [21:\(fifo) add_qspn_arc 0 eth1 00:16:3E:EC:A3:E1]",
                "wait 1.0s@22",
                "note@23: beta is 2.1.1.1 now",
                "block ssh beta@24:1 [24:ping -q -n -c 1 -W 1 10.0.0.22]",
                "check ssh beta@25:1 [25:\(fifo) show_local_identities]",
                "check ssh gamma@26:1 [26:\(fifo) show_qspn_data 0]",
            ])
        #expect(script.services.map(\.node) == ["gamma", "beta"])
        #expect(script.warnings.isEmpty)
        // The one-liner's command line points at the node name, where the remote command begins to matter.
        if case .block(let block) = script.items[6] { #expect(block.lines[0].location.column == 5) }
    }

    @Test("nodes resolve through aliases; user@ and ssh options are skipped; a group closes without wait too")
    func resolution() throws {
        let text = """
            Terminal x:
            ssh -F lab/ssh_config 𝛽 qspnclient init 4.2.2.2 1.0.1.0

            Terminal y:
            ssh -o BatchMode=yes root@gamma qspnclient add_qspn_arc 0 eth1 00:16:3E:EC:A3:E1 &
            ssh -tt delta uptime &
            sleep 0.5s
            """
        let script = try parse(text)
        #expect(
            outline(script.items) == [
                "service Tx beta@2 qspnclient: qspnclient init 4.2.2.2 1.0.1.0",
                "together@5 awaited=false: ssh gamma@5:1 [5:qspnclient add_qspn_arc 0 eth1 00:16:3E:EC:A3:E1]"
                    + " + ssh delta@6:1 [6:uptime]",
                "wait 0.5s@7",
            ])
    }

    @Test("without a topology the ssh targets are kept as written; a stray wait is a warning")
    func noTopology() throws {
        let script = try SessionScriptParser.parse(
            text: "Terminale 9:\nssh host1 a\nwait\nssh host2 b\n", path: "t.txt")
        #expect(outline(script.items) == ["block ssh host1@2:1 [2:a]", "block ssh host2@4:1 [4:b]"])
        #expect(
            script.warnings.map(\.description) == [
                """
                t.txt:3:1: warning: 'wait' with no block started by '&' before it
                    wait
                    ^
                hint: remove it, or end blocks in &
                """
            ])
    }

    @Test("a show_* command in the middle is a block; only the trailing ones are checks")
    func checksOnlyAtTheEnd() throws {
        let text =
            "Terminal 1:\nssh beta qspnclient show_real_arcs\nssh beta qspnclient quit\nssh beta qspnclient show_x\n"
        #expect(
            outline(try parse(text).items) == [
                "block ssh beta@2:1 [2:qspnclient show_real_arcs]",
                "block ssh beta@3:1 [3:qspnclient quit]",
                "check ssh beta@4:1 [4:qspnclient show_x]",
            ])
    }

    @Test("every problem of a broken session at once, sorted and located")
    func problems() {
        let (path, text) = load("broken.txt")
        #expect(throws: InputErrors.self) { try parse(text, path: path) }
        do {
            _ = try parse(text, path: "broken.txt")
        } catch {
            let lines = error.errors.map { "\($0.location.line):\($0.location.column) \($0.code) \($0.message)" }
            #expect(
                lines == [
                    "1:1 syntax a command before the first terminal section",
                    "3:5 unknown-reference ssh target 'zeta' is not a node of the topology",
                    "5:1 missing-key terminal 'B' has no command",
                    "7:1 duplicate terminal 'A' is opened a second time",
                    "9:7 invalid-value sleep needs one number of seconds",
                    "10:43 syntax '||' after the remote command would run on this machine, not on the node",
                    "11:13 invalid-value the heredoc feeds 'python3', not a shell",
                    "14:1 syntax 'ls' is not a session command",
                    "15:1 syntax this line has unbalanced quotes",
                    "16:5 unterminated the heredoc opened here never ends",
                ])
            #expect(
                error.errors[1].description == """
                    broken.txt:3:5: error: ssh target 'zeta' is not a node of the topology
                        ssh zeta qspnclient -i eth1 init 4.2.2.2 1.0.1.0
                            ^
                    hint: nodes: \(SystemNameResolver(topology: ImportTestSupport.netsukuku).candidateList)
                    """)
        }
    }

    @Test("a second service on the same node is refused")
    func duplicateService() {
        let text =
            "Terminale 1:\nssh beta qspnclient init 4.2.2.2 1.0.1.0\nTerminale 2:\nssh 𝛽 qspnclient init 4.2.2.2 1.0.1.1\n"
        #expect(throws: InputErrors.self) { try parse(text) }
        do {
            _ = try parse(text)
        } catch {
            #expect(error.errors.map(\.message) == ["a second service on beta"])
            #expect(error.errors.first?.hint.hasPrefix("line 2 already started one") == true)
        }
    }

    @Test("terminal headings: Italian or English, any label, spaces around the colon tolerated")
    func headings() {
        #expect(SessionScriptParser.terminalLabel("Terminale 1:") == "1")
        #expect(SessionScriptParser.terminalLabel("  terminal  beta :  ") == "beta")
        #expect(SessionScriptParser.terminalLabel("Terminal:") == nil)
        #expect(SessionScriptParser.terminalLabel("Terminale 1") == nil)
        #expect(SessionScriptParser.terminalLabel("Terminals 1:") == nil)
    }
}
