/// The rule part of an `iptables` command line (after `-A CHAIN`), read into its matches and its target,
/// and spelled the way `iptables-save` prints it after `-A CHAIN `, so a command's rule and a dumped rule
/// compare as strings. Known matches: `-s`, `-d`, `-i`, `-o`, `-m mac --mac-source`; targets: MARK
/// (`--set-mark`, `--set-xmark`), SNAT (`--to-source`, `--to`), NETMAP (`--to`), ACCEPT, DROP, RETURN,
/// MASQUERADE.
struct IptablesRuleSpec {
    /// Why a rule cannot be spelled: outside the model, or refused by iptables (reason, message, status).
    enum Problem: Error {
        case notModelled(String)
        case invalid(String, String, Int32)
    }

    var source: String?
    var destination: String?
    var inputInterface: String?
    var outputInterface: String?
    /// Match modules, already spelled (`-m mac --mac-source 00:16:3e:5b:78:d5`).
    var matches: [String] = []
    var target: String?
    /// The options after the target (`--set-mark` → `250`).
    var targetOptions: [String: String] = [:]

    /// Reads the words left to right; the first word the model cannot read stops it.
    init(_ words: [String]) throws(Problem) {
        var cursor = WordCursor(words)
        while let word = cursor.current {
            try read(word, from: &cursor)
            cursor.advance()
        }
    }

    /// Reads one option and its values, leaving the cursor on the last of them.
    private mutating func read(_ word: String, from cursor: inout WordCursor) throws(Problem) {
        switch word {
        case "-s", "--source", "--src":
            guard let text = Self.network(cursor.next()) else { throw .notModelled("iptables -s value") }
            source = text
        case "-d", "--destination", "--dst":
            guard let text = Self.network(cursor.next()) else { throw .notModelled("iptables -d value") }
            destination = text
        case "-i", "--in-interface": inputInterface = cursor.next()
        case "-o", "--out-interface": outputInterface = cursor.next()
        case "-m", "--match":
            guard let module = cursor.next() else { throw .notModelled("iptables -m") }
            guard module == "mac" else { throw .notModelled("iptables match module \(module)") }
            guard cursor.following == "--mac-source", let mac = cursor.rest.dropFirst().first.flatMap(MACAddress.init)
            else {
                throw .invalid("bad --mac-source", "iptables: Bad mac address", 2)
            }
            cursor.advance()
            cursor.advance()
            matches.append("-m mac --mac-source \(mac.description.lowercased())")
        case "-j", "--jump":
            target = cursor.next()
        default:
            guard word.hasPrefix("--"), target != nil, let text = cursor.next() else {
                throw .notModelled("iptables option '\(word)'")
            }
            targetOptions[word] = text
        }
    }

    /// An IPv4 address or prefix as iptables-save prints it (`10.0.0.41` → `10.0.0.41/32`); nil otherwise.
    static func network(_ text: String?) -> String? {
        guard let text, let prefix = IPPrefix(text), prefix.address.isV4 else { return nil }
        return prefix.network.withLength
    }

    /// The rule as `iptables-save` prints it after `-A CHAIN `, or why it cannot be (the target's checks
    /// come after every word was read).
    func canonical(table: String, chain: String) throws(Problem) -> String {
        var parts: [String] = []
        if let source { parts.append("-s \(source)") }
        if let destination { parts.append("-d \(destination)") }
        if let inputInterface { parts.append("-i \(inputInterface)") }
        if let outputInterface { parts.append("-o \(outputInterface)") }
        parts += matches
        guard let target else { throw .notModelled("iptables rule without -j") }
        switch target {
        case "MARK": parts.append(try markTarget(table: table))
        case "SNAT": parts.append(try snatTarget(table: table, chain: chain))
        case "NETMAP": parts.append(try netmapTarget(table: table, chain: chain))
        case "ACCEPT", "DROP", "RETURN", "MASQUERADE": parts.append(try plainTarget(target, table: table, chain: chain))
        default: throw .notModelled("iptables target \(target)")
        }
        return parts.joined(separator: " ")
    }

    static let appendFailed = "iptables: RULE_APPEND failed (Invalid argument)"

    /// `-j MARK --set-mark M[/MASK]` or `--set-xmark M[/MASK]`, printed as `--set-xmark M/MASK` (iptables
    /// turns `--set-mark M/MASK` into the xmark mask MASK|M; without a mask it is 0xffffffff).
    func markTarget(table: String) throws(Problem) -> String {
        guard table == "mangle" else { throw .invalid("MARK is valid only in the mangle table", Self.appendFailed, 4) }
        let options = targetOptions.keys.sorted()
        guard options.count == 1, let option = options.first, let text = targetOptions[option] else {
            throw .notModelled("MARK options \(options)")
        }
        // Empty parts kept: `''` and `/5` have an empty mark, which iptables refuses.
        let pieces = text.split(separator: "/", maxSplits: 1, omittingEmptySubsequences: false).map(String.init)
        guard let mark = RTTablesFile.parseNumber(pieces[0]) else {
            throw .invalid("bad mark \(text)", "iptables: Bad MARK value", 2)
        }
        var mask: UInt32 = 0xFFFF_FFFF
        if pieces.count == 2 {
            guard let parsed = RTTablesFile.parseNumber(pieces[1]) else { throw .notModelled("MARK mask") }
            mask = parsed
        }
        switch option {
        case "--set-xmark": break
        case "--set-mark": if pieces.count == 2 { mask |= mark }
        default: throw .notModelled("MARK \(option)")
        }
        return "-j MARK --set-xmark 0x\(String(mark, radix: 16))/0x\(String(mask, radix: 16))"
    }

    /// `-j SNAT --to-source ADDRESS` (or `--to`), in nat POSTROUTING or INPUT.
    func snatTarget(table: String, chain: String) throws(Problem) -> String {
        guard table == "nat", chain == "POSTROUTING" || chain == "INPUT" else {
            throw .invalid("SNAT is valid only in nat POSTROUTING and INPUT", Self.appendFailed, 4)
        }
        guard targetOptions.count == 1, let text = targetOptions["--to-source"] ?? targetOptions["--to"] else {
            throw .notModelled("SNAT options")
        }
        guard let address = IPAddress(text), address.isV4 else {
            throw .invalid("bad SNAT address \(text)", "iptables: Bad IP address \"\(text)\"", 2)
        }
        return "-j SNAT --to-source \(address)"
    }

    /// `-j NETMAP --to PREFIX`, in the nat table.
    func netmapTarget(table: String, chain: String) throws(Problem) -> String {
        guard table == "nat", chain != "FORWARD" else {
            throw .invalid("NETMAP is valid only in the nat table", Self.appendFailed, 4)
        }
        guard targetOptions.count == 1, let text = targetOptions["--to"], let prefix = Self.network(text) else {
            throw .notModelled("NETMAP options")
        }
        return "-j NETMAP --to \(prefix)"
    }

    /// ACCEPT, DROP, RETURN, MASQUERADE: no options; MASQUERADE only in nat POSTROUTING.
    func plainTarget(_ target: String, table: String, chain: String) throws(Problem) -> String {
        guard targetOptions.isEmpty else { throw .notModelled("\(target) options") }
        if target == "MASQUERADE" && !(table == "nat" && chain == "POSTROUTING") {
            throw .invalid("MASQUERADE is valid only in nat POSTROUTING", Self.appendFailed, 4)
        }
        return "-j \(target)"
    }
}
