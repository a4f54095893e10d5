/// An interactive session in the author's style, read into located items (not yet plan steps).
///
/// ```
/// Terminale 1:                                          → a terminal section
/// ssh beta qspnclient -i eth1 -k init 4.2.2.2 1.0.1.0   → its only command: a long-running service on beta
///
/// Terminale 3:                                          → a terminal section with commands
/// ssh beta qspnclient add_real_arc 00:16:3E:EC:A3:E1 00:16:3E:5B:78:D5 1000   → a one-line block of beta
/// cat <<EOF | ssh beta bash                             → a heredoc block of beta, its lines kept
/// qspnclient enter_net_phase_1 0 4379845
/// EOF
/// sleep 2                                               → a wait
/// ssh gamma qspnclient add_qspn_arc 0 eth1 00:16:3E:EC:A3:E1 &   → blocks ending in `&` start together
/// ssh beta qspnclient add_qspn_arc 0 eth1 00:16:3E:5B:78:D5 &
/// wait                                                  → (optional) the group ends here
/// ssh beta qspnclient show_local_identities             → trailing `show_*` commands: output checks
/// ```
public struct SessionScript: Sendable, Hashable {
    public var path: String
    /// Lines before the first terminal section (a title, prose), kept as notes.
    public var preamble: [SessionNote]
    public var items: [SessionItem]
    /// Problems that did not stop the read (a `wait` with nothing to wait for), sorted by position.
    public var warnings: [InputError]

    public init(path: String, preamble: [SessionNote] = [], items: [SessionItem], warnings: [InputError] = []) {
        self.path = path
        self.preamble = preamble
        self.items = items
        self.warnings = warnings
    }

    /// The services, in the order they are started.
    public var services: [SessionService] {
        items.compactMap { if case .service(let service) = $0 { service } else { nil } }
    }
}

/// One thing the session does, in file order.
public enum SessionItem: Sendable, Hashable {
    /// A long-running program started in its own terminal.
    case service(SessionService)
    /// A block of commands on one node, waited for before the next item.
    case block(SessionBlock)
    /// Blocks started together (each ended in `&`); `awaited` when a `wait` line closed the group.
    case together([SessionBlock], awaited: Bool, location: InputLocation)
    /// A fixed pause the author put in (`sleep N`); drive mode should replace it with a condition.
    case wait(seconds: Double, location: InputLocation)
    /// A `show_*` command at the end of a commands section: its output is what the session checks.
    case outputCheck(SessionBlock)
    /// An `echo` title or a comment inside a section.
    case note(SessionNote)
}

public struct SessionService: Sendable, Hashable {
    /// The terminal's label as written (`1`, `beta`, `A`).
    public var terminal: String
    public var node: String
    /// The command run on the node, as ssh sends it (words joined by spaces).
    public var command: String
    /// The program started (`qspnclient`), after any `VAR=value` assignments.
    public var program: String
    public var location: InputLocation

    public init(terminal: String, node: String, command: String, program: String, location: InputLocation) {
        self.terminal = terminal
        self.node = node
        self.command = command
        self.program = program
        self.location = location
    }
}

public struct SessionBlock: Sendable, Hashable {
    public enum Form: Sendable, Hashable {
        /// `ssh NODE cmd …`
        case oneLiner
        /// `cat <<EOF | ssh NODE bash` … `EOF`
        case heredoc
    }

    public var terminal: String
    public var node: String
    public var form: Form
    /// The commands run on the node, each with the line it came from.
    public var lines: [SessionLine]
    /// The `ssh` (or `cat <<EOF`) line.
    public var location: InputLocation

    public init(terminal: String, node: String, form: Form, lines: [SessionLine], location: InputLocation) {
        self.terminal = terminal
        self.node = node
        self.form = form
        self.lines = lines
        self.location = location
    }
}

public struct SessionLine: Sendable, Hashable {
    public var text: String
    public var location: InputLocation

    public init(text: String, location: InputLocation) {
        self.text = text
        self.location = location
    }
}

public struct SessionNote: Sendable, Hashable {
    public var text: String
    public var location: InputLocation

    public init(text: String, location: InputLocation) {
        self.text = text
        self.location = location
    }
}
