import ArgumentParser
import Orchestrator
import PlanModel

struct PreflightCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "preflight",
        abstract: "Check that every node is ready for plans, and report every problem of every node at once.",
        discussion: """
            Every node reachable with its host key as known; the programs plans need (ip, iptables, ping, sysctl, \
            bash, tee, sed); root or sudo working; the topology's interfaces with their MACs; a writable \
            /etc/iproute2/rt_tables; with a plan, the kernel features it uses (network namespaces, macvlan). A lab \
            must be up. Exit 0 when all is ready, 2 for problems on the nodes, 3 when a node cannot be reached.
            """)

    @OptionGroup var global: GlobalOptions
    @OptionGroup var topologyOption: TopologyOption
    @Argument(help: "A plan whose kernel features to check too.")
    var plan: String?

    func run() async throws {
        let logger = global.bootstrap()
        SignalSetup.ignoreSIGPIPE()
        do {
            let topology = try TopologyLoader.load(path: topologyOption.topology)
            let loaded = try plan.map { try PlanLoader.load(path: $0, topology: topology) }
            let targets = try NodeTargets.resolve(topology, bringUp: false, logger: logger)
            for notice in targets.notices { Terminal.standardError.write("note: \(notice)\n") }
            let fleet = try await Preflight.connect(targets.targets, topology: topology, plan: loaded, logger: logger)
            await fleet.close()
            Terminal.standardOutput.write("preflight: \(targets.targets.count) nodes ready\n")
        } catch {
            throw ErrorReporting.report(error)
        }
    }
}
