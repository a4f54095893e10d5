import Foundation
import Orchestrator
import Testing

#if canImport(Glibc)
    import Glibc
#endif

extension RealKernelTests.LXDRemoteAccessTests {
    /// A run killed with SIGKILL while its service runs on beta leaves the service behind; the next preflight stops
    /// it by the PID its directory recorded, and leaves alone a process that a forged service directory names.
    func leftoverServiceStoppedByPreflight(remote: String) throws {
        let plan = try lab.write(
            "service.yaml",
            """
            steps:
              - service: {node: beta, name: idle, start: "exec sleep 600"}
              - {node: alfa, run: "sleep 600"}
            """)
        let environment =
            ProcessEnvironment.current.filter { !$0.hasPrefix("TESTBED_HOME=") } + ["TESTBED_HOME=\(home)"]
            + passwordEnvironment
        let child = try ChildProcess(
            executable: LabTestSupport.binary, arguments: ["run", "-t", remote, plan],
            options: .init(environment: environment, stdout: .pipe, stderr: .pipe))
        let find = """
            for f in /run/testbed/services/*/idle/pid; do [ -s "$f" ] && r=${f#/run/testbed/services/} && echo "${r%/pid} $(cat "$f")"; done; true
            """
        var service = ""
        let deadline = ContinuousClock.now + .seconds(180)
        while service.isEmpty && ContinuousClock.now < deadline {
            usleep(300_000)
            service = try ProviderTestSupport.exec(providerTopology, "beta", find, home: home)
                .trimmingCharacters(in: .whitespacesAndNewlines)
        }
        child.signal(SIGKILL)
        _ = LabTestSupport.finish(child)
        let pid = String(service.split(separator: " ").last ?? "")
        try #require(!pid.isEmpty, "the service never started")
        let forged = try ProviderTestSupport.exec(
            providerTopology, "beta",
            """
            mkdir -p /run/testbed/services/forged/idle
            setsid sleep 600 </dev/null >/dev/null 2>&1 &
            echo $! > /run/testbed/services/forged/idle/pid && echo $!
            """, home: home
        ).trimmingCharacters(in: .whitespacesAndNewlines)
        try ProviderTestSupport.exec(providerTopology, "beta", "kill -0 \(pid)", home: home)

        let preflight = try ProviderTestSupport.testbed(
            ["preflight", "-t", remote], home: home, environment: passwordEnvironment)
        #expect(preflight.status == .exited(0), "\(preflight.stdoutText)\(preflight.stderrText)")
        #expect(
            preflight.stderrText.contains("beta: stopped \(service) (a service an earlier run left running)"),
            "\(preflight.stderrText)")
        #expect(preflight.stderrText.components(separatedBy: ": stopped ").count == 2, "\(preflight.stderrText)")
        let after = try ProviderTestSupport.exec(
            providerTopology, "beta",
            "kill -0 \(pid) 2>/dev/null && echo service; kill -0 \(forged) && echo forged; true", home: home)
        #expect(after == "forged\n")
        try ProviderTestSupport.exec(
            providerTopology, "beta", "kill \(forged) && rm -r /run/testbed/services/forged", home: home)
    }
}
