public import PlanModel

/// The script `testbed exec NODE -- WORDS…` runs, keeping argv as given (as `lxc exec`, `docker exec` and
/// `kubectl exec` do): several words are each quoted for the node's shell, so `sh -c 'exit 7'` exits 7 and
/// `echo '$(id)'` prints `$(id)`; a single word is a shell script, so `'ip -br link | grep eth1'` still works.
public enum ExecScript {
    public static func make(_ words: [String]) -> String {
        guard words.count > 1 else { return words.first ?? "" }
        return words.map(ShellWords.quote).joined(separator: " ")
    }
}
