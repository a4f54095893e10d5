import ArgumentParser

@main
struct Testbed: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "testbed",
        abstract: "Run documented multi-node network experiments as checked, ordered, fast plans.",
        discussion: """
            Exit codes: 0 ok, 1 a step or check failed, 2 invalid input or a refused request, \
            3 connection, authentication or host-key failure, 64 bad usage.
            """,
        version: "0.1.0",
        subcommands: [
            ValidateCommand.self, LabCommand.self, ExecCommand.self, RunCommand.self, ReplayCommand.self,
            CheckCommand.self, ImportCommand.self, RenderCommand.self, ReportCommand.self, GraphCommand.self,
            BenchCommand.self, CompileCommand.self, PreflightCommand.self, ResetCommand.self,
        ]
    )
}
