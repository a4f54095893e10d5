import Foundation

/// Other wirings of the same systems kept beside a topology (`topology-eth2.yaml` next to `topology.yaml`),
/// so an error can say which one a page was written for.
public enum TopologyVariants {
    /// The topologies in the directory of `topology`'s file, other than itself, that load without errors.
    public static func siblings(of topology: Topology) -> [Topology] {
        let path = topology.sourcePath
        let slash = path.lastIndex(of: "/")
        let directory = slash.map { String(path[...$0]) } ?? ""
        let own = slash.map { String(path[path.index(after: $0)...]) } ?? path
        let names = (try? FileManager.default.contentsOfDirectory(atPath: directory.isEmpty ? "." : directory)) ?? []
        return names.sorted().compactMap { name in
            guard name.hasSuffix(".yaml") || name.hasSuffix(".yml"), name != own else { return nil }
            let path = directory + name
            guard let text = try? InputFile.text(at: path), text.contains("nodes:"), !text.contains("\nsteps:")
            else { return nil }
            return try? TopologyLoader.parse(text: text, path: path)
        }
    }

    /// The interface check of `InterfaceCheck`, with the variants beside `topology` as alternatives.
    /// - Throws: `InputErrors` when the plan uses a card the topology does not give a node.
    public static func verify(_ plan: Plan, topology: Topology) throws(InputErrors) {
        guard !InterfaceCheck.missing(in: plan, topology: topology).isEmpty else { return }
        let errors = InterfaceCheck.errors(in: plan, topology: topology, alternatives: siblings(of: topology))
        throw InputErrors(errors)
    }
}
