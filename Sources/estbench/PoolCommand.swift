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

/// `estbench pool generate`.
struct PoolGenerateCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "generate",
        abstract: "Generate N CSRs (a fresh key each by default) on all cores into a pool file (mode 0600).",
        discussion: """
        Patterns: {i} is the device index, {i:0N} the index zero-padded to N digits.
        --reuse-key signs every CSR with one key: fast, but many CAs refuse a second certificate \
        for a public key they have already certified.
        """
    )

    static let maximumCount = 10_000_000

    @Option(help: "Key type: \(KeyType.allowedNames).")
    var key: KeyType = .p256

    @Option(help: "Number of CSRs (1...\(maximumCount)).")
    var count: Int

    @Option(help: "Pool file to write (written to a temporary file, renamed at the end).")
    var out: String

    @Option(help: "Subject common name pattern.")
    var cn: String = "device-{i}"

    @Option(help: "Subject organization (O).")
    var o: String?

    @Option(help: "Subject organizational unit (OU).")
    var ou: String?

    @Option(name: .customLong("san-dns"), help: "DNS subject alternative name pattern (repeatable).")
    var sanDNS: [String] = []

    @Option(name: .customLong("san-uri"), help: "URI subject alternative name pattern (repeatable).")
    var sanURI: [String] = []

    @Option(name: .customLong("san-ip"), help: "IP address subject alternative name (repeatable).")
    var sanIP: [String] = []

    @Option(help: "Generator threads (default: one per core).")
    var threads: Int = WorkerThreads.coreCount

    @Flag(name: .customLong("reuse-key"), help: "Sign every CSR with one shared key.")
    var reuseKey = false

    func template() throws -> CSRTemplate {
        do {
            var subject: [(CSRTemplate.Attribute, FieldPattern)] = [(.commonName, try FieldPattern(cn))]
            if let o { subject.append((.organization, try FieldPattern(o))) }
            if let ou { subject.append((.organizationalUnit, try FieldPattern(ou))) }
            let t = CSRTemplate(subject: subject,
                                sanDNS: try sanDNS.map { (s) throws(PKIError) in try FieldPattern(s) },
                                sanURI: try sanURI.map { (s) throws(PKIError) in try FieldPattern(s) },
                                sanIP: try sanIP.map { (s) throws(PKIError) in try CSRTemplate.ipAddress(s) })
            try t.validate()
            return t
        } catch {
            throw CLIError.badInput(error.description)
        }
    }

    func run() throws {
        guard (1...Self.maximumCount).contains(count) else {
            throw CLIError.badInput("--count \(count) is out of range; allowed: 1...\(Self.maximumCount)")
        }
        guard (1...1024).contains(threads) else {
            throw CLIError.badInput("--threads \(threads) is out of range; allowed: 1...1024")
        }
        let template = try template()
        let progress = ProgressCounter()
        let bar = Console.stderrIsTerminal ? ProgressBar(total: count, label: "generating", counter: progress) : nil
        let report: PoolGenerator.Report
        do {
            report = try PoolGenerator.generate(to: out, keyType: key, template: template, count: count,
                                                threads: threads, reuseKey: reuseKey, progress: progress)
        } catch {
            bar?.finish()
            throw CLIError.from(error)
        }
        bar?.finish()
        let perThread = report.threads.enumerated()
            .map { "thread \($0.offset): \(Format.rate($0.element.perSecond))/s" }
            .joined(separator: ", ")
        Console.out("pool: \(report.count) \(key) CSRs in \(Format.seconds(report.elapsedNs)) — "
                    + "\(Format.rate(report.perSecond)) CSRs/s on \(report.threads.count) thread(s) (\(perThread))")
        Console.out("wrote \(out) (\(Format.bytes(report.bytes)), mode 0600)\(reuseKey ? "; one shared key" : "")")
    }
}

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
