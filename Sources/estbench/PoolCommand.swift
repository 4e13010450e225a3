import ArgumentParser
import PKI

/// `estbench pool`: make and look into CSR pool files.
struct PoolCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "pool",
        abstract: "Generate and inspect pools of pre-built CSRs with their private keys.",
        subcommands: [PoolGenerateCommand.self, PoolInspectCommand.self]
    )
}

extension KeyType: ExpressibleByArgument {}
