/// Interfaces compared by name: presence, up/down, MAC, kind and IPv4 addresses.
extension StateComparison {
    /// The model's interfaces in order, each with what differs (the MAC only when both sides know it, the
    /// kind only when the dump tells more than "ethernet"), then the interfaces only the dump has.
    static func compareLinks(_ expected: NamespaceState, _ found: NamespaceState, node: NodeName) -> [StateDifference] {
        var result: [StateDifference] = []
        for link in expected.links {
            let subject = "link \(link.name)"
            guard let other = found.link(named: link.name) else {
                result.append(
                    StateDifference(
                        node: node, namespace: expected.name, subject: subject, expected: describe(link), found: nil))
                continue
            }
            if link.isUp != other.isUp {
                result.append(
                    StateDifference(
                        node: node, namespace: expected.name, subject: subject, expected: link.isUp ? "up" : "down",
                        found: other.isUp ? "up" : "down"))
            }
            if let mac = link.mac, let otherMAC = other.mac, mac != otherMAC {
                result.append(
                    StateDifference(
                        node: node, namespace: expected.name, subject: subject, expected: "MAC \(mac)",
                        found: "MAC \(otherMAC)"))
            }
            if other.kindName != "ethernet", link.kindName != other.kindName {
                result.append(
                    StateDifference(
                        node: node, namespace: expected.name, subject: subject, expected: link.kindName,
                        found: other.kindName))
            }
            let wanted = Set(link.addresses.map(\.description))
            let got = Set(other.addresses.map(\.description))
            for address in wanted.subtracting(got).sorted() {
                result.append(
                    StateDifference(
                        node: node, namespace: expected.name, subject: subject, expected: "address \(address)",
                        found: nil))
            }
            for address in got.subtracting(wanted).sorted() {
                result.append(
                    StateDifference(
                        node: node, namespace: expected.name, subject: subject, expected: nil,
                        found: "address \(address)"))
            }
        }
        for link in found.links where expected.link(named: link.name) == nil {
            result.append(
                StateDifference(
                    node: node, namespace: expected.name, subject: "link \(link.name)", expected: nil,
                    found: describe(link)))
        }
        return result
    }

    /// `macvlan 00:16:3E:00:00:01 up 10.1.0.1/24`, for an interface only one side has.
    static func describe(_ link: Link) -> String {
        var text = link.kindName
        if let mac = link.mac { text += " \(mac)" }
        text += link.isUp ? " up" : " down"
        if !link.addresses.isEmpty { text += " " + link.addresses.map(\.description).joined(separator: " ") }
        return text
    }
}
