/// The text of the route commands of domain.md §3, exactly as the pages and the script write them.
public enum RouteCommand {
    /// `ip route add unreachable P table T`: every prefix of a new table starts like this.
    public static func addUnreachable(_ prefix: DestinationPrefix, table: String) -> String {
        "ip route add unreachable \(prefix) table \(table)"
    }

    /// `ip route change …`: the form an ETP's processing writes.
    public static func change(_ route: TableRoute, table: String) -> String {
        switch route.choice {
        case .unreachable: "ip route change unreachable \(route.prefix) table \(table)"
        case .blackhole: "ip route change blackhole \(route.prefix) table \(table)"
        case .via(let gateway, let device, let source):
            "ip route change \(route.prefix) table \(table) via \(gateway) dev \(device)"
                + (source.map { " src \($0)" } ?? "")
        }
    }

    /// `ip route del P table T`.
    public static func delete(_ prefix: DestinationPrefix, table: String) -> String {
        "ip route del \(prefix) table \(table)"
    }

    /// The `ip netns exec NS ` prefix of commands run in an identity's namespace (none in the default one).
    public static func inNamespace(_ namespace: String?, _ command: String) -> String {
        namespace.map { "ip netns exec \($0) \(command)" } ?? command
    }
}
