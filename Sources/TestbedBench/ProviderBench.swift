import Foundation
public import Logging
public import Orchestrator
public import PlanModel

/// Figures of the LXD and QEMU providers: lab up/down at several sizes and member counts, the image build (cached
/// now, and cold as recorded when it was built), and the demo on LXD nodes against the namespace lab.
public enum ProviderBench {
    public struct ImageTiming: Sendable {
        public var kind: String
        /// `Scripts/build-image KIND` now (the cache answers).
        public var cachedSeconds: Double
        /// `BUILD_SECONDS` of the image's image.env: the cold build, as measured when it was made.
        public var coldSeconds: Double?
        public var directory: String
    }

    /// Times finding (or building) the image, and reads the cold figure the build recorded.
    /// - Throws: `LabError` when no image can be had.
    public static func image(_ kind: LabProvider.Kind) throws(LabError) -> ImageTiming {
        let start = ContinuousClock.now
        let directory = try ProviderImage.locate(kind, given: nil)
        let seconds = start.secondsSince
        let env = (try? String(contentsOfFile: directory + "/image.env", encoding: .utf8)) ?? ""
        let cold = env.split(separator: "\n").first { $0.hasPrefix("BUILD_SECONDS=") }
            .flatMap { Double($0.dropFirst("BUILD_SECONDS=".count)) }
        return ImageTiming(kind: kind.rawValue, cachedSeconds: seconds, coldSeconds: cold, directory: directory)
    }

    /// Lab up and down of generated segment topologies of the given sizes on the provider.
    /// - Throws: `LabError`, or an error writing the topology.
    public static func labs(
        sizes: [(nodes: Int, provider: String)], root: String, directory: String, logger: Logger
    ) throws -> [LabBench.Timing] {
        var timings: [LabBench.Timing] = []
        for (index, size) in sizes.enumerated() {
            let topology = try BenchTopology.segment(
                name: "bench-p\(index)-\(size.nodes)", count: size.nodes, directory: directory, provider: size.provider)
            var timing = try LabBench.measure(topology: topology, root: root, repeats: 1, logger: logger)
            timing.lab = "\(size.provider)"
            timings.append(timing)
        }
        return timings
    }

    /// The demo on a lab of `topology` that is already up fresh: the run's own time, as `testbed run` reports it.
    public static func demo(plan: Plan, topology: Topology, root: String, logger: Logger) async throws -> RunReport {
        try await PlanBench.runFresh(plan: plan, topology: topology, choice: .auto, root: root, logger: logger)
    }
}

extension ProviderBench {
    /// `kvm` or `tcg`, as the QEMU provider would choose.
    public static func accelerator() -> String {
        let hardware = ["/sys/module/kvm_intel", "/sys/module/kvm_amd"].contains {
            FileManager.default.fileExists(atPath: $0)
        }
        if let forced = ProcessEnvironment.value("TESTBED_QEMU_ACCEL") { return forced }
        return hardware && FileManager.default.isWritableFile(atPath: "/dev/kvm") ? "kvm" : "tcg"
    }
}
