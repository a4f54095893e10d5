public import Logging
public import Orchestrator
public import PlanModel

/// Times `lab up` and `lab down` of a topology.
public enum LabBench {
    public struct Timing: Sendable {
        public var lab: String
        public var nodes: Int
        public var up = Samples()
        public var down = Samples()
    }

    /// Brings the lab up and down `repeats` times in `root` (a lab already there is taken down first).
    /// - Throws: `LabError` when a lab cannot be built.
    public static func measure(topology: Topology, root: String, repeats: Int, logger: Logger) throws(LabError)
        -> Timing
    {
        var timing = Timing(lab: topology.name, nodes: topology.nodes.count)
        let paths = LabPaths(name: topology.name, root: root)
        try LabTeardown(paths: paths, logger: logger).down()
        for _ in 0..<repeats {
            let start = ContinuousClock.now
            _ = try LabBuilder(topology: topology, root: root, logger: logger).up()
            timing.up.add(start.secondsSince)
            let downStart = ContinuousClock.now
            try LabTeardown(paths: paths, logger: logger).down()
            timing.down.add(downStart.secondsSince)
        }
        return timing
    }
}
