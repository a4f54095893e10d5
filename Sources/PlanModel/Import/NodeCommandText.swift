/// The text a system runs for a script line, in the form a page would show it: the `sudo` an ssh session
/// needs is dropped (testbed's agent runs as root), and `bash -c '…'` gives its script.
enum NodeCommandText {
    /// Options of sudo that change nothing for a command run as root.
    static let harmlessSudoOptions: Set<String> = ["-n", "-E", "-H", "-S", "-k", "-P", "--non-interactive", "--"]
    static let shells: Set<String> = [
        "bash", "sh", "dash", "ash", "/bin/bash", "/bin/sh", "/usr/bin/bash", "/bin/dash",
    ]

    /// Why a sudo in the text cannot simply be dropped (`sudo -u user …`).
    struct SudoRefusal: Error, Sendable, Hashable {
        var option: String
    }

    /// `text` with every `sudo [harmless options]` at a command position removed (also after `;`, `&&`,
    /// `||`, `|` and `(`). `sudo -s`/`sudo -i` without a command becomes `bash`.
    static func withoutSudo(_ text: String) -> Result<String, SudoRefusal> {
        guard let tokens = ShellTokenizer.tokens(text) else { return .success(text) }
        var cuts: [Range<Int>] = []
        var replacements: [Int: String] = [:]
        var atCommand = true
        var index = 0
        while index < tokens.count {
            let token = tokens[index]
            if token.isOperator {
                atCommand = [";", "&&", "||", "|", "(", "&"].contains(token.text)
                index += 1
                continue
            }
            guard atCommand, token.isWord("sudo") else {
                atCommand = false
                index += 1
                continue
            }
            var next = index + 1
            var opensShell = false
            while next < tokens.count, !tokens[next].isOperator, tokens[next].text.hasPrefix("-") {
                let option = tokens[next].text
                if option == "-s" || option == "-i" || option == "--shell" || option == "--login" {
                    opensShell = true
                } else if !harmlessSudoOptions.contains(option) {
                    return .failure(SudoRefusal(option: option))
                }
                next += 1
                if option == "--" { break }
            }
            let commandFollows = next < tokens.count && !tokens[next].isOperator
            let cutEnd = commandFollows ? tokens[next].start : tokens[next - 1].end
            cuts.append(token.start..<cutEnd)
            if opensShell && !commandFollows { replacements[token.start] = "bash" }
            atCommand = true
            index = next
        }
        guard !cuts.isEmpty else { return .success(text) }
        var scalars = Array(text.unicodeScalars)
        for cut in cuts.reversed() {
            scalars.replaceSubrange(cut, with: (replacements[cut.lowerBound] ?? "").unicodeScalars)
        }
        return .success(String(String.UnicodeScalarView(scalars)))
    }

    /// The script of `bash -c 'SCRIPT'` (also `sh -c`, with options such as `-e` before `-c`); nil for any
    /// other command, or when words follow the script (they would be its `$0`, `$1`).
    static func shellScript(of text: String) -> String? {
        guard let tokens = ShellTokenizer.tokens(text), tokens.count >= 3, !tokens.contains(where: \.isOperator),
            let shell = tokens.first, !shell.isQuoted, shells.contains(shell.text)
        else { return nil }
        var index = 1
        while index < tokens.count - 1, tokens[index].text.hasPrefix("-"), !tokens[index].text.contains("c") {
            index += 1
        }
        let option = tokens[index].text
        guard option.hasPrefix("-"), option.hasSuffix("c"), option.dropFirst().allSatisfy({ "ceuxvo".contains($0) }),
            index + 2 == tokens.count
        else { return nil }
        return tokens[index + 1].text
    }

    /// Whether a command (its words) starts a shell that reads its script from stdin.
    static func isShell(_ words: [String]) -> Bool {
        guard let first = words.first, shells.contains(first) else { return false }
        return words.dropFirst().allSatisfy { $0.hasPrefix("-") && !$0.contains("c") }
    }
}
