import ArgumentParser
import PKI

/// `estbench pool inspect`.
struct PoolInspectCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "inspect",
        abstract: "Print a pool file's header and one CSR as PEM (openssl req -text -verify reads it)."
    )

    @Argument(help: "The pool file.")
    var file: String

    @Option(help: "Which CSR to print (0-based).")
    var index: Int = 0

    @Flag(help: "Load every key on all cores, check each against its CSR, and report keys/s.")
    var load = false

    func run() throws {
        let contents: PoolFile.Contents
        do {
            contents = try PoolFile.parse(try PrivateFileWriter.readAll(path: file))
        } catch {
            throw CLIError.from(error)
        }
        let header = contents.header
        guard index >= 0 && index < contents.entries.count else {
            throw CLIError.badInput(PoolFileError.indexOutOfRange(index: index, count: contents.entries.count).description)
        }
        Console.out("pool file: \(file)")
        Console.out("version: \(PoolFile.version)")
        Console.out("key type: \(header.keyType)")
        Console.out("entries: \(header.count)")
        Console.out("shared key: \(header.sharedKey ? "yes" : "no")")
        for line in header.template.text.split(separator: "\n") {
            let redacted = line.hasPrefix("challengePassword=") ? "challengePassword=(set, not shown)" : String(line)
            Console.out("template: \(redacted)")
        }
        if load {
            let pool: CSRPool
            do { pool = try CSRPool.load(path: file) } catch { throw CLIError.from(error) }
            let rate = Double(pool.count) * 1e9 / Double(max(pool.loadNs, 1))
            Console.out("loaded: \(pool.count) keys in \(Format.seconds(pool.loadNs)) (\(Format.rate(rate)) keys/s, "
                        + "\(WorkerThreads.coreCount) threads); every key matches its CSR")
        }
        Console.out("entry \(index):")
        if header.template.challengePassword != nil {
            Console.out("note: this CSR carries the template's challengePassword in clear, as every CSR of this pool does")
        }
        Console.write(1, PEM.encode(contents.entries[index].csr, label: "CERTIFICATE REQUEST"))
    }
}
