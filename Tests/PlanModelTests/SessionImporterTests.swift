import Foundation
import Testing

@testable import PlanModel

/// Session files mapped to plan steps: services, blocks, groups started together, waits or retries, checks.
@Suite struct SessionImporterTests {
    func load(_ path: String, topology: Topology = ImportTestSupport.netsukuku, sleepAsRetry: Bool = false) throws
        -> ImportResult
    {
        try PlanSource.parse(
            text: ImportTestSupport.text(path), path: path, topology: topology,
            session: .init(sleepAsRetry: sleepAsRetry))
    }

    static func retry(_ policy: RetryPolicy?) -> String { policy.map { " retry \($0.timeoutMilliseconds)ms" } ?? "" }

    /// One line per step: what it is, where it came from, and the part that matters.
    func outline(_ plan: Plan) -> [String] {
        plan.steps.map { step in
            let notes = step.notes.isEmpty ? "" : " {" + step.notes.map(\.text).joined(separator: "; ") + "}"
            let line = "\(step.location.line)"
            switch step.action {
            case .service(let service):
                guard case .start(let command, _, let ready) = service.action else { return "service?" }
                return "\(line) service \(service.name)@\(service.node) ready=\(ready != nil): \(command)\(notes)"
            case .blocks(let blocks):
                let body = blocks.map { "\($0.node)[\($0.lines.map(\.text).joined(separator: " | "))]" }
                return "\(line) \(step.startsTogether ? "together" : "block") "
                    + body.joined(separator: " + ") + notes
            case .wait(let milliseconds): return "\(line) wait \(milliseconds)ms\(notes)"
            case .reach(let check):
                return "\(line) reach \(check.node)→\(check.targets.map(\.description).joined(separator: ","))"
                    + Self.retry(check.retry) + notes
            case .expect(let check):
                return "\(line) expect \(check.node): \(check.block.script)\(Self.retry(check.retry))\(notes)"
            case .conform: return "conform?"
            case .fault: return "fault?"
            }
        }
    }

    @Test("a session reads as services, a group started together, waits, blocks, a reach check and output checks")
    func zeroStepEntry() throws {
        let result = try load(ImportTestSupport.fixture("sessions/zero-step-entry.txt"))
        let q = "QSPNCLIENT_FIFODIR=/root/q qspnclient"
        #expect(result.plan.sourceKind == .session)
        #expect(result.plan.title == "Ingresso di beta nella rete di gamma (percorso di migrazione vuoto)")
        #expect(result.plan.notes.map(\.text) == ["Ogni sistema ha la sua directory per le FIFO."])
        #expect(
            outline(result.plan) == [
                "5 service qspnclient@gamma ready=false: \(q) -i eth1 -k init 4.2.2.2 2.1.1.0",
                "8 service qspnclient@beta ready=false: \(q) -i eth1 -k init 4.2.2.2 1.0.1.0",
                "12 together beta[\(q) add_real_arc 00:16:3E:EC:A3:E1 00:16:3E:5B:78:D5 1000]"
                    + " + gamma[\(q) add_real_arc 00:16:3E:5B:78:D5 00:16:3E:EC:A3:E1 1000] {the arc, on both ends}",
                "15 wait 2000ms",
                "16 block beta[export QSPNCLIENT_FIFODIR=/root/q | qspnclient prepare_enter_net_phase_1 0 0 1 2.1.1"
                    + " 0.0.0 2 1 1 2 2 1 [0] 4379845 null | qspnclient enter_net_phase_1 0 4379845]",
                "21 block gamma[\(q) add_qspn_arc 0 eth1 00:16:3E:EC:A3:E1]",
                "22 wait 1000ms",
                "24 reach beta→10.0.0.22 {beta is 2.1.1.1 now}",
                "25 expect beta: \(q) show_local_identities",
                "26 expect gamma: \(q) show_qspn_data 0",
            ])
        #expect(
            result.plan.steps.map(\.id).prefix(3) == [
                "terminale-1-qspnclient-on-gamma", "terminale-2-qspnclient-on-beta",
                "together-beta-qspnclient-add-real-arc-00-16-3e",
            ])
        #expect(result.report.text.hasPrefix("imported session "))
    }

    @Test("--sleep-as-retry: a sleep before checks becomes their retry timeout; before a block it stays a wait")
    func sleepAsRetry() throws {
        let result = try load(ImportTestSupport.fixture("sessions/zero-step-entry.txt"), sleepAsRetry: true)
        let lines = outline(result.plan)
        #expect(lines.contains("15 wait 2000ms {stays a wait: no check follows it}"))
        #expect(!lines.contains("22 wait 1000ms"))
        #expect(
            lines.contains(
                "24 reach beta→10.0.0.22 retry 1000ms {beta is 2.1.1.1 now; sleep 1 (line 22) is this check's retry timeout}"
            ))
        // The checks after the reach check come under the same sleep, up to the next step that is not a check.
        #expect(
            lines.last?.hasSuffix("show_qspn_data 0 retry 1000ms {sleep 1 (line 22) is this check's retry timeout}")
                == true)
    }

    @Test("the OSPF session: five BIRD services; the author's 30 s becomes the retry of the pings after it")
    func ospfSession() throws {
        let topology = try TopologyLoader.load(
            path: ImportTestSupport.repositoryRoot().path + "/topologies/ospf/topology.yaml")
        let path = ImportTestSupport.repositoryRoot().path + "/topologies/ospf/ospf-session.txt"
        let fixed = try load(path, topology: topology)
        let retried = try load(path, topology: topology, sleepAsRetry: true)
        let services = fixed.plan.steps.compactMap { step -> String? in
            if case .service(let service) = step.action { "\(service.name)@\(service.node)" } else { nil }
        }
        #expect(services == ["bird@r1", "bird@r2", "bird@r3", "bird@r4", "bird@r5"])
        let waits = { (plan: Plan) in plan.steps.compactMap(\.waitSeconds) }
        #expect(waits(fixed.plan) == [30, 10, 15])
        #expect(waits(retried.plan).isEmpty)
        let timeouts = retried.plan.steps.compactMap { step -> Int? in
            if case .reach(let check) = step.action { check.retry?.timeoutMilliseconds } else { nil }
        }
        #expect(timeouts == Array(repeating: 30000, count: 20) + [10000, 10000, 15000])
    }

    @Test("two blocks of one node started together are refused at the second")
    func sameNodeTogether() {
        let text = """
            Terminale 1:
            ssh beta true &
            ssh beta false &
            wait
            """
        #expect {
            try PlanSource.parse(text: text, path: "s.txt", topology: ImportTestSupport.netsukuku)
        } throws: { error in
            guard let errors = (error as? InputErrors)?.errors else { return false }
            return errors.map(\.message) == ["two blocks of beta are started together"] && errors[0].location.line == 3
        }
    }

    @Test("a session file is told by its shape; a page saved as .txt stays a page")
    func format() throws {
        let session = ImportTestSupport.text(ImportTestSupport.fixture("sessions/zero-step-entry.txt"))
        #expect(PlanSource.format(path: "x.txt", text: session) == .session)
        #expect(PlanSource.format(path: "x", text: session) == .session)
        #expect(PlanSource.format(path: "x.txt", text: "# Title\n\n**sistema 𝛽**\n```\nip link\n```\n") == .page)
        #expect(PlanSource.format(path: "x.txt", text: "Terminale 1:\nwithout any ssh line\n") == .page)
    }

    @Test("a service is named after the program it starts")
    func serviceNames() {
        #expect(
            SessionPlanBuilder.program(of: "QSPNCLIENT_FIFODIR=/q /opt/bin/qspnclient -i eth1 init") == "qspnclient")
        #expect(SessionPlanBuilder.program(of: "mkdir -p /run/b && exec bird -f -c /x/r1.conf") == "bird")
        #expect(SessionPlanBuilder.program(of: "sleep 600") == "sleep")
        #expect(SessionPlanBuilder.program(of: "Q=/q ${QSPNCLIENT} -i eth1 init") == "qspnclient")
    }

    @Test("the YAML plan of a session declares its ${NAME}s, so run asks for them; a script's ${x} stays bash's")
    func parametersDeclared() throws {
        let path = ImportTestSupport.fixture("sessions/lab-entry.txt")
        let plan = try load(path).plan
        let yaml = PlanYAMLWriter.write(plan, topology: ImportTestSupport.netsukuku)
        #expect(yaml.contains("\nparameters:\n  QSPNCLIENT:\n"))
        let declared = try PlanParameters.declarations(text: yaml, path: "entry.yaml")
        #expect(declared.map(\.name) == ["QSPNCLIENT"])
        #expect(declared.first?.environment == "QSPNCLIENT")
        var script = plan
        script.sourceKind = .script
        #expect(!PlanYAMLWriter.write(script, topology: ImportTestSupport.netsukuku).contains("parameters:"))
    }
}
