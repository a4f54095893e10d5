import Foundation
public import PlanModel

/// Documented names and values bound to the ones a real program chose: its namespaces (`entr02` → `ntkv0`),
/// the link-locals and MACs of its identities. Bound explicitly by the plan, or at first sight when exactly one
/// documented thing and exactly one real thing stand in the same place. Pure.
public struct ConformanceBinding: Sendable, Hashable {
    /// Documented → real.
    public var values: [String: String]

    public init(_ values: [String: String] = [:]) { self.values = values }

    /// The bindings `predicted` needs to be compared with `observed`, beyond `values`: namespaces first, then
    /// the link-locals and MACs of the interfaces both have, then link-local routes of the same table and device.
    public func inferred(predicted: NodeState, observed: NodeState) -> ConformanceBinding {
        var binding = self
        let names = Self.unmatched(
            Set(binding.apply(to: predicted).namedNamespaces), Set(observed.namedNamespaces))
        if let pair = names { binding.bind(pair.0, pair.1) }
        var current = binding.apply(to: predicted)
        for (key, mine) in current.namespaces {
            guard let theirs = observed.namespaces[key] else { continue }
            for link in mine.links {
                guard let real = theirs.link(named: link.name) else { continue }
                if let pair = Self.unmatched(Self.linkLocals(link), Self.linkLocals(real)) {
                    binding.bind(pair.0, pair.1)
                }
                if let documented = link.mac, let chosen = real.mac, documented != chosen, case .macvlan = link.kind {
                    binding.bind(documented.description, chosen.description)
                }
            }
        }
        current = binding.apply(to: predicted)
        for (key, mine) in current.namespaces {
            guard let theirs = observed.namespaces[key] else { continue }
            for (group, documented) in Self.linkLocalRoutes(mine) {
                if let pair = Self.unmatched(documented, Self.linkLocalRoutes(theirs)[group] ?? []) {
                    binding.bind(pair.0, pair.1)
                }
            }
        }
        return binding
    }

    /// `state` with every bound documented value replaced by its real one.
    public func apply(to state: NodeState) -> NodeState {
        guard !values.isEmpty, let data = try? JSONEncoder().encode(state) else { return state }
        var text = String(decoding: data, as: UTF8.self)
        for (documented, real) in values.sorted(by: { $0.key.count > $1.key.count }) {
            text = Self.replace(documented, with: real, in: text)
        }
        return (try? JSONDecoder().decode(NodeState.self, from: Data(text.utf8))) ?? state
    }

    /// `state` with every bound real value replaced by its documented one (the inverse of `apply`).
    public func unapply(to state: NodeState) -> NodeState {
        ConformanceBinding(Dictionary(values.map { ($0.value, $0.key) }, uniquingKeysWith: { first, _ in first }))
            .apply(to: state)
    }

    /// A binding is never changed once made: a second, different sight of it shows up as a difference.
    mutating func bind(_ documented: String, _ real: String) {
        guard documented != real, values[documented] == nil, !values.values.contains(real),
            !values.values.contains(documented)
        else { return }
        values[documented] = real
    }

    /// The one element only `a` has and the one only `b` has, when there is exactly one of each.
    static func unmatched(_ a: Set<String>, _ b: Set<String>) -> (String, String)? {
        let onlyA = a.subtracting(b)
        let onlyB = b.subtracting(a)
        guard onlyA.count == 1, onlyB.count == 1, let first = onlyA.first, let second = onlyB.first else { return nil }
        return (first, second)
    }

    static func isLinkLocal(_ address: IPAddress) -> Bool {
        IPPrefix("169.254.0.0/16").map { $0.contains(address) } ?? false
    }

    static func linkLocals(_ link: Link) -> Set<String> {
        Set(link.addresses.map(\.address).filter(isLinkLocal).map(\.description))
    }

    /// Link-local host routes by (table, device): where a peer's link-local shows.
    static func linkLocalRoutes(_ namespace: NamespaceState) -> [String: Set<String>] {
        var groups: [String: Set<String>] = [:]
        for route in namespace.routes where route.destination.isHost && isLinkLocal(route.destination.address) {
            groups["\(route.table) \(route.device ?? "")", default: []].insert(route.destination.address.description)
        }
        return groups
    }

    /// Replaces whole occurrences only: `169.254.9.1` never inside `169.254.9.10`, `entr02` inside
    /// `entr02_eth1` and `conf.entr02_eth1.rp_filter` but not inside `xentr02`; MACs in either case.
    static func replace(_ documented: String, with real: String, in text: String) -> String {
        let isMAC = MACAddress(documented) != nil
        let isName = !documented.contains(".") && !documented.contains(":")
        let escaped = NSRegularExpression.escapedPattern(for: documented)
        let pattern =
            isMAC
            ? "(?<![0-9A-Fa-f:])\(escaped)(?![0-9A-Fa-f:])"
            : isName
                ? "(?<![A-Za-z0-9-])\(escaped)(?![A-Za-z0-9-])"
                : "(?<![A-Za-z0-9.:-])\(escaped)(?![A-Za-z0-9.:-])"
        guard let regex = try? NSRegularExpression(pattern: pattern, options: isMAC ? [.caseInsensitive] : []) else {
            return text
        }
        // A MAC keeps the case it was written in (iptables-save prints lower case, `ip` upper).
        var result = ""
        var rest = text.startIndex
        for match in regex.matches(in: text, range: NSRange(text.startIndex..., in: text)) {
            guard let range = Range(match.range, in: text) else { continue }
            result += text[rest..<range.lowerBound]
            let found = text[range]
            result += isMAC && found == found.lowercased() ? real.lowercased() : real
            rest = range.upperBound
        }
        return result + text[rest...]
    }
}

extension ConformanceBinding {
    /// These bindings with `explicit` ones on top (a plan's `bind:` wins over what was seen).
    public func merging(_ explicit: [String: String]) -> ConformanceBinding {
        ConformanceBinding(values.merging(explicit) { _, given in given })
    }
}
