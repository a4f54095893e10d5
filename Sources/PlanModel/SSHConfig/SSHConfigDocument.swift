/// A parsed OpenSSH `ssh_config` file (with its `Include`s read in place), ready to answer "how is host X
/// reached?" by ``resolve(host:)``.
///
/// Parsing checks every line and throws every problem at once, located; values that depend on the host (`%h`
/// and the like) are expanded when a host is resolved.
public struct SSHConfigDocument: Sendable, Hashable {
    /// A directive that applied to a host but that testbed does not act on.
    public struct IgnoredDirective: Sendable, Hashable, CustomStringConvertible {
        public var keyword: String
        public var location: InputLocation
        public var reason: String

        public var description: String { "\(location): \(keyword) ignored: \(reason)" }
    }

    /// What the parser needs to know about the local side.
    public struct Context: Sendable, Hashable {
        /// The local user's home directory: `~` and `%d`.
        public var homeDirectory: String
        /// The local user name: `%u`, and `%r` when no `User` is given.
        public var localUser: String
        /// Where relative `Include` paths start: `~/.ssh` for a user's file, `/etc/ssh` for the system's.
        public var includeDirectory: String

        public init(homeDirectory: String, localUser: String, includeDirectory: String? = nil) {
            self.homeDirectory = homeDirectory
            self.localUser = localUser
            self.includeDirectory = includeDirectory ?? homeDirectory + "/.ssh"
        }
    }

    /// A `Match` criterion: `all`, or `host|originalhost|user|localuser PATTERNS`, possibly negated.
    struct MatchCriterion: Sendable, Hashable {
        var name: String
        var patterns: [SSHHostPattern]
        var isNegated: Bool
    }

    /// One line that matters to evaluation.
    indirect enum Entry: Sendable, Hashable {
        case host([SSHHostPattern], InputLocation)
        /// Criteria; nil when a criterion is one testbed does not evaluate (the block then never applies).
        case match([MatchCriterion]?, InputLocation, unsupported: String?)
        case directive(Directive)
        case include([SSHConfigDocument], InputLocation)
    }

    /// A keyword line with its checked value.
    struct Directive: Sendable, Hashable {
        var keyword: String
        var value: SSHConfigValue
        var location: InputLocation
    }

    public let path: String
    let entries: [Entry]
    public let context: Context

    /// The deepest `Include` nesting OpenSSH accepts.
    static let maximumIncludeDepth = 16

    /// Reads a file from disk, with its includes.
    /// - Throws: `InputErrors`, every problem of the file and its includes.
    public static func load(path: String, context: Context, source: any SSHConfigSource = SSHConfigFileSystem())
        throws(InputErrors) -> SSHConfigDocument
    {
        let text = try InputFile.text(at: path)
        return try parse(text, path: path, context: context, source: source)
    }

    /// Parses text, reading its includes from `source`.
    /// - Throws: `InputErrors`, every problem of the text and its includes.
    public static func parse(
        _ text: String, path: String, context: Context, source: any SSHConfigSource = SSHConfigFileSystem()
    ) throws(InputErrors) -> SSHConfigDocument {
        var errors: [InputError] = []
        let document = parse(text, path: path, context: context, source: source, depth: 0, errors: &errors)
        if !errors.isEmpty { throw InputErrors(errors) }
        return document
    }

    private init(path: String, entries: [Entry], context: Context) {
        self.path = path
        self.entries = entries
        self.context = context
    }

    static func parse(
        _ text: String, path: String, context: Context, source: any SSHConfigSource, depth: Int,
        errors: inout [InputError]
    ) -> SSHConfigDocument {
        let sourceText = SourceText(path: path, text: text)
        var entries: [Entry] = []
        for (offset, rawLine) in sourceText.lines.enumerated() {
            let number = offset + 1
            let line: SSHConfigLine
            do {
                guard let parsed = try SSHConfigLine.parse(rawLine, lineNumber: number) else { continue }
                line = parsed
            } catch {
                errors.append(
                    sourceText.error(.unterminated, error.message, line: number, column: error.column, hint: error.hint)
                )
                continue
            }
            var reader = SSHConfigLineReader(line: line, source: sourceText, context: context)
            switch line.name {
            case "host":
                if let patterns = reader.hostPatterns() { entries.append(.host(patterns, reader.location)) }
            case "match":
                if let (criteria, unsupported) = reader.matchCriteria() {
                    entries.append(.match(criteria, reader.location, unsupported: unsupported))
                }
            case "include":
                if let included = include(&reader, source: source, depth: depth, errors: &errors) {
                    entries.append(.include(included, reader.location))
                }
            default:
                if let value = reader.value() {
                    entries.append(
                        .directive(Directive(keyword: line.keyword, value: value, location: reader.location)))
                }
            }
            errors += reader.errors
        }
        return SSHConfigDocument(path: path, entries: entries, context: context)
    }

    /// Reads the files an `Include` line names.
    private static func include(
        _ reader: inout SSHConfigLineReader, source: any SSHConfigSource, depth: Int, errors: inout [InputError]
    ) -> [SSHConfigDocument]? {
        guard let words = reader.requireArguments() else { return nil }
        guard depth < maximumIncludeDepth else {
            reader.fail(
                .invalidValue, "Include is nested more than \(maximumIncludeDepth) deep", word: words[0],
                hint: "an included file includes itself, directly or through others; break the loop")
            return nil
        }
        var documents: [SSHConfigDocument] = []
        for word in words {
            let expanded = SSHConfigTokens.expandTilde(word.text, home: reader.context.homeDirectory)
            let pattern = expanded.hasPrefix("/") ? expanded : reader.context.includeDirectory + "/" + expanded
            for (path, text) in source.files(matching: pattern) {
                guard let text else {
                    reader.fail(
                        .unreadable, "cannot read the included file '\(path)'", word: word,
                        hint: "check its permissions, and that it is UTF-8 text")
                    continue
                }
                documents.append(
                    parse(text, path: path, context: reader.context, source: source, depth: depth + 1, errors: &errors))
            }
        }
        return documents
    }
}
