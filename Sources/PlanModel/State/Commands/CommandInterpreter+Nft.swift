/// `nft`: listing reads only; anything else may change the rules `iptables` shows (the nf_tables backend
/// keeps them in nftables tables), which the model does not follow.
extension CommandInterpreter {
    /// The `nft` commands that only read.
    static let nftReadingCommands: Set<String> = ["list", "describe", "monitor"]

    mutating func runNft(_ arguments: [String], namespace: String?) -> CommandOutcome {
        if Self.isReadOnlyNft(["nft"] + arguments) { return .success }
        let key = NodeState.key(namespace)
        let name = state.namespaces[key]?.name
        return notModelled("nft \(arguments.joined(separator: " "))", scope: .aspects([.iptables], namespace: name))
    }

    /// Whether an `nft` command line only reads: its command (after the options) lists, describes or
    /// monitors, and no file of commands is given.
    static func isReadOnlyNft(_ words: [String]) -> Bool {
        guard words.first == "nft" else { return false }
        var rest = words.dropFirst()
        while let word = rest.first, word.hasPrefix("-") {
            if ["-f", "--file"].contains(word) { return false }
            rest = rest.dropFirst()
            if ["-I", "--includepath", "-D", "--define"].contains(word) { rest = rest.dropFirst() }
        }
        return rest.first.map { nftReadingCommands.contains($0) } ?? false
    }
}
