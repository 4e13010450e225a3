import ArgumentParser
import Foundation
import PKI

/// `estbench fleet inspect`: counts, issuers and validity spread of a saved fleet.
struct FleetInspectCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "inspect",
        abstract: "Print a fleet file's device counts, certificate issuers and validity spread."
    )

    @Argument(help: "The fleet file (run --save-fleet).")
    var file: String

    func run() throws {
        let fleet: Fleet
        do { fleet = try Fleet.load(path: file) } catch { throw CLIError.badInput("\(error)") }
        Console.out("fleet file: \(file)")
        Console.out("chain: \(fleet.chain.count) CA certificate(s)")
        for line in FleetSummary(fleet, nowUnixSeconds: Int64(Date().timeIntervalSince1970)).lines { Console.out(line) }
    }
}
