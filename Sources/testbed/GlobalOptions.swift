public import ArgumentParser
public import Logging

/// Options every subcommand takes.
struct GlobalOptions: ParsableArguments {
    @Option(name: .long, help: "Log level on stderr: trace, debug, info, notice, warning, error.")
    var logLevel: Logger.Level = .notice

    /// Sets up logging once, to stderr, at the chosen level. Only the CLI does this.
    func bootstrap() -> Logger {
        LoggingBootstrap.once(level: logLevel)
        return Logger(label: "testbed")
    }
}

extension Logger.Level: @retroactive ExpressibleByArgument {}

enum LoggingBootstrap {
    nonisolated(unsafe) private static var done = false

    /// `LoggingSystem.bootstrap` may run once per process; commands run once per process too.
    static func once(level: Logger.Level) {
        guard !done else { return }
        done = true
        LoggingSystem.bootstrap { label in
            var handler = StreamLogHandler.standardError(label: label)
            handler.logLevel = level
            return handler
        }
    }
}

/// `-t/--topo FILE`.
struct TopologyOption: ParsableArguments {
    @Option(name: [.customShort("t"), .customLong("topo")], help: "The topology file.")
    var topology: String
}
