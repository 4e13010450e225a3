import ArgumentParser

/// `estbench fleet`: look into fleet files written by `run --save-fleet`.
struct FleetCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "fleet",
        abstract: "Inspect fleets of enrolled devices saved by run --save-fleet.",
        subcommands: [FleetInspectCommand.self]
    )
}
