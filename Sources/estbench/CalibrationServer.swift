import Foundation
import Glibc

/// The server `bench calibrate` measures against: a child `estbench serve --threads 1` on 127.0.0.1
/// (port chosen by the kernel) with a fresh CA in the calibration's folder. A child, not a server in
/// this process, so that its CPU time is its own, apart from the clients'.
struct CalibrationServer {
    let child: SpawnedChild
    let port: UInt16
    /// The CA bundle (root, PEM) the clients trust.
    let bundle: String
    let output: String

    /// Starts the server and waits (at most 60 s) until it says where it listens.
    static func start(in folder: String) throws -> CalibrationServer {
        let output = folder + "/serve.out"
        let ca = folder + "/ca"
        // --duration only bounds a server whose calibration died; calibrate stops it.
        let child = try SpawnedChild.start(ChildRuns.executable.path,
                                           ["serve", "--threads", "1", "--listen", "127.0.0.1:0", "--ca-dir", ca, "--duration", "1800"],
                                           stdout: output, stderr: folder + "/serve.err")
        let deadline = Date().addingTimeInterval(60)
        while Date() < deadline {
            let text = (try? String(contentsOfFile: output, encoding: .utf8)) ?? ""
            if let port = text.split(separator: "\n").lazy.compactMap(listeningPort).first {
                return CalibrationServer(child: child, port: port, bundle: ca + "/cacerts.pem", output: output)
            }
            var status: Int32 = 0
            if waitpid(child.pid, &status, WNOHANG) == child.pid {
                let said = ((try? String(contentsOfFile: folder + "/serve.err", encoding: .utf8)) ?? "") + text
                throw CLIError.failed("estbench serve did not start: \(said.trimmingCharacters(in: .whitespacesAndNewlines))")
            }
            usleep(20_000)
        }
        child.signal(SIGKILL)
        _ = child.wait(timeoutSeconds: 5)
        throw CLIError.failed("estbench serve did not say where it listens within 60 s (see \(output))")
    }

    /// "estbench serve: https://127.0.0.1:PORT/.well-known/est/ — …" → PORT.
    static func listeningPort(_ line: Substring) -> UInt16? {
        let prefix = "estbench serve: https://127.0.0.1:"
        guard line.hasPrefix(prefix) else { return nil }
        return line.dropFirst(prefix.count).split(separator: "/").first.flatMap { UInt16($0) }
    }

    var url: String { "https://127.0.0.1:\(port)" }
    var enrollURL: String { url + "/.well-known/est/simpleenroll" }

    /// The server's CPU time so far, ns.
    func cpuNs() throws -> UInt64 { try alive(child.cpuNs()) }

    /// The kernel's part of the server's CPU time so far, ns (to the clock tick).
    func systemNs() throws -> UInt64 { try alive(child.systemCPUNs()) }

    /// A reading of the server process, which is nil only once it is gone.
    private func alive(_ reading: UInt64?) throws -> UInt64 {
        guard let reading else { throw CLIError.failed("estbench serve (pid \(child.pid)) is gone: \(CalibrationClients.tail(output))") }
        return reading
    }

    /// SIGTERM and wait (at most 30 s).
    func stop() {
        child.signal(SIGTERM)
        _ = child.wait(timeoutSeconds: 30)
    }
}
