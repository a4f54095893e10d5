import ArgumentParser
import Foundation
import NodeAgentProtocol
import Orchestrator
import PlanModel

struct LabCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "lab",
        abstract: "Build, inspect and remove the local lab: one namespace node per topology node, reachable by SSH.",
        subcommands: [LabUpCommand.self, LabDownCommand.self, LabStatusCommand.self])
}

struct LabUpCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(commandName: "up", abstract: "Bring a topology's lab up.")

    @OptionGroup var global: GlobalOptions
    @OptionGroup var topologyOption: TopologyOption

    func run() async throws {
        let logger = global.bootstrap()
        do {
            let topology = try TopologyLoader.load(path: topologyOption.topology)
            let summary = try LabBuilder(topology: topology, logger: logger).up()
            Terminal.standardOutput.write(LabReport.up(summary, topologyPath: topologyOption.topology))
        } catch {
            throw ErrorReporting.report(error)
        }
    }
}

struct LabDownCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "down",
        abstract: "Remove a lab and everything it created, even after a crash.",
        discussion: "Name the lab with -t FILE, or with --name when the topology file is gone; --all removes every lab."
    )

    @OptionGroup var global: GlobalOptions
    @Option(name: [.customShort("t"), .customLong("topo")], help: "The topology file of the lab.")
    var topology: String?
    @Option(name: .long, help: "The lab name (the topology's 'name').")
    var name: String?
    @Flag(name: .long, help: "Remove every lab on this machine.")
    var all = false

    func validate() throws {
        let given = [topology != nil, name != nil, all].filter { $0 }.count
        guard given == 1 else { throw ValidationError("give exactly one of -t FILE, --name NAME or --all") }
    }

    func run() throws {
        let logger = global.bootstrap()
        do {
            if all {
                // Paused nodes are resumed and the fault records dropped: the switch's faults go with the lab.
                for name in Lab.names() { _ = FaultInjector.forgetLab(topology: name, stateRoot: LabPaths.defaultRoot) }
                let names = try Lab.downAll(logger: logger)
                Terminal.standardOutput.write(
                    names.isEmpty ? "no lab was up\n" : "removed: \(names.joined(separator: ", "))\n")
                return
            }
            let labName = try name ?? TopologyLoader.load(path: topology ?? "").name
            guard Names.isValidLabName(labName) else {
                throw ValidationError("'\(labName)' is not a lab name")
            }
            _ = FaultInjector.forgetLab(topology: labName, stateRoot: LabPaths.defaultRoot)
            let outcome = try LabTeardown(paths: LabPaths(name: labName), logger: logger).down()
            Terminal.standardOutput.write(
                outcome.wasUp
                    ? "lab '\(labName)' is down (\(outcome.processesKilled) processes ended, \(outcome.objectsRemoved) files removed)\n"
                    : "lab '\(labName)' is not up; nothing to remove\n")
        } catch {
            throw ErrorReporting.report(error)
        }
    }
}

struct LabStatusCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "status",
        abstract: "Show the labs on this machine, and what each node's agent reports (kernel, iproute2, iptables).")

    @OptionGroup var global: GlobalOptions
    @Option(name: [.customShort("t"), .customLong("topo")], help: "Only the lab of this topology.")
    var topology: String?
    @Flag(name: .long, help: "Print JSON.")
    var json = false
    @Flag(name: .long, help: "Do not connect to the nodes (no agent hello).")
    var noProbe = false

    /// One lab with the agent hellos of its nodes.
    struct Report: Codable {
        var lab: LabStatus
        var agents: [NodeName: NodeResponse.HelloInfo]
        var unreachable: [NodeName: String]
    }

    func run() async throws {
        let logger = global.bootstrap()
        SignalSetup.ignoreSIGPIPE()
        do {
            let labName = try topology.map { try TopologyLoader.load(path: $0).name }
            var reports: [Report] = []
            for status in Lab.status(name: labName) {
                var report = Report(lab: status, agents: [:], unreachable: [:])
                if !noProbe, status.state == .up, let summary = Lab.running(name: status.name) {
                    (report.agents, report.unreachable) = try await NodeSession.hellos(of: summary, logger: logger)
                }
                reports.append(report)
            }
            if json {
                let encoder = JSONEncoder()
                encoder.outputFormatting = [.prettyPrinted, .sortedKeys, .withoutEscapingSlashes]
                encoder.dateEncodingStrategy = .iso8601
                let data = try encoder.encode(reports)
                Terminal.standardOutput.write(String(decoding: data, as: UTF8.self) + "\n")
            } else {
                Terminal.standardOutput.write(LabReport.status(reports, requested: labName))
            }
        } catch {
            throw ErrorReporting.report(error)
        }
    }
}
