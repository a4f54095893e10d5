public import PlanModel
import Synchronization

/// Which plan line put each route, policy rule, iptables rule and sysctl value into a node's state during a
/// run, so an explanation can say where the route that dropped a packet came from.
///
/// Each block is replayed through the state model command by command from the state it started on; whatever a
/// command adds or changes is credited to its line (a later command that writes the same thing again wins).
public final class StateProvenance: Sendable {
    struct Key: Hashable {
        var node: NodeName
        var namespace: String
        var subject: PathTracer.Subject
    }

    private let lines = Mutex<[Key: InputLocation]>([:])

    public init() {}

    /// Credits what each command of `block` changes, starting from `state` (the node before the block).
    public func record(_ block: NodeBlock, from state: NodeState) {
        var current = state
        var found: [Key: InputLocation] = [:]
        let namespace = block.netns?.rawValue
        for command in block.commands {
            let before = current.namespace(namespace)
            _ = StateModel.run(command.text, namespace: namespace, on: &current)
            guard let after = current.namespace(namespace) else { continue }
            for subject in Self.added(from: before, to: after) {
                found[Key(node: block.node, namespace: namespace ?? "", subject: subject)] = command.location
            }
        }
        lines.withLock { $0.merge(found) { $1 } }
    }

    /// The plan line that put `subject` there, if a block of this run did.
    public func location(_ node: NodeName, _ netns: NamespaceName?, _ subject: PathTracer.Subject) -> InputLocation? {
        let key = Key(node: node, namespace: netns?.rawValue ?? "", subject: Self.normalised(subject))
        return lines.withLock { $0[key] }
    }

    /// As a tracer's provenance.
    public var provenance: PathTracer.Provenance {
        { [self] node, netns, subject in location(node, netns, subject) }
    }

    /// Routes are credited by table, kind and destination, so a route the node reported with another
    /// protocol or scope than predicted is still found.
    static func normalised(_ subject: PathTracer.Subject) -> PathTracer.Subject {
        guard case .route(let route) = subject else { return subject }
        return .route(Route(table: route.table, kind: route.kind, destination: route.destination))
    }

    static func added(from before: NamespaceState?, to after: NamespaceState) -> [PathTracer.Subject] {
        var subjects: [PathTracer.Subject] = []
        let oldRoutes = Set(before?.routes ?? [])
        subjects += after.routes.filter { !oldRoutes.contains($0) }.map { normalised(.route($0)) }
        let oldRules = Set(before?.rules ?? [])
        subjects += after.rules.filter { !oldRules.contains($0) }.map { .rule($0) }
        for (table, chains) in after.iptables.tables {
            for (chain, rules) in chains {
                let old = Set(before?.iptables.rules(table: table, chain: chain) ?? [])
                subjects += rules.filter { !old.contains($0) }.map { .iptables(table: table, chain: chain, rule: $0) }
            }
        }
        for (name, value) in after.sysctls where before?.sysctls[name] != value { subjects.append(.sysctl(name)) }
        return subjects
    }
}
