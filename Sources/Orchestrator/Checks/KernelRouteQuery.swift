import Foundation
public import PlanModel

/// Asking a hop's own kernel what the model decided for it: `ip route get` with the packet's destination,
/// source, incoming interface and mark, and the forwarding and `rp_filter` sysctls; and reading the answer.
/// Pure: the script is run by the caller.
public enum KernelRouteQuery {
    /// What a node's kernel said for one hop.
    public struct Answer: Sendable, Hashable {
        /// `ip route get`'s first line (or its error), as printed.
        public var route: String
        public var failed: Bool
        public var gateway: IPAddress?
        public var device: String?
        /// `table NAME` of the answer; nil for main.
        public var table: String?
        public var isLocal: Bool
        public var forwarding: String?
        /// `all/incoming` values of `net.ipv4.conf.*.rp_filter`.
        public var rpFilter: String?
    }

    /// `ip route get …` for `hop`, every value validated by its type or quoted.
    public static func command(for hop: PathTracer.Hop, destination: IPAddress) -> String {
        var words = ["ip", "route", "get", destination.description]
        if let source = hop.source, hop.incoming != nil { words += ["from", source.description] }
        if let incoming = hop.incoming { words += ["iif", ShellWords.quote(incoming)] }
        if hop.mark != 0 { words += ["mark", String(hop.mark)] }
        return words.joined(separator: " ")
    }

    /// The command, then the forwarding and `rp_filter` sysctls of the hop.
    public static func script(for hop: PathTracer.Hop, destination: IPAddress) -> String {
        let conf = "/proc/sys/net/ipv4/conf"
        let incoming = hop.incoming.map { ShellWords.quote("\(conf)/\($0)/rp_filter") } ?? "/dev/null"
        return """
            \(command(for: hop, destination: destination)) 2>&1 | head -n 1; echo "status=${PIPESTATUS[0]}"
            echo "ip_forward=$(cat /proc/sys/net/ipv4/ip_forward 2>/dev/null)"
            echo "rp_filter=$(cat \(conf)/all/rp_filter 2>/dev/null)/$(cat \(incoming) 2>/dev/null)"
            """
    }

    public static func parse(_ output: String) -> Answer {
        let lines = output.split(separator: "\n", omittingEmptySubsequences: false).map(String.init)
        let route = (lines.first ?? "").trimmingCharacters(in: .whitespaces)
        let status = lines.first { $0.hasPrefix("status=") }.map { String($0.dropFirst(7)) }
        var answer = Answer(
            route: route, failed: status != "0" || route.hasPrefix("RTNETLINK") || route.hasPrefix("Error"),
            gateway: nil, device: nil, table: nil, isLocal: route.hasPrefix("local "), forwarding: nil, rpFilter: nil)
        let words = route.split(separator: " ").map(String.init)
        for (index, word) in words.enumerated() where index + 1 < words.count {
            switch word {
            case "via": answer.gateway = IPAddress(words[index + 1])
            case "dev": answer.device = answer.device ?? words[index + 1]
            case "table": answer.table = words[index + 1]
            default: break
            }
        }
        answer.forwarding = lines.first { $0.hasPrefix("ip_forward=") }.map { String($0.dropFirst(11)) }
        answer.rpFilter = lines.first { $0.hasPrefix("rp_filter=") }.map { String($0.dropFirst(10)) }
        return answer
    }

    /// Whether the kernel decided what the model did at `hop`; nil when it agrees, else how it differs.
    /// - Parameter last: The hop is where the model's path ends (delivered or dropped).
    public static func disagreement(_ answer: Answer, hop: PathTracer.Hop, delivered: Bool, last: Bool) -> String? {
        if let route = hop.route {
            if answer.failed {
                return "the kernel drops it (\(answer.route)), the model sends it "
                    + route.describe(includingDestination: false)
            }
            let table = hop.tableName == "main" ? nil : hop.tableName
            if answer.gateway != route.gateway || answer.device != route.device || answer.table != table {
                return "the kernel sends it \(answer.route), the model \(route.describe(includingDestination: false))"
                    + " in table \(hop.tableName ?? "main")"
            }
            return nil
        }
        guard last else { return nil }
        if delivered { return answer.isLocal ? nil : "the kernel does not take it as local: \(answer.route)" }
        return answer.failed ? nil : "the kernel routes it (\(answer.route)) where the model drops it"
    }
}
