import Foundation
import PlanModel

@testable import Orchestrator

/// A small run written through the real journal reporter and read back: three nodes, an arc, a namespace,
/// a reach check, a failed block and a skipped one — with state changes from the state model.
struct RunReportFixture {
    let directory: String
    let topology: Topology
    let plan: Plan
    let schedule: Schedule
    var explanation: String?

    static let topologyText = """
        name: small
        defaults: {assign_addresses: false}
        nodes:
          a: {alias: 𝛼, interfaces: {eth1: {mac: "00:16:3E:00:00:0A", addresses: [169.254.1.1]}}}
          b: {interfaces: {eth1: {mac: "00:16:3E:00:00:0B", addresses: [169.254.1.2]}}}
          c: {interfaces: {eth1: {}}}
        links:
          - {name: lan, endpoints: ["a:eth1", "b:eth1", "c:eth1"]}
        """

    static let planText = """
        title: a small run & its <report>
        steps:
          - {id: start-a, node: a, run: ip address add 169.254.1.1 dev eth1}
          - {id: start-b, node: b, run: ip address add 169.254.1.2 dev eth1}
          - id: arc
            op: arc
            blocks:
              - {node: a, run: ip route add 169.254.1.2 dev eth1 src 169.254.1.1}
              - {node: b, run: ip route add 169.254.1.1 dev eth1 src 169.254.1.2}
          - id: hear
            reach: {from: a, to: [169.254.1.2]}
          - id: identity
            node: b
            run: |
              ip netns add n1
              ip netns exec n1 ip link set dev lo up
          - {id: inside, node: b, netns: n1, run: ip link show lo}
          - id: broken
            node: c
            run: |
              echo starting
              ip route change 10.0.0.0/24 via 10.9.9.9 dev eth1
              echo never
          - {id: after, node: a, run: "true"}
        """

    init(explanation: String? = nil) throws {
        directory = NSTemporaryDirectory() + "report-\(UUID().uuidString)"
        try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
        let topologyPath = directory + "/small.yaml"
        try Self.topologyText.write(toFile: topologyPath, atomically: true, encoding: .utf8)
        topology = try TopologyLoader.parse(text: Self.topologyText, path: topologyPath)
        plan = try PlanLoader.parse(text: Self.planText, path: directory + "/plan.yaml", topology: topology)
        schedule = try Schedule.make(for: plan, mode: .parallel)
        self.explanation = explanation
    }

    var journalPath: String { directory + "/journal.jsonl" }

    /// Writes the journal as a run would (the engine's events through `JSONLinesReporter`) and reads it back.
    func journal(longOutput: Bool = false) throws -> RunJournal {
        let reporter = try JSONLinesReporter(journalPath: journalPath)
        var states = Dictionary(
            uniqueKeysWithValues: topology.nodes.values.map { ($0.name, NodeState.freshLabNode($0)) })
        reporter.describe(
            .init(
                topology: topology, initialStates: topology.nodes.keys.compactMap { states[$0] },
                captures: [
                    PacketCaptureFile(
                        segment: "lan", bridge: "seg0", file: "pcap/seg0-lan.pcap", log: "pcap/seg0-lan.log")
                ]))
        reporter.handle(.started(plan: plan, schedule: schedule, nodes: Array(topology.nodes.keys)))
        var results: [UnitResult] = []
        for (index, stage) in schedule.stages.enumerated() {
            var finished: [Int: [UnitResult]] = [:]
            for unit in stage.units {
                if plan.steps[unit.stepIndex].id != "after" { reporter.handle(.unitStarted(unit)) }
                let result = self.result(unit, stage: index, states: &states, longOutput: longOutput)
                // As the engine does: a skipped unit has no unit_finished record, only its place in the report.
                if result.status != .skipped { reporter.handle(.unitFinished(result)) }
                finished[unit.stepIndex, default: []].append(result)
                results.append(result)
            }
            for (step, stepResults) in finished.sorted(by: { $0.key < $1.key }) {
                reporter.handle(.stepFinished(stepIndex: step, results: stepResults))
            }
        }
        reporter.handle(.stopping(reason: "c failed in step broken"))
        let report = RunReport(
            planTitle: plan.title, planPath: plan.sourcePath, topologyName: topology.name, schedule: .parallel,
            startedAt: Date(), seconds: 0.5, setupSeconds: 0.1, results: results, interrupted: false,
            journalPath: journalPath)
        reporter.handle(.finished(report))
        return try RunJournal.read(path: journalPath)
    }

    /// How each unit ended: blocks through the state model; `broken` fails at its second command; `after` skipped.
    private func result(_ unit: Schedule.Unit, stage: Int, states: inout [NodeName: NodeState], longOutput: Bool)
        -> UnitResult
    {
        let step = plan.steps[unit.stepIndex]
        switch step.action {
        case .reach:
            return UnitResult(
                unit: unit, stepID: step.id, kind: .reach, status: .passed, seconds: 0.01,
                pings: [PingOutcome(address: "169.254.1.2", reachable: true, averageMilliseconds: 0.05)])
        case .expect:
            return UnitResult(unit: unit, stepID: step.id, kind: .expect, status: .passed)
        case .service, .conform, .wait, .fault:
            return UnitResult(unit: unit, stepID: step.id, kind: .block, status: .passed)
        case .blocks(let blocks):
            let block = blocks[unit.blockIndex ?? 0]
            if step.id == "after" { return UnitResult(unit: unit, stepID: step.id, kind: .block, status: .skipped) }
            guard var state = states[unit.node] else {
                return UnitResult(unit: unit, stepID: step.id, kind: .block, status: .failed)
            }
            let before = state
            if step.id == "broken" {
                var result = UnitResult(
                    unit: unit, stepID: step.id, kind: .block, status: .failed, seconds: 0.02, exitStatus: 2,
                    failingCommand: block.commands[1], message: "`\(block.commands[1].text)` exited with status 2",
                    stdout: Array("starting\n".utf8), stderr: Array("Error: Nexthop has invalid gateway.\n".utf8))
                result.explanation = explanation
                result.stateChanges = []
                return result
            }
            for command in block.commands {
                _ = StateModel.run(command.text, namespace: block.netns?.rawValue, on: &state)
            }
            states[unit.node] = state
            let stdout =
                longOutput && step.id == "inside" ? String(repeating: "x", count: UnitResult.tailLimit + 10) : ""
            var result = UnitResult(
                unit: unit, stepID: step.id, kind: .block, status: .passed, seconds: 0.003 * Double(stage + 1),
                remoteSeconds: 0.002, exitStatus: 0, stdout: Array(stdout.utf8))
            result.stateChanges = StateChange.between(before, state)
            if !stdout.isEmpty {
                let name = OutputFiles.name(of: unit, stream: "stdout")
                try? FileManager.default.createDirectory(
                    atPath: directory + "/output", withIntermediateDirectories: true)
                FileManager.default.createFile(atPath: directory + "/" + name, contents: Data(stdout.utf8))
                result.stdoutFile = name
            }
            return result
        }
    }
}
