import ArgumentParser
import PKI

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
