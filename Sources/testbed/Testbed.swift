import ArgumentParser

@main
struct Testbed: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "testbed",
        abstract: "Run documented multi-node network experiments as checked, ordered, fast plans.",
        version: "0.1.0",
        subcommands: []
    )
}
