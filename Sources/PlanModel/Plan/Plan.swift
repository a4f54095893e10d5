/// An ordered list of steps to run on the nodes of a topology: written in YAML, imported from a
/// documentation page, or imported from a replay script.
public struct Plan: Sendable, Hashable, Codable {
    /// Where a plan came from; renderers and reports use it to speak the source's language.
    public enum SourceKind: String, Sendable, Hashable, Codable {
        case yaml, page, script
        /// An interactive session file (`Terminale X:` sections of ssh commands), see `SessionImporter`.
        case session
    }

    public var title: String
    public var sourceKind: SourceKind
    /// The file the plan was read from, as the user gave it.
    public var sourcePath: String
    /// Prose before the first step (a page's introduction); kept, never run.
    public var notes: [Note]
    public var steps: [Step]

    public init(title: String, sourceKind: SourceKind, sourcePath: String, notes: [Note] = [], steps: [Step]) {
        self.title = title
        self.sourceKind = sourceKind
        self.sourcePath = sourcePath
        self.notes = notes
        self.steps = steps
    }

    /// The step with this id.
    public func step(id: String) -> Step? { steps.first { $0.id == id } }

    /// Every node the plan touches, in order of first use.
    public var nodes: [NodeName] {
        var seen: [NodeName] = []
        for step in steps {
            for node in step.nodes where !seen.contains(node) { seen.append(node) }
        }
        return seen
    }

    /// Number of command blocks, checks and commands, for summaries.
    public var counts: (steps: Int, blocks: Int, checks: Int, commands: Int) {
        var blocks = 0
        var checks = 0
        var commands = 0
        for step in steps {
            switch step.action {
            case .blocks(let list):
                blocks += list.count
                commands += list.reduce(0) { $0 + $1.commands.count }
            case .reach, .expect, .conform:
                checks += 1
            case .service:
                blocks += 1
            case .wait, .fault:
                break
            }
        }
        return (steps.count, blocks, checks, commands)
    }
}

/// Prose from a source (a paragraph, a navigation link, a comment): shown in reports and renders, never run.
public struct Note: Sendable, Hashable, Codable {
    public var text: String
    public var location: InputLocation?
    /// For a step's note: how many of the step's blocks (or its check) come before it in the source; nil when
    /// the note comes first. Lets a page render put prose back between the blocks it sat between.
    public var afterBlocks: Int?

    public init(text: String, location: InputLocation? = nil, afterBlocks: Int? = nil) {
        self.text = text
        self.location = location
        self.afterBlocks = afterBlocks
    }
}
