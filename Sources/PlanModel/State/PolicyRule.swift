/// One IPv4 policy routing rule (`ip rule`), in the kernel's terms.
public struct PolicyRule: Sendable, Hashable, Codable, CustomStringConvertible {
    /// What a matching rule does.
    public enum Action: Sendable, Hashable, Codable {
        case lookup(table: UInt32)
        case blackhole, unreachable, prohibit
        case nop
        case goto(priority: UInt32)
    }

    public var priority: UInt32
    public var source: IPPrefix?
    public var destination: IPPrefix?
    public var fwmark: UInt32?
    /// The mark mask; nil means 0xffffffff (what `fwmark N` without a mask sets).
    public var fwmask: UInt32?
    public var inputInterface: String?
    public var outputInterface: String?
    public var isInverted: Bool
    public var action: Action

    public init(
        priority: UInt32, source: IPPrefix? = nil, destination: IPPrefix? = nil, fwmark: UInt32? = nil,
        fwmask: UInt32? = nil, inputInterface: String? = nil, outputInterface: String? = nil,
        isInverted: Bool = false, action: Action
    ) {
        self.priority = priority
        self.source = source?.network
        self.destination = destination?.network
        self.fwmark = fwmark == 0 ? nil : fwmark
        self.fwmask = fwmask == 0xFFFF_FFFF ? nil : fwmask
        self.inputInterface = inputInterface
        self.outputInterface = outputInterface
        self.isInverted = isInverted
        self.action = action
    }

    /// The rules of a new network namespace: 0 local, 32766 main, 32767 default.
    public static let defaults: [PolicyRule] = [
        PolicyRule(priority: 0, action: .lookup(table: RouteTable.local)),
        PolicyRule(priority: 32766, action: .lookup(table: RouteTable.main)),
        PolicyRule(priority: 32767, action: .lookup(table: RouteTable.defaultTable)),
    ]

    /// The table it looks up, if that is its action.
    public var table: UInt32? {
        if case .lookup(let table) = action { table } else { nil }
    }

    /// `32765: from all fwmark 0xfa lookup 250` (numbers; see `describe(tables:)` for names).
    public var description: String { describe(tables: nil) }

    /// `ip rule` text, table names taken from `tables` when given.
    public func describe(tables: RTTablesFile?) -> String {
        var text = "\(priority): "
        if isInverted { text += "not " }
        text += "from " + (source.map(\.description) ?? "all")
        if let destination { text += " to \(destination)" }
        if let fwmark {
            text += " fwmark 0x" + String(fwmark, radix: 16)
            if let fwmask { text += "/0x" + String(fwmask, radix: 16) }
        }
        if let inputInterface { text += " iif \(inputInterface)" }
        if let outputInterface { text += " oif \(outputInterface)" }
        switch action {
        case .lookup(let table):
            let name: String
            switch table {
            case RouteTable.main: name = "main"
            case RouteTable.local: name = "local"
            case RouteTable.defaultTable: name = "default"
            default: name = tables?.name(ofTable: table) ?? "\(table)"
            }
            text += " lookup \(name)"
        case .blackhole: text += " blackhole"
        case .unreachable: text += " unreachable"
        case .prohibit: text += " prohibit"
        case .nop: text += " nop"
        case .goto(let priority): text += " goto \(priority)"
        }
        return text
    }
}
