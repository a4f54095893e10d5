import PlanModel

extension NodeBlock {
    /// The block from its command `index` on (its earlier commands ran before a resume): the same lines from
    /// that command's first line, each keeping its plan location. `set +e` / `set -e` lines dropped with the
    /// earlier commands are kept in front, so the rest runs with the same error handling.
    func resumed(atCommand index: Int) -> NodeBlock {
        let commands = self.commands
        guard index > 0, index < commands.count else { return self }
        let first = commands[index].firstLine
        let errexitLines = commands.prefix(index).filter { command in
            guard let words = ShellWords.split(command.text), words.first == "set" else { return false }
            return ShellWords.errexit(words) != nil
        }.flatMap { lines[($0.firstLine - 1)..<($0.firstLine - 1 + $0.lineCount)] }
        var block = self
        block.lines = errexitLines + lines[(first - 1)...]
        return block
    }
}
