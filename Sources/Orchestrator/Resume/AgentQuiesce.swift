import NodeAgentProtocol
import PlanModel

/// Before a resume observes a node: waits until no block of an earlier agent runs there any more. An agent
/// whose orchestrator died stops its block by itself (it notices its parent is gone within 50 ms), but the
/// new run must not read the node's state while that block may still change it. A block still running after
/// 5 s lost its agent (SIGKILLed: it could not stop it), so it is stopped by its recorded process group —
/// the run lock says no other run owns it — and the resume finds where it stopped from the state.
enum AgentQuiesce {
    /// Each agent keeps `busy` (the block's process group) in its directory while a block runs.
    static let script = """
        tb_w=0
        for tb_b in /dev/shm/tbagent.*/busy "${TMPDIR:-/tmp}"/tbagent.*/busy; do
            [[ -e $tb_b && $tb_b != "$tb_dir/busy" ]] || continue
            read -r tb_p <"$tb_b" || continue
            [[ $tb_p =~ ^[0-9]+$ ]] || continue
            while kill -0 -- "-$tb_p" 2>/dev/null && ((tb_w < 100)); do sleep 0.05; ((tb_w += 1)); done
            if kill -0 -- "-$tb_p" 2>/dev/null; then
                kill -TERM -- "-$tb_p" 2>/dev/null; sleep 0.2; kill -KILL -- "-$tb_p" 2>/dev/null
                rm -f -- "$tb_b"
                echo "stopped a block of an earlier agent that still ran (process group $tb_p)"
            fi
        done
        true
        """

    /// Waits on every node at once; returns what is still running, per node.
    static func wait(_ channels: [NodeName: any NodeChannel]) async -> [String] {
        await withTaskGroup(of: [String].self) { group in
            for (name, channel) in channels {
                group.addTask {
                    let request = NodeRequest.RunRequest(
                        script: script, timeout: .seconds(20), stopAtFirstFailure: false)
                    guard let run = try? await channel.run(request, timeout: .seconds(30)) else {
                        return ["\(name): could not check for blocks of an earlier agent"]
                    }
                    return run.stdoutText.split(separator: "\n").map { "\(name): \($0)" }
                }
            }
            var lines: [String] = []
            for await found in group { lines += found }
            return lines.sorted()
        }
    }
}
