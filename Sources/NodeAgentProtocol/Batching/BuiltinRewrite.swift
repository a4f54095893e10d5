/// Two line shapes of the compiled scenario that bash can do without a process, each sent as
/// `{ FAST; } 2>/dev/null || ORIGINAL`: when the builtin form fails it has changed nothing (its one write
/// was refused), and the original line then runs and fails with its own status and message. On success the
/// builtin form writes the bytes the original writes, and the original's output was discarded anyway.
///
/// - `sysctl KEY=NUMBER &>/dev/null` (procps writes "NUMBER\n" to /proc/sys/KEY with dots as slashes);
/// - `(echo; echo "TEXT") | tee -a FILE >/dev/null` (appends "\nTEXT\n"; two subshells and `tee` otherwise).
///
/// Anything else, or any quoting, expansion or path that does not match these exactly, stays as it is.
enum BuiltinRewrite {
    /// The builtin form of `line`, if it has one.
    static func fastPath(_ line: String) -> String? {
        sysctl(line) ?? append(line)
    }

    /// The compiled line: the builtin form, the original as fallback.
    static func script(fast: String, original: String) -> String {
        "{ \(fast); } 2>/dev/null || \(original)"
    }

    private static let keyBytes = Set("abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789_".utf8)
    private static let pathBytes = keyBytes.union("/.-".utf8)
    /// Bytes a double-quoted TEXT may hold so that it means the same in `printf '%s'` and in `echo "TEXT"`.
    private static let textBytes = keyBytes.union(" :#.,/-+=@%".utf8)

    static func sysctl(_ line: String) -> String? {
        let suffix = " &>/dev/null"
        guard line.hasPrefix("sysctl "), line.hasSuffix(suffix) else { return nil }
        let assignment = line.dropFirst("sysctl ".count).dropLast(suffix.count)
        let parts = assignment.split(separator: "=", omittingEmptySubsequences: false)
        guard parts.count == 2, let value = parts.last, !value.isEmpty, value.count <= 18,
            value.utf8.allSatisfy({ (UInt8(ascii: "0")...UInt8(ascii: "9")).contains($0) }),
            let key = parts.first
        else { return nil }
        let segments = key.split(separator: ".", omittingEmptySubsequences: false)
        guard segments.count >= 2, segments.allSatisfy({ !$0.isEmpty && $0.utf8.allSatisfy(keyBytes.contains) })
        else { return nil }
        return "printf '%s\\n' \(value) >/proc/sys/\(segments.joined(separator: "/"))"
    }

    static func append(_ line: String) -> String? {
        let head = "(echo; echo \""
        guard line.hasPrefix(head), let close = line.range(of: "\") | tee -a ") else { return nil }
        let text = line[line.index(line.startIndex, offsetBy: head.count)..<close.lowerBound]
        let rest = line[close.upperBound...]
        let suffix = " >/dev/null"
        // A leading '-' would be an option of echo, not text.
        guard text.utf8.allSatisfy(textBytes.contains), !text.hasPrefix("-"), rest.hasSuffix(suffix) else {
            return nil
        }
        let file = rest.dropLast(suffix.count)
        guard file.hasPrefix("/"), file.utf8.allSatisfy(pathBytes.contains), !file.contains("/../"),
            !file.hasSuffix("/..")
        else { return nil }
        return "printf '\\n%s\\n' \"\(text)\" >>\(file)"
    }
}
