import Foundation
import Orchestrator
import Testing

/// "The user's own" LXD daemon for the endpoint tests: one `Scripts/lxd-sandbox` member (its own network, mount
/// and PID namespaces, state under a test home), which testbed only ever reaches as a client. Taken down at the
/// end of the test whatever happened.
final class UserLXD {
    let state: String
    static let namespace = "tb-lxdsb-m1"
    var socket: String { state + "/m1/lxd/unix.socket" }
    var serverCertificate: String { state + "/m1/lxd/server.crt" }

    let members: Int

    /// - Parameter members: 1 for one daemon, more for a cluster of that many members on the sandbox's switch.
    init(home: String, members: Int = 1) throws {
        state = home + "/user-lxd"
        self.members = members
        let up = try run(["up", "--members", "\(members)"], timeout: .seconds(300))
        try #require(up.status == .exited(0), "lxd-sandbox up: \(up.stderrText)")
    }

    deinit { down() }

    /// Stops the daemon and removes what `up` recorded (a second call finds nothing recorded).
    func down() {
        _ = try? run(["down"], timeout: .seconds(120))
    }

    private func run(_ arguments: [String], timeout: Duration = .seconds(60)) throws -> ProcessOutput {
        let environment =
            ProcessEnvironment.current.filter { !$0.hasPrefix("TESTBED_LXD_SANDBOX=") }
            + ["TESTBED_LXD_SANDBOX=\(state)"]
        return try ProcessRunner.run(
            LabTestSupport.repository + "/Scripts/lxd-sandbox", arguments, timeout: timeout,
            environment: environment)
    }

    /// `lxc ARG…` against the daemon, inside its namespace; it must succeed.
    @discardableResult
    func lxc(_ arguments: [String]) throws -> String {
        let output = try run(["lxc"] + arguments)
        try #require(output.status == .exited(0), "lxc \(arguments.joined(separator: " ")): \(output.stderrText)")
        return output.stdoutText
    }

    /// A command in the daemon's network namespace (e.g. `openssl`), which must succeed.
    func exec(_ arguments: [String]) throws {
        let output = try run(["exec"] + arguments)
        try #require(output.status == .exited(0), "\(arguments.joined(separator: " ")): \(output.stderrText)")
    }

    /// What each member of a cluster has: every container with its member, every network with its state on each
    /// member, every image, and each member namespace's interfaces (the kernel side of the networks), sorted.
    func clusterInventory() throws -> [String] {
        var result = try lxc(["list", "--format", "csv", "-c", "nL"]).split(separator: "\n").map { "container \($0)" }
        let networks = try lxc(["network", "list", "--format", "csv"]).split(separator: "\n").map {
            String($0.prefix { $0 != "," })
        }
        for member in 1...members {
            for network in networks {
                let state =
                    try lxc(["network", "info", network, "--target", "m\(member)"])
                    .split(separator: "\n").first { $0.contains("State:") } ?? "no state"
                result.append("network \(network) on m\(member): \(state.trimmingCharacters(in: .whitespaces))")
            }
            let links = try run(["exec", "--member", "\(member)", "ip", "-o", "link", "show"]).stdoutText
            result += links.split(separator: "\n").map { "m\(member) link " + $0.split(separator: ":")[1] }
        }
        result += try lxc(["image", "list", "--format", "csv", "-c", "fl"]).split(separator: "\n").map {
            "image \($0)"
        }
        return result.sorted()
    }

    /// Every container, network and image (fingerprint and aliases) the daemon has, sorted.
    func inventory() throws -> [String] {
        let containers = try lxc(["list", "--format", "csv", "-c", "n"]).split(separator: "\n").map {
            "container \($0)"
        }
        let networks = try lxc(["network", "list", "--format", "csv"]).split(separator: "\n").map {
            "network " + $0.prefix { $0 != "," }
        }
        let images = try lxc(["image", "list", "--format", "csv", "-c", "fl"]).split(separator: "\n").map {
            "image \($0)"
        }
        return (containers + networks + images).sorted()
    }
}
