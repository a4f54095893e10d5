/// One thing the lab creates on the machine, recorded in the lab journal *before* it is created.
public enum LabObject: Sendable, Hashable, Codable, CustomStringConvertible {
    case directory(path: String)
    case file(path: String)
    /// A long-lived process: a node's or the switch's namespace holder.
    /// `pidFile` is written by the process itself as its first act, so a crash right after spawning
    /// still leaves its PID behind; `tag` is in its environment, to confirm its identity.
    case process(role: HolderRole, pidFile: String, tag: String)
    /// A namespace owned by a holder process; it ends when the last process in it ends.
    case namespace(role: HolderRole, kind: NamespaceKind)
    /// A mount inside a node's private mount namespace (it ends with that namespace).
    case mount(role: HolderRole, target: String)
    /// A link inside the lab's switch namespace (a bridge, or the switch end of a node's veth).
    case link(name: String, kind: String)
    /// A named network namespace (`/run/netns/NAME`) of a provider lab: an LXD member's, the members' switch, or
    /// the QEMU VMs'. Removed with `ip netns delete` after the processes in it have ended.
    case networkNamespace(name: String)
    /// A provider's long-lived process (an LXD member's daemon, a QEMU VM); the `created` record has its PID
    /// and start time, and it is killed only when both still match.
    case daemon(name: String)
    /// An LXD member: its daemon is asked to shut down (stopping its containers) before its process is killed.
    case lxdMember(index: Int, directory: String, networkNamespace: String)
    /// An LXD container; its cgroups (named after it in the host's hierarchy) are removed if left empty.
    case container(member: Int, name: String)
    /// An LXD daemon the user runs (`provider.endpoint`): lxc reaches it with the client configuration in
    /// `configDirectory`, from `networkNamespace` (nil: testbed's own). Only endpoint objects whose
    /// `user.testbed.lab` is `tag` are removed; the daemon itself is never started or stopped.
    case lxdEndpoint(configDirectory: String, networkNamespace: String?, tag: String)
    /// A container, network or image testbed made on that endpoint.
    case endpointObject(kind: EndpointObjectKind, name: String)
    /// A packet capture (`tcpdump`) a run started on a bridge of the switch namespace; like a holder, its
    /// `pidFile` is written by the process first, and `tag` is in its environment.
    case capture(bridge: String, pidFile: String, tag: String)

    public var description: String {
        switch self {
        case .directory(let path): "directory \(path)"
        case .file(let path): "file \(path)"
        case .process(let role, _, _): "process \(role)"
        case .namespace(let role, let kind): "\(kind) namespace of \(role)"
        case .mount(let role, let target): "mount \(target) in \(role)"
        case .link(let name, let kind): "\(kind) \(name) in the switch namespace"
        case .networkNamespace(let name): "network namespace \(name)"
        case .daemon(let name): "process \(name)"
        case .lxdMember(let index, _, _): "LXD member m\(index)"
        case .container(let member, let name): "container \(name) on m\(member)"
        case .lxdEndpoint(let directory, _, _): "LXD endpoint reached with \(directory)"
        case .endpointObject(let kind, let name): "\(kind.rawValue) \(name) on the LXD endpoint"
        case .capture(let bridge, _, _): "packet capture on \(bridge)"
        }
    }

    /// What testbed makes on a user's LXD endpoint.
    public enum EndpointObjectKind: String, Sendable, Hashable, Codable {
        case container, network, image
    }
}

/// A line of the lab journal.
struct LabJournalRecord: Sendable, Hashable, Codable {
    enum Event: String, Sendable, Codable {
        /// About to create the object.
        case intent
        /// The object exists; `pid`/`startTime`/`inode` say which one.
        case created
        /// The object is gone.
        case removed
        /// The lab is complete and usable.
        case complete
    }

    var event: Event
    var object: LabObject?
    var pid: Int32?
    var startTime: UInt64?
    var inode: UInt64?
    var time: Double
}

extension LabJournalRecord: CustomStringConvertible {
    /// The event and the object, e.g. `intent bridge seg0 in the switch namespace`.
    var description: String {
        object.map { "\(event.rawValue) \($0)" } ?? event.rawValue
    }
}
