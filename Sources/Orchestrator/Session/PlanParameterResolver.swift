import Foundation
public import PlanModel

/// Finds the values of a plan's parameters before it is read: `--define NAME=VALUE` first, then the environment
/// variable the declaration names, then its default, then its `build` program — run here, on the controller,
/// without a shell and without arguments, from the plan's directory, its stderr shown as it comes; the last
/// line it prints is the value. `PLAN_DIR` is always the plan's absolute directory.
///
/// A `build` program runs with testbed's rights, like a Makefile's recipe: only run plans you trust. It never
/// runs when `runsPrograms` is false (`--dry-run`); the parameter then keeps its `${NAME}`.
public struct PlanParameterResolver: Sendable {
    public var defines: [String: String]
    public var environment: [String: String]
    public var runsPrograms: Bool
    /// How long a build program may take.
    public var buildTimeout: Duration = .seconds(3600)

    public init(defines: [String: String], environment: [String: String], runsPrograms: Bool = true) {
        self.defines = defines
        self.environment = environment
        self.runsPrograms = runsPrograms
    }

    /// `KEY=value` strings (`ProcessEnvironment.current`) as a dictionary.
    public static func dictionary(_ entries: [String]) -> [String: String] {
        var result: [String: String] = [:]
        for entry in entries {
            guard let equals = entry.firstIndex(of: "=") else { continue }
            result[String(entry[..<equals])] = String(entry[entry.index(after: equals)...])
        }
        return result
    }

    /// The values for the plan at `path`.
    /// - Parameter notice: Told when a build program starts, and where each value came from.
    /// - Throws: `InputErrors`: a `--define` of a name a YAML plan does not declare, a declared parameter the
    ///   plan uses without any value, a build program that fails.
    public func resolve(planAt path: String, text: String, notice: (String) -> Void) throws(InputErrors)
        -> [String: String]
    {
        let declared = try PlanParameters.declarations(text: text, path: path)
        let isYAML = PlanSource.format(path: path, text: text) == .yaml
        let directory = URL(fileURLWithPath: path).standardizedFileURL.deletingLastPathComponent().path
        var values = ["PLAN_DIR": directory]
        var errors: [InputError] = []
        let source = SourceText(path: path, text: text)
        for (name, value) in defines.sorted(by: { $0.key < $1.key }) {
            if isYAML, !declared.contains(where: { $0.name == name }) {
                errors.append(
                    source.error(
                        .unknownReference, "--define \(name)=… names no parameter of this plan", line: 1,
                        hint: declared.isEmpty
                            ? "the plan declares no 'parameters'"
                            : "its parameters: \(declared.map(\.name).joined(separator: ", "))"))
            }
            values[name] = value
        }
        let used = Set(PlanParameters.references(in: text))
        for parameter in declared where values[parameter.name] == nil {
            if let env = parameter.environment, let value = environment[env], !value.isEmpty {
                values[parameter.name] = value
            } else if let value = parameter.defaultValue {
                values[parameter.name] = value
            } else if let build = parameter.build, runsPrograms, used.contains(parameter.name) {
                do {
                    values[parameter.name] = try run(build, for: parameter, directory: directory, notice: notice)
                } catch {
                    errors += error.errors
                }
            } else if runsPrograms, used.contains(parameter.name) {
                errors.append(missing(parameter, source: source))
            }
        }
        guard errors.isEmpty else { throw InputErrors(errors) }
        return values
    }

    private func missing(_ parameter: PlanParameter, source: SourceText) -> InputError {
        let ways = ["--define \(parameter.name)=VALUE"] + (parameter.environment.map { ["set $\($0)"] } ?? [])
        return InputError(
            .missingKey, "parameter \(parameter.name) has no value", at: parameter.location,
            hint: ways.joined(separator: " or ") + (parameter.about.map { " (\($0))" } ?? ""),
            sourceLine: source.line(parameter.location.line))
    }

    /// Runs a build program and returns the last line it printed.
    private func run(_ program: String, for parameter: PlanParameter, directory: String, notice: (String) -> Void)
        throws(InputErrors) -> String
    {
        let executable = program.hasPrefix("/") ? program : directory + "/" + program
        let fail = { (message: String, hint: String) in
            InputErrors([InputError(.unreadable, message, at: parameter.location, hint: hint)])
        }
        guard FileManager.default.isExecutableFile(atPath: executable) else {
            throw fail(
                "parameter \(parameter.name): the build program \(program) is not an executable file",
                "give the value with --define \(parameter.name)=VALUE")
        }
        notice(
            "parameter \(parameter.name): running \(program) (no --define \(parameter.name)"
                + (parameter.environment.map { " and no $\($0)" } ?? "") + ")")
        let outputPath = FileManager.default.temporaryDirectory.path + "/testbed-parameter-\(UUID().uuidString)"
        defer { try? FileManager.default.removeItem(atPath: outputPath) }
        let status: ExitStatus
        do {
            let child = try ChildProcess(
                executable: executable, arguments: [],
                options: .init(stdout: .file(path: outputPath, append: false), stderr: .inherit))
            status = child.wait(until: .now + buildTimeout)
        } catch {
            throw fail("parameter \(parameter.name): \(program) cannot be started: \(error)", "check the program")
        }
        let output = (try? String(contentsOfFile: outputPath, encoding: .utf8)) ?? ""
        guard status.isSuccess else {
            throw fail(
                "parameter \(parameter.name): \(program) ended with \(status)",
                "run it by hand to see why, or give --define \(parameter.name)=VALUE")
        }
        guard let value = output.split(separator: "\n").last.map(String.init), !value.isEmpty else {
            throw fail(
                "parameter \(parameter.name): \(program) printed nothing", "it must print the value as its last line")
        }
        notice("parameter \(parameter.name) = \(value)")
        return value
    }
}
