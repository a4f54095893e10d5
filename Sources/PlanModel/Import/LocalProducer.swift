/// The part of a script line that runs on the controller and pipes into a system's command:
/// `(echo; echo "251 ntk # xxx_table_ntk_xxx") | lxc exec alfa -- tee -a /etc/iproute2/rt_tables`.
///
/// testbed runs the whole pipeline on the system, so the producer must print the same there as on the
/// controller: only `echo` and `printf` with literal words (alone, in `;` lists or in `( … )`) are accepted.
/// Anything else would read or change the controller (a file, a variable, a program), which testbed does not do.
enum LocalProducer {
    static let programs: Set<String> = ["echo", "printf"]

    /// Why `raw` cannot run on the system in the controller's place; nil when it can.
    static func refusal(_ raw: String) -> String? {
        if let offset = ShellTokenizer.firstExpansion(in: raw) {
            let rest = ShellTokenizer.slice(raw, from: offset).prefix(12)
            return "it expands '\(rest)…' in the controller's shell, which testbed does not have"
        }
        guard let list = ShellList.parse(raw) else {
            return "its shell syntax is beyond echo and printf lists"
        }
        return refusal(list)
    }

    private static func refusal(_ list: ShellList) -> String? {
        for item in list.items {
            if item.connector != .sequence { return "it uses '&&' or '||'" }
            if item.pipeline.isNegated { return "it uses '!'" }
            for stage in item.pipeline.stages {
                if let redirection = stage.redirections.first {
                    return "it redirects with '\(redirection.operation) \(redirection.target)' on the controller"
                }
                if let subshell = stage.subshell {
                    if let reason = refusal(subshell) { return reason }
                    continue
                }
                guard let program = stage.words.first else { continue }
                if program == "cat" {
                    return stage.words.count > 1
                        ? "'cat \(stage.words.dropFirst().joined(separator: " "))' reads the controller's files"
                        : "'cat' reads the controller's own input"
                }
                guard programs.contains(program) else { return "it runs '\(program)' on the controller" }
            }
        }
        return nil
    }
}
