public import OrderedCollections
public import PlanModel

/// A Netsukuku scenario: the systems of a topology, the address scheme, and the ordered user operations
/// (`init`, `add_real_arc`, `enter_net`, `migrate`, …). The compiler turns it into a checked `Plan`.
public struct Scenario: Sendable, Hashable {
    /// When the compiler derives reach checks.
    public enum CheckPolicy: String, Sendable, Hashable, CaseIterable {
        /// After every operation.
        case operation
        /// After every ETP wave as well.
        case wave
        /// None (the plan still carries every state check of `testbed run`).
        case none
    }

    public var title: String
    /// The topology file as written, relative to the scenario file.
    public var topologyPath: String?
    public var scheme: AddressScheme
    public var checks: CheckPolicy
    public var systems: OrderedDictionary<String, ScenarioSystem>
    public var operations: [ScenarioOperation]
    /// The scenario text, for located errors found while compiling.
    public var source: SourceText

    public init(
        title: String, topologyPath: String?, scheme: AddressScheme, checks: CheckPolicy,
        systems: OrderedDictionary<String, ScenarioSystem>, operations: [ScenarioOperation], source: SourceText
    ) {
        self.title = title
        self.topologyPath = topologyPath
        self.scheme = scheme
        self.checks = checks
        self.systems = systems
        self.operations = operations
        self.source = source
    }

    /// An error at a position of the scenario, quoting its line.
    public func error(_ code: InputError.Code, _ message: String, at location: InputLocation, hint: String)
        -> InputError
    {
        InputError(code, message, at: location, hint: hint, sourceLine: source.line(location.line))
    }
}

/// A value with the position where the scenario wrote it.
public struct Located<Value: Sendable & Hashable>: Sendable, Hashable {
    public var value: Value
    public var location: InputLocation

    public init(_ value: Value, at location: InputLocation) {
        self.value = value
        self.location = location
    }
}

/// One system of a scenario: a topology node that runs `qspnclient`, or a plain host of a gateway's subnet.
public struct ScenarioSystem: Sendable, Hashable {
    public var name: String
    /// The initial address (its own network, named after the system). Nil for a subnet host.
    public var address: Located<NetsukukuAddress>?
    /// Assigns the anonymising IP (`-k`).
    public var acceptsAnonymous: Bool
    /// Adds the SNAT rule for anonymising destinations (not `-j`).
    public var anonymiser: Bool
    /// A gateway of an autonomous subnet enumerates destinations only down to this level (`-s`).
    public var subnetLevel: Int
    /// The hosts of the gateway's subnet.
    public var subnet: [SubnetHost]
    /// The managed NIC.
    public var nic: String
    /// NIC facts when the topology does not give them.
    public var mac: Located<MACAddress>?
    public var linkLocal: Located<IPAddress>?
    public var location: InputLocation
    /// A setting of the system could not be read (reported already): operations on it are not compiled.
    public var isBroken = false

    public init(
        name: String, address: Located<NetsukukuAddress>?, acceptsAnonymous: Bool = true, anonymiser: Bool = true,
        subnetLevel: Int = 0, subnet: [SubnetHost] = [], nic: String = "eth1", mac: Located<MACAddress>? = nil,
        linkLocal: Located<IPAddress>? = nil, location: InputLocation
    ) {
        self.name = name
        self.address = address
        self.acceptsAnonymous = acceptsAnonymous
        self.anonymiser = anonymiser
        self.subnetLevel = subnetLevel
        self.subnet = subnet
        self.nic = nic
        self.mac = mac
        self.linkLocal = linkLocal
        self.location = location
    }
}

/// A host inside a gateway's autonomous subnet (ρ inside λ's), known by its ids below the subnet level.
public struct SubnetHost: Sendable, Hashable {
    public var system: String
    /// Level 0 first, `subnetLevel` ids.
    public var lowerIDs: [Int]
    public var location: InputLocation

    public init(system: String, lowerIDs: [Int], location: InputLocation) {
        self.system = system
        self.lowerIDs = lowerIDs
        self.location = location
    }
}
