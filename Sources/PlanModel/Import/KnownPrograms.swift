/// The programs, builtins and keywords a documentation block may start a line with. A line starting with
/// anything else is reported (it may be a typo, or data that is not meant to run).
enum KnownPrograms {
    static let keywords: Set<String> = [
        "if", "then", "else", "elif", "fi", "for", "while", "until", "do", "done", "case", "esac", "function",
        "select", "time", "{", "}", "[[", "]]", "!",
    ]

    static let builtins: Set<String> = [
        "set", "cd", "echo", "printf", "export", "unset", "read", "local", "declare", "readonly", "return", "exit",
        "true", "false", ":", ".", "source", "eval", "exec", "command", "type", "trap", "wait", "shift", "test", "[",
        "shopt", "ulimit", "umask", "pwd", "kill", "let", "alias", "builtin", "hash", "jobs", "sleep",
    ]

    static let programs: Set<String> = [
        // The networking the documentation does.
        "ip", "iptables", "iptables-save", "iptables-restore", "iptables-nft", "iptables-legacy", "ip6tables",
        "nft", "sysctl", "tc", "bridge", "ss", "netstat", "arp", "ping", "ping6", "traceroute", "tracepath",
        "ethtool", "brctl", "ifconfig", "route", "conntrack", "ipset", "tcpdump", "dhclient", "modprobe",
        // The program under test and its kin.
        "qspnclient", "ntkd", "ntkresolv",
        // Files and text.
        "cat", "tee", "sed", "grep", "egrep", "fgrep", "awk", "head", "tail", "cut", "tr", "sort", "uniq", "wc",
        "xargs", "find", "ls", "mkdir", "rmdir", "rm", "cp", "mv", "ln", "touch", "chmod", "chown", "stat",
        "diff", "cmp", "less", "more", "vi", "vim", "nano", "dd", "base64", "md5sum", "sha256sum",
        // Processes and the system.
        "sudo", "su", "env", "nohup", "timeout", "nsenter", "unshare", "mount", "umount", "ps", "pkill", "killall",
        "hostname", "uname", "date", "id", "whoami", "watch", "systemctl", "service", "journalctl", "dmesg",
        "lxc", "lxd", "ssh", "scp", "rsync", "curl", "wget", "apt", "apt-get", "dpkg", "git", "make", "bash", "sh",
        "dash", "zsh", "python", "python3", "perl", "seq", "yes", "which", "basename", "dirname", "realpath",
        "mktemp", "sync", "reboot", "shutdown", "logger", "strace", "nc", "socat", "dig", "host", "nslookup",
    ]

    /// Whether `word` names something a shell line can start with.
    static func isKnown(_ word: String) -> Bool {
        keywords.contains(word) || builtins.contains(word) || programs.contains(word) || word.contains("/")
    }

    /// The word a command line starts with, after `(`, `!`, variable assignments, `sudo` and
    /// `ip netns exec NS`; nil for an empty line, a comment or a line the shell cannot split.
    static func firstWord(of line: String) -> (word: String, column: Int)? {
        guard let tokens = ShellTokenizer.tokens(line) else { return nil }
        var index = 0
        while index < tokens.count {
            let token = tokens[index]
            if token.isOperator && (token.text == "(" || token.text == "!") {
                index += 1
                continue
            }
            guard !token.isOperator else { return nil }
            if token.text.contains("="), let first = token.text.first, first.isLetter || first == "_" {
                index += 1
                continue
            }
            if !token.isQuoted, token.text == "sudo" || token.text == "!" {
                index += 1
                while index < tokens.count, tokens[index].text.hasPrefix("-") { index += 1 }
                continue
            }
            if token.isWord("ip"), index + 3 < tokens.count, tokens[index + 1].isWord("netns"),
                tokens[index + 2].isWord("exec")
            {
                index += 4
                continue
            }
            return (token.text, token.start + 1)
        }
        return nil
    }
}
