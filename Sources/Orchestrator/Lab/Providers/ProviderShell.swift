import Foundation

/// Runs the system programs a provider lab is built with (`ip`, `lxc`, `lxd`, `qemu-img`, `ssh-keygen`), each
/// to completion, and turns a failure into a `LabError` that names the command and quotes its error output.
struct ProviderShell: Sendable {
    /// Extra `KEY=value` entries for every command (LXD_DIR and LXD_CONF of a member).
    var environment: [String] = []
    /// The network namespace file commands run in (through `nsenter --net=`), or nil for testbed's own.
    var networkNamespace: String?
    var timeout: Duration = .seconds(120)

    /// The absolute path of `program`.
    /// - Throws: `LabError.missingProgram` naming the Debian package.
    static func locate(_ program: String, package: String) throws(LabError) -> String {
        guard let path = ProcessEnvironment.which(program) else {
            throw LabError(
                .missingProgram, "the provider lab needs '\(program)', which is not installed",
                hint: "install it with Scripts/install-deps --cluster (Debian package \(package))")
        }
        return path
    }

    /// Runs `executable arguments` and returns its standard output.
    /// - Throws: `LabError.setupFailed` when it cannot start or exits with a failure.
    @discardableResult
    func run(_ executable: String, _ arguments: [String], input: [UInt8] = []) throws(LabError) -> String {
        let output = try runAllowingFailure(executable, arguments, input: input)
        guard output.status.isSuccess else {
            throw LabError.setup(
                "\(Self.describe(executable, arguments)) failed (\(output.status))",
                cause: output.stderrText.trimmingCharacters(in: .whitespacesAndNewlines))
        }
        return output.stdoutText
    }

    /// Runs the command and returns what it did, failure included.
    /// - Throws: `LabError.setupFailed` when it cannot be started.
    func runAllowingFailure(_ executable: String, _ arguments: [String], input: [UInt8] = []) throws(LabError)
        -> ProcessOutput
    {
        let (program, argv) = wrapped(executable, arguments)
        do {
            return try ProcessRunner.run(
                program, argv, input: input, timeout: timeout, environment: fullEnvironment)
        } catch {
            throw LabError.setup("cannot start \(Self.describe(executable, arguments))", cause: "\(error)")
        }
    }

    /// The program and arguments that run `executable` in the namespace.
    func wrapped(_ executable: String, _ arguments: [String]) -> (String, [String]) {
        guard let networkNamespace else { return (executable, arguments) }
        let nsenter = ProcessEnvironment.which("nsenter") ?? "/usr/bin/nsenter"
        return (nsenter, ["--net=\(networkNamespace)", "--", executable] + arguments)
    }

    /// The environment for commands: testbed's, with `environment` over it.
    var fullEnvironment: [String] {
        let keys = Set(environment.map { String($0.prefix { $0 != "=" }) })
        return ProcessEnvironment.current.filter { !keys.contains(String($0.prefix { $0 != "=" })) } + environment
    }

    /// `lxc launch …` for messages: the program's name and its first arguments.
    static func describe(_ executable: String, _ arguments: [String]) -> String {
        let name = (executable as NSString).lastPathComponent
        let shown = arguments.prefix(6).joined(separator: " ")
        return "`" + ([name, shown].filter { !$0.isEmpty }.joined(separator: " ")) + (arguments.count > 6 ? " …`" : "`")
    }
}
