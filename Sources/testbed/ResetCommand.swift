import ArgumentParser
import Orchestrator
import PlanModel

struct ResetCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "reset",
        abstract: "Put every node back to the state observed at the first connect of the topology's last run.",
        discussion: """
            The last run kept each node's state (initial-state.json beside its journal). Services the run started \
            are stopped; namespaces, links, addresses, routes of every table, rules, iptables rules, sysctls and \
            rt_tables lines the run added are removed and the ones it changed restored; then each node is \
            compared with the kept state. Exit 0 with zero differences, 1 when something could not be restored.
            """)

    @OptionGroup var global: GlobalOptions
    @OptionGroup var topologyOption: TopologyOption

    func run() async throws {
        let logger = global.bootstrap()
        SignalSetup.ignoreSIGPIPE()
        let report: ResetSession.Report
        do {
            let topology = try TopologyLoader.load(path: topologyOption.topology)
            report = try await ResetSession.reset(topology, logger: logger)
        } catch {
            throw ErrorReporting.report(error)
        }
        var text = "reset to the first state of \(report.runDirectory)\n"
        for node in report.nodes {
            text += "  \(node.node): \(node.commands) commands, "
            text += node.isRestored ? "zero differences\n" : "\(node.differences.count) differences left\n"
            for difference in node.differences { text += "    \(difference)\n" }
            for failure in node.failures { text += "    \(failure)\n" }
            for problem in node.impossible { text += "    cannot restore: \(problem)\n" }
        }
        Terminal.standardOutput.write(text)
        if !report.isRestored { throw ExitCode(1) }
    }
}
