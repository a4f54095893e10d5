/// Commands to run on one node (optionally inside one of its network namespaces), kept line by line
/// exactly as the source wrote them, each line with its own source position.
public struct NodeBlock: Sendable, Hashable, Codable {
    /// The topology node name.
    public var node: NodeName
    /// Run inside `ip netns exec NETNS`; nil for the default namespace.
    public var netns: NamespaceName?
    /// The block's text, line by line, verbatim (blank lines and comments included).
    public var lines: [ScriptLine]
    /// Where the block was declared (a `**sistema X**` line, a YAML `node:` key, a heredoc start).
    public var location: InputLocation
    /// How the source named the node (`𝛽`, `beta`), to render it back the same way.
    public var label: String?

    public init(
        node: NodeName, netns: NamespaceName? = nil, lines: [ScriptLine], location: InputLocation, label: String? = nil
    ) {
        self.node = node
        self.netns = netns
        self.lines = lines
        self.location = location
        self.label = label
    }

    /// The script as the agent runs it: the lines joined with newlines.
    public var script: String { lines.map(\.text).joined(separator: "\n") }

    /// The commands of the block (comments and blank lines dropped, `\` continuations joined).
    public var commands: [Command] { ShellLines.commands(of: lines) }

    /// The source position of a 1-based line of `script` (as the agent reports a failing line).
    public func location(ofScriptLine line: Int) -> InputLocation? {
        guard line >= 1, line <= lines.count else { return nil }
        return lines[line - 1].location
    }

    /// The command containing a 1-based script line.
    public func command(atScriptLine line: Int) -> Command? {
        commands.last { $0.firstLine <= line }
    }
}

/// One line of a block as written, with where it came from.
public struct ScriptLine: Sendable, Hashable, Codable {
    public var text: String
    public var location: InputLocation

    public init(_ text: String, at location: InputLocation) {
        self.text = text
        self.location = location
    }
}

/// One shell command of a block: its text (continuation lines joined) and where it starts.
public struct Command: Sendable, Hashable, Codable, CustomStringConvertible {
    public var text: String
    public var location: InputLocation
    /// The 1-based line within the block's script where the command starts.
    public var firstLine: Int
    /// Number of script lines the command spans (more than 1 with `\` continuations).
    public var lineCount: Int

    public init(text: String, location: InputLocation, firstLine: Int, lineCount: Int = 1) {
        self.text = text
        self.location = location
        self.firstLine = firstLine
        self.lineCount = lineCount
    }

    public var description: String { text }
}
