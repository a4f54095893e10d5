/// `ip address add|del ADDRESS[/LENGTH] dev DEVICE` (IPv4), with what the kernel adds and removes with an
/// address (see `NamespaceState+Kernel`).
extension CommandInterpreter {
    /// The address and device one `ip address add|del` gives.
    struct AddressArguments {
        var local: IPPrefix?
        /// Whether the address was written with `/LENGTH` (a `del` without one matches any length).
        var hadLength = false
        var device: String?
    }

    mutating func runAddress(_ words: [String], key: String) -> CommandOutcome {
        guard let verb = words.first else { return .success }
        let scope = UnknownScope.aspects([.addresses, .routes], namespace: name(key))
        if Self.matches(verb, "show") || Self.matches(verb, "list") || Self.matches(verb, "lst") { return .success }
        let isAdd = Self.matches(verb, "add")
        guard isAdd || Self.matches(verb, "delete") else { return notModelled("ip address \(verb)", scope: scope) }
        let arguments: AddressArguments
        do {
            arguments = try readAddressArguments(words, scope: scope)
        } catch {
            return error.outcome
        }
        guard let device = arguments.device else {
            return failure("no device given", "Not enough information: \"dev\" argument is required.", status: 1)
        }
        guard let local = arguments.local else {
            return notModelled("ip address \(verb) without an address", scope: scope)
        }
        guard let namespace = state.namespaces[key] else { return .success }
        if namespace.unknown.contains(.links) || namespace.unknown.contains(.addresses) {
            state.namespaces[key]?.unknown.formUnion([.addresses, .routes])
            return .success
        }
        guard let linkIndex = namespace.linkIndex(named: device) else {
            return failure(
                "device \(device) does not exist in \(label(key))", "Cannot find device \"\(device)\"", status: 1,
                missing: .device(namespace: name(key), name: device))
        }
        let address = InterfaceAddress(address: local.address, prefixLength: local.length)
        if isAdd {
            guard state.namespaces[key]?.addAddress(address, to: device) ?? false else {
                return failure(
                    "\(device) already has \(address) in \(label(key))", "Error: ipv4: Address already assigned.")
            }
            return .success
        }
        return deleteAddress(address, hadLength: arguments.hadLength, linkIndex: linkIndex, key: key)
    }

    /// Reads the words after the verb (`words[0]`): an address, `local ADDRESS`, `dev DEVICE` or a bare
    /// device name; other options are not modelled.
    func readAddressArguments(_ words: [String], scope: UnknownScope) throws(CommandOutcomeBox) -> AddressArguments {
        var arguments = AddressArguments()
        var cursor = WordCursor(words, at: 1)
        while let word = cursor.current {
            switch word {
            case "dev":
                arguments.device = cursor.next()
            case "local":
                let value = cursor.next()
                if let value { arguments.local = IPPrefix(value) }
                arguments.hadLength = value?.contains("/") ?? false
            case "scope", "label", "broadcast", "brd", "peer", "valid_lft", "preferred_lft", "metric", "noprefixroute":
                throw CommandOutcomeBox(notModelled("ip address option '\(word)'", scope: scope))
            default:
                if arguments.local == nil, let prefix = IPPrefix(word) {
                    guard prefix.address.isV4 else {
                        throw CommandOutcomeBox(notModelled("IPv6 address", scope: .nothing))
                    }
                    arguments.local = prefix
                    arguments.hadLength = word.contains("/")
                } else if arguments.device == nil {
                    arguments.device = word
                } else {
                    throw CommandOutcomeBox(notModelled("ip address option '\(word)'", scope: scope))
                }
            }
            cursor.advance()
        }
        return arguments
    }

    /// `ip address del`: the first address of the device with that address (and length, when given).
    mutating func deleteAddress(_ address: InterfaceAddress, hadLength: Bool, linkIndex: Int, key: String)
        -> CommandOutcome
    {
        guard let link = state.namespaces[key]?.links[linkIndex] else { return .success }
        let found = link.addresses.firstIndex {
            $0.address == address.address && (!hadLength || $0.prefixLength == address.prefixLength)
        }
        guard let found else {
            let shown = hadLength ? address.description : address.address.description
            return failure(
                "\(link.name) has no address \(shown) in \(label(key))", "Error: ipv4: Address not found.",
                missing: .address(namespace: name(key), address: address, device: link.name))
        }
        state.namespaces[key]?.deleteAddress(linkIndex: linkIndex, addressIndex: found)
        return .success
    }
}
