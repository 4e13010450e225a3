import ArgumentParser
import Foundation
import PKI
import TLS

/// `estbench bench`: in-process hot-path benchmarks, each printed beside its baseline from the same run.
struct BenchCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "bench",
        abstract: "Measure a hot path in process, beside its baseline, as ratios.",
        subcommands: [BenchCSRCommand.self, BenchDERCommand.self, BenchPKCS7Command.self, BenchHandshakeCommand.self, BenchIssueCommand.self,
                      BenchCalibrateCommand.self]
    )
}

/// Options every bench command shares.
struct BenchOptions: ParsableArguments {
    @Option(help: "Interleaved rounds; the median is reported (1...100).")
    var rounds: Int = 5

    @Flag(help: "Print one JSON document with every row instead of a table.")
    var json = false

    func validate() throws {
        guard (1...100).contains(rounds) else {
            throw ValidationError("--rounds \(rounds) is out of range; allowed: 1...100")
        }
    }
}

/// Which key types `bench csr` covers.
enum BenchKeyChoice: String, ExpressibleByArgument, CaseIterable {
    case p256, p384, rsa2048, ed25519, all

    var keyTypes: [KeyType] {
        switch self {
        case .p256: return [.p256]
        case .p384: return [.p384]
        case .rsa2048: return [.rsa2048]
        case .ed25519: return [.ed25519]
        case .all: return [.p256, .p384, .rsa2048, .ed25519]
        }
    }
}

/// `bench csr`: the CSR hot path per key type.
struct BenchCSRCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "csr",
        abstract: "CSR building: raw signature, our DER path (reused and fresh keys), OpenSSL's X509_REQ path."
    )

    @Option(help: "Key type: p256, p384, rsa2048, ed25519 or all.")
    var key: BenchKeyChoice = .all

    @Flag(name: .customLong("rsa-keygen"),
          help: "Also time RSA-2048 key generation (the fresh-key rows): ~40 s of CPU more, each key taking ~0.13 s and varying ±50%.")
    var rsaKeygen = false

    @OptionGroup var options: BenchOptions

    func validate() throws {
        guard !rsaKeygen || key.keyTypes.contains(.rsa2048) else {
            throw ValidationError("--rsa-keygen needs RSA in --key; allowed with: rsa2048, all")
        }
    }

    func run() throws {
        var rows: [BenchmarkRow] = []
        for type in key.keyTypes {
            let freshKeys = CSRBenchmark.freshKeysByDefault(type) || rsaKeygen
            let r = try BenchReport.measure {
                try CSRBenchmark.run(keyType: type, rounds: options.rounds, freshKeys: freshKeys,
                                     progress: BenchReport.progress("csr", "\(type)"))
            }
            rows += r
            if !options.json {
                BenchReport.printTable(r.filter { $0.name != CSRBenchmark.speedupName }, header: rows.count == r.count)
                if let speedup = r.first(where: { $0.name == CSRBenchmark.speedupName })?.ratio {
                    Console.out("  \(type): our CSR path (reused key) is \(Format.fixed(speedup, 1))x OpenSSL's X509_REQ path")
                }
            }
        }
        if options.json { BenchReport.printJSON(benchmark: "csr", rows: rows) }
    }
}

/// A bench command with one measurement and no options of its own.
protocol SingleBenchCommand: ParsableCommand {
    static var benchmarkName: String { get }
    var options: BenchOptions { get }
    func measure(progress: @escaping BenchmarkProgress) throws -> [BenchmarkRow]
}

extension SingleBenchCommand {
    func run() throws {
        let rows = try BenchReport.measure { try measure(progress: BenchReport.progress(Self.benchmarkName, "p256")) }
        if options.json {
            BenchReport.printJSON(benchmark: Self.benchmarkName, rows: rows)
        } else {
            BenchReport.printTable(rows, header: true)
        }
    }
}

/// `bench der`: one CertificationRequestInfo encode.
struct BenchDERCommand: SingleBenchCommand {
    static let configuration = CommandConfiguration(
        commandName: "der",
        abstract: "One P-256 CertificationRequestInfo encode: ours vs OpenSSL's i2d_re_X509_REQ_tbs."
    )
    static let benchmarkName = "der"

    @OptionGroup var options: BenchOptions

    func measure(progress: @escaping BenchmarkProgress) throws -> [BenchmarkRow] {
        try DEREncodeBenchmark.run(rounds: options.rounds, progress: progress)
    }
}

/// `bench pkcs7`: issued-certificate extraction from certs-only PKCS#7.
struct BenchPKCS7Command: SingleBenchCommand {
    static let configuration = CommandConfiguration(
        commandName: "pkcs7",
        abstract: "Issued-certificate extraction + key match from certs-only PKCS#7: ours vs d2i_PKCS7."
    )
    static let benchmarkName = "pkcs7"

    @OptionGroup var options: BenchOptions

    func measure(progress: @escaping BenchmarkProgress) throws -> [BenchmarkRow] {
        try CertsOnlyBenchmark.run(rounds: options.rounds, progress: progress)
    }
}

/// `bench handshake`: in-memory TLS handshakes beside a raw signature.
struct BenchHandshakeCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "handshake",
        abstract: "TLS 1.3 / 1.2 handshakes (client + server, in memory, resumption off/on) beside one raw signature."
    )

    @Option(help: "Server key type: p256, rsa2048, ed25519 or all.")
    var key: BenchKeyChoice = .all

    @OptionGroup var options: BenchOptions

    func validate() throws {
        guard key != .p384 else { throw ValidationError("--key p384 is not measured here; allowed: p256, rsa2048, ed25519, all") }
    }

    func run() throws {
        var rows: [BenchmarkRow] = []
        for type in key.keyTypes where HandshakeBenchmark.serverKeyTypes.contains(type) {
            let r = try BenchReport.measure { try HandshakeBenchmark.run(keyType: type, rounds: options.rounds, progress: BenchReport.progress("handshake", "\(type)")) }
            rows += r
            if !options.json {
                BenchReport.printTable(r, header: rows.count == r.count)
                for row in r.dropFirst() {
                    guard let ratio = row.ratio, ratio > 0 else { continue }
                    if row.baseline == "raw-sign" {
                        Console.out("  \(type) \(row.name): one handshake costs \(Format.fixed(1 / ratio, 1)) raw signatures")
                    } else if let baseline = row.baseline {
                        Console.out("  \(type) \(row.name): \(Format.fixed(1 / ratio, 2))x the time of \(baseline) (verification answered from the cache)")
                    }
                }
            }
        }
        if options.json { BenchReport.printJSON(benchmark: "handshake", rows: rows) }
    }
}

/// Which CA key types `bench issue` covers.
enum BenchCAKeyChoice: String, ExpressibleByArgument, CaseIterable {
    case p256, p384, rsa2048, ed25519, all

    var keyTypes: [KeyType] {
        self == .all ? [.p256, .p384, .rsa2048, .ed25519] : [KeyType(rawValue: rawValue)!]
    }
}

/// `bench issue`: the server's certificate issuance path.
struct BenchIssueCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "issue",
        abstract: "The server's issuance path (CSR parse + verify + TBSCertificate + sign + PKCS#7) beside verify+sign and OpenSSL's X509 path."
    )

    @Option(name: .customLong("ca-key"), help: "CA key type: p256, p384, rsa2048, ed25519 or all.")
    var caKey: BenchCAKeyChoice = .all

    @OptionGroup var options: BenchOptions

    func run() throws {
        var rows: [BenchmarkRow] = []
        for type in caKey.keyTypes {
            let r = try BenchReport.measure { try IssueBenchmark.run(caKeyType: type, rounds: options.rounds, progress: BenchReport.progress("issue", "\(type)")) }
            rows += r
            if !options.json { BenchReport.printTable(r, header: rows.count == r.count) }
        }
        if options.json { BenchReport.printJSON(benchmark: "issue", rows: rows) }
    }
}
