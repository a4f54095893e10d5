import Yams

/// Reading a plan's parameter declarations, checking values, and putting them into the plan's text. Pure.
///
/// Values go into commands as they are, never quoted, so only values that need no quoting anywhere — in bash,
/// inside single or double quotes, and in YAML plain or quoted scalars — are accepted: letters, digits and
/// `. _ / + = -` (not first). `${NAME}` of a name without a value is left as written (bash expands its own
/// variables).
public enum PlanParameters {
    /// The `parameters:` of a YAML plan, or none for other formats and plans without them.
    /// - Throws: `InputErrors` when the declarations themselves are malformed.
    public static func declarations(text: String, path: String) throws(InputErrors) -> [PlanParameter] {
        guard PlanSource.format(path: path, text: text) == .yaml, text.contains("parameters") else { return [] }
        let document = YAMLDocument(source: SourceText(path: path, text: text))
        guard case .mapping(let root)? = document.root,
            let node = root.first(where: { $0.key.string == "parameters" })?.value
        else { return [] }
        let none = Topology(name: "", nodes: [:], segments: [], sourcePath: path, contentHash: "")
        var reader = PlanReader(walker: YAMLWalker(document: document), topology: none)
        let declared = reader.readParameters(node)
        let errors = reader.walker.errors.filter { $0.severity == .error }
        guard errors.isEmpty else { throw InputErrors(errors) }
        return declared
    }

    /// Why `value` cannot be put into a command as it is, or nil when it can.
    public static func problem(with value: String) -> String? {
        if value.isEmpty { return "it is empty" }
        if value.count > 4096 { return "it is longer than 4096 characters" }
        if value.hasPrefix("-") { return "it starts with '-'" }
        if let bad = value.unicodeScalars.first(where: { !isAllowed($0) }) {
            let shown = bad == " " ? "a space" : bad.properties.isWhitespace ? "white space" : "'\(bad)'"
            return "it contains \(shown)"
        }
        return nil
    }

    static func isAllowed(_ scalar: Unicode.Scalar) -> Bool {
        Names.isASCIIAlphanumeric(scalar) || "._/+=-".unicodeScalars.contains(scalar)
    }

    static let allowedHint = "only letters, digits and . _ / + = - (not first) go into commands unquoted"

    /// `text` with the values put in, after checking every value that is used.
    /// - Throws: `InputErrors` naming each used value that cannot go into commands as it is, at its first use.
    public static func apply(_ values: [String: String], to text: String, path: String) throws(InputErrors) -> String {
        guard !values.isEmpty else { return text }
        let source = SourceText(path: path, text: text)
        var errors: [InputError] = []
        for name in references(in: text) {
            guard let value = values[name], let problem = problem(with: value) else { continue }
            let line = source.lines.firstIndex { $0.contains("${\(name)}") }.map { $0 + 1 } ?? 1
            let column =
                source.line(line).flatMap { $0.range(of: "${\(name)}") }.map {
                    (source.line(line) ?? "").unicodeScalars.distance(
                        from: (source.line(line) ?? "").unicodeScalars.startIndex, to: $0.lowerBound) + 1
                } ?? 1
            errors.append(
                source.error(
                    .invalidValue, "the value of \(name) ('\(value)') cannot go into commands: \(problem)",
                    line: line, column: column, hint: allowedHint))
        }
        guard errors.isEmpty else { throw InputErrors(errors) }
        return substitute(text, values: values)
    }

    /// `text` with every `${NAME}` whose NAME has a value replaced by it.
    public static func substitute(_ text: String, values: [String: String]) -> String {
        guard !values.isEmpty, text.contains("${") else { return text }
        var result = ""
        var rest = Substring(text)
        while let open = rest.range(of: "${") {
            result += rest[..<open.lowerBound]
            let after = rest[open.upperBound...]
            guard let close = after.firstIndex(of: "}"), let value = values[String(after[..<close])] else {
                result += "${"
                rest = after
                continue
            }
            result += value
            rest = after[after.index(after: close)...]
        }
        return result + rest
    }

    /// The names written `${NAME}` in `text`, in order of first use.
    public static func references(in text: String) -> [String] {
        var names: [String] = []
        var rest = Substring(text)
        while let open = rest.range(of: "${") {
            let after = rest[open.upperBound...]
            guard let close = after.firstIndex(of: "}") else { break }
            let name = String(after[..<close])
            if isName(name), !names.contains(name) { names.append(name) }
            rest = after[close...]
        }
        return names
    }

    /// Letters, digits and `_`, not starting with a digit (an environment variable's name).
    public static func isName(_ text: String) -> Bool { PlanReader.isEnvironmentName(text) && !text.isEmpty }
}

extension PlanReader {
    static let parameterKeys = ["about", "env", "default", "build"]

    /// `parameters: {NAME: {about, env, default, build}}`.
    mutating func readParameters(_ node: Yams.Node) -> [PlanParameter] {
        guard let entries = walker.mapping(node, "'parameters'") else { return [] }
        var declared: [PlanParameter] = []
        for entry in entries {
            guard PlanParameters.isName(entry.key), !PlanParameter.builtins.contains(entry.key) else {
                let builtin = PlanParameter.builtins.contains(entry.key)
                walker.error(
                    .invalidValue,
                    builtin
                        ? "'\(entry.key)' is given by testbed and cannot be declared"
                        : "'\(entry.key)' is not a parameter name",
                    at: entry.keyNode,
                    hint: builtin
                        ? "use ${\(entry.key)} without declaring it"
                        : "use letters, digits and '_', not starting with a digit (written ${NAME} in the plan)")
                continue
            }
            var parameter = PlanParameter(name: entry.key, location: walker.location(of: entry.keyNode))
            if case .mapping = entry.value, let keys = walker.mapping(entry.value, "'\(entry.key)'") {
                walker.rejectUnknownKeys(keys, allowed: Self.parameterKeys, in: "'\(entry.key)'")
                parameter.about = parameterText("about", in: keys)
                parameter.environment = parameterText("env", in: keys)
                parameter.defaultValue = parameterText("default", in: keys)
                parameter.build = parameterText("build", in: keys)
                readParameterChecks(parameter, keys: keys)
            } else if entry.value.null == nil {
                walker.error(
                    .wrongType, "parameter '\(entry.key)' must be a mapping", at: entry.value,
                    hint: "e.g. \(entry.key): {env: \(entry.key), about: what it is}")
                continue
            }
            declared.append(parameter)
        }
        return declared
    }

    private mutating func parameterText(_ key: String, in keys: [YAMLEntry]) -> String? {
        keys.first { $0.key == key }.flatMap { walker.nonEmptyString($0.value, "'\(key)'") }
    }

    private mutating func readParameterChecks(_ parameter: PlanParameter, keys: [YAMLEntry]) {
        if let env = parameter.environment, !PlanParameters.isName(env),
            let at = keys.first(where: { $0.key == "env" })
        {
            walker.error(
                .invalidValue, "'\(env)' is not an environment variable name", at: at.value,
                hint: "use letters, digits and '_', not starting with a digit")
        }
        if let value = parameter.defaultValue, let problem = PlanParameters.problem(with: value),
            let at = keys.first(where: { $0.key == "default" })
        {
            walker.error(
                .invalidValue, "the default of \(parameter.name) cannot go into commands: \(problem)", at: at.value,
                hint: PlanParameters.allowedHint)
        }
        if parameter.defaultValue != nil, parameter.build != nil, let at = keys.first(where: { $0.key == "build" }) {
            walker.error(
                .invalidValue, "parameter \(parameter.name) has both 'default' and 'build'", at: at.keyNode,
                hint: "keep one: a fixed default, or a program that finds or makes the value")
        }
    }
}
