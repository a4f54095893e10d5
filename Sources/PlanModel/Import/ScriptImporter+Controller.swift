extension ScriptReader {
    /// Lines that steer the script itself rather than a system: `set -e`/`set +e` (whether a failing command
    /// stops the script) and `sleep N` between blocks (a wait step). Returns whether the line was one.
    mutating func readControllerLine(_ words: [String], logical: String, number: Int) -> Bool {
        guard !words.contains(where: Self.isOperator) else { return false }
        switch words.first {
        case "set":
            builder.note(Note(text: logical, location: location(number)))
            guard let errexit = ShellWords.errexit(words) else { return true }
            if !errexit, stopsOnFailure {
                warn(
                    "after 'set +e' the script goes on when a command fails, but testbed stops at a failing block "
                        + "(the line is kept as a note)", line: number,
                    hint: "if a command may fail, write it as 'COMMAND || true' inside the block; "
                        + "--keep-going goes on with the systems that did not fail")
            }
            stopsOnFailure = errexit
            return true
        case "sleep":
            guard words.count == 2, let seconds = Self.seconds(words[1]) else { return false }
            builder.wait(seconds, at: location(number))
            return true
        default:
            return false
        }
    }

    /// `2`, `0.5`, `3s`, `1m` in seconds; nil for anything else (`infinity`, `$T`).
    static func seconds(_ text: String) -> Double? {
        var number = Substring(text)
        var unit = 1.0
        if let last = number.last, let factor = ["s": 1.0, "m": 60, "h": 3600][String(last)] {
            number = number.dropLast()
            unit = factor
        }
        guard let value = Double(number), value >= 0, value <= 86_400 else { return nil }
        return value * unit
    }

    /// A line that runs on the controller: kept as a note, with a warning that says why it is not run.
    mutating func warnHostLine(_ words: [String], number: Int) {
        guard let first = words.first else { return }
        switch first {
        case "lxc":
            warn(
                "'lxc \(words.dropFirst().first ?? "")' is not imported: testbed runs commands in the systems, "
                    + "the lab or the topology provides them; the line is kept as a note", line: number,
                hint: "only 'cat <<EOF | lxc exec NAME bash' heredocs and 'lxc exec NAME -- COMMAND' lines run")
        case "scp", "rsync":
            warn(
                "'\(first)' copies files between the controller and the systems; testbed does not copy files, "
                    + "the line is kept as a note", line: number,
                hint: "write the file on the system instead: cat <<'EOF' | ssh NAME sudo tee FILE … EOF")
        case "ssh":
            warn(
                "this ssh line names no system and command testbed can read; it is kept as a note and not run",
                line: number, hint: "write 'ssh NAME sudo COMMAND' or 'cat <<EOF | ssh NAME sudo bash' … 'EOF'")
        case "exit", "true", ":":
            break
        default:
            warn(
                "this line runs on the controller in the script; testbed keeps it as a note and does not run it",
                line: number,
                hint: "if it must run on a system, write 'ssh NAME sudo \(first) …' or 'lxc exec NAME -- \(first) …'")
        }
    }
}
