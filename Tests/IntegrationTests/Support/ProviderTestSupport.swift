import Foundation
import Orchestrator
import Testing

#if canImport(Glibc)
    import Glibc
#endif

/// Helpers for the LXD and QEMU provider tests: a traversable private home, the CLI with extra environment, a
/// lab's exec, and the check that the machine is as before.
enum ProviderTestSupport {
    static let hasLXD = LabTestSupport.canRunLabs && ["lxd", "lxc"].allSatisfy { ProcessEnvironment.which($0) != nil }
    static let hasQEMU =
        LabTestSupport.canRunLabs
        && ["qemu-system-x86_64", "qemu-img"].allSatisfy { ProcessEnvironment.which($0) != nil }
    static let lxdSkip: Comment = "needs root and LXD (Scripts/install-deps --cluster, as Scripts/test does)"
    static let qemuSkip: Comment = "needs root and QEMU (Scripts/install-deps --cluster, as Scripts/test does)"

    /// A private TESTBED_HOME that an unprivileged container's mapped root can walk through.
    static func home() -> LabTestHome {
        let home = LabTestHome()
        chmod(home.path, 0o711)
        return home
    }

    /// The CLI with `TESTBED_HOME` and extra `KEY=value` entries; provider labs take longer than the default.
    static func testbed(
        _ arguments: [String], home: String, environment extra: [String] = [], timeout: Duration = .seconds(900)
    ) throws -> ProcessOutput {
        let keys = Set((["TESTBED_HOME=x"] + extra).map { String($0.prefix { $0 != "=" }) })
        let environment =
            ProcessEnvironment.current.filter { !keys.contains(String($0.prefix { $0 != "=" })) }
            + ["TESTBED_HOME=\(home)"] + extra
        return try ProcessRunner.run(LabTestSupport.binary, arguments, timeout: timeout, environment: environment)
    }

    /// `testbed exec` of a shell script on a node of a running lab, which must succeed.
    @discardableResult
    static func exec(_ topology: String, _ node: String, _ script: String, home: String) throws -> String {
        let output = try testbed(["exec", "-t", topology, node, "--", script], home: home, timeout: .seconds(60))
        #expect(output.status == .exited(0), "exec on \(node): \(script)\n\(output.stderrText)")
        return output.stdoutText
    }

    /// The lab's summary as `lab status --json --no-probe` prints it.
    static func status(home: String) throws -> [[String: Any]] {
        let output = try testbed(["lab", "status", "--json", "--no-probe"], home: home, timeout: .seconds(60))
        let object = try JSONSerialization.jsonObject(with: Data(output.stdout))
        return ((object as? [[String: Any]]) ?? []).compactMap { $0["lab"] as? [String: Any] }
    }

    /// The summary `lab up` wrote for lab `name`.
    static func summary(_ name: String, home: String) throws -> LabSummary {
        let data = try Data(contentsOf: URL(fileURLWithPath: LabPaths(name: name, root: home).summary))
        let decoder = JSONDecoder()
        decoder.dateDecodingStrategy = .iso8601
        return try decoder.decode(LabSummary.self, from: data)
    }

    /// LXD's container cgroups left in the host's hierarchies by `lab` (named `lxc.payload.tb-<lab>-…`): the
    /// v2 root, or on a hybrid host every controller's hierarchy.
    static func cgroups(lab: String) -> [String] {
        let base = "/sys/fs/cgroup"
        let hierarchies = [""] + ((try? FileManager.default.contentsOfDirectory(atPath: base)) ?? []).map { "/" + $0 }
        return hierarchies.flatMap { hierarchy in
            ((try? FileManager.default.contentsOfDirectory(atPath: base + hierarchy)) ?? []).filter {
                $0.hasPrefix("lxc.") && $0.contains("tb-\(lab)-")
            }.map { String(hierarchy.dropFirst()) + "/" + $0 }
        }
    }
}

/// Every cgroup directory LXD's liblxc makes in the host's hierarchies — `lxc.pivot`, `lxc.payload.NAME` and
/// `lxc.monitor.NAME`, at the v2 root or in each controller's hierarchy of a hybrid host — to compare before and
/// after a daemon's life.
enum CgroupListing {
    static func capture() -> Set<String> {
        let base = "/sys/fs/cgroup"
        let hierarchies = [""] + ((try? FileManager.default.contentsOfDirectory(atPath: base)) ?? []).map { "/" + $0 }
        return Set(
            hierarchies.flatMap { hierarchy in
                ((try? FileManager.default.contentsOfDirectory(atPath: base + hierarchy)) ?? []).filter {
                    $0.hasPrefix("lxc.")
                }.map { hierarchy + "/" + $0 }
            })
    }
}
