import Foundation

/// The machine and libraries a run used, so results from different hosts or builds can be told apart.
public struct RunEnvironment: Codable, Sendable, Equatable {
    /// OpenSSL's version text, e.g. "OpenSSL 3.0.13 30 Jan 2024".
    public var openSSLVersion: String
    /// libuv's version text, e.g. "1.48.0".
    public var libuvVersion: String
    /// /proc/cpuinfo's first "model name", or "unknown".
    public var cpuModel: String
    /// Logical CPUs available to the process.
    public var cpuCount: Int

    public init(openSSLVersion: String, libuvVersion: String, cpuModel: String, cpuCount: Int) {
        self.openSSLVersion = openSSLVersion
        self.libuvVersion = libuvVersion
        self.cpuModel = cpuModel
        self.cpuCount = cpuCount
    }

    /// This machine, with the library versions supplied by the modules that link them.
    public static func current(openSSLVersion: String, libuvVersion: String) -> RunEnvironment {
        let cpuinfo = (try? String(contentsOfFile: "/proc/cpuinfo", encoding: .utf8)) ?? ""
        return RunEnvironment(
            openSSLVersion: openSSLVersion, libuvVersion: libuvVersion,
            cpuModel: cpuModel(cpuinfo: cpuinfo) ?? "unknown",
            cpuCount: ProcessInfo.processInfo.activeProcessorCount
        )
    }

    /// The value of the first "model name" line of /proc/cpuinfo text.
    public static func cpuModel(cpuinfo: String) -> String? {
        for line in cpuinfo.split(separator: "\n") {
            let parts = line.split(separator: ":", maxSplits: 1)
            guard parts.count == 2, parts[0].trimmingCharacters(in: .whitespaces) == "model name" else { continue }
            return parts[1].trimmingCharacters(in: .whitespaces)
        }
        return nil
    }
}
