import EventLoop
import Foundation
import Metrics

/// Connect failures that are estbench's own machine running out, not the server failing: file
/// descriptors (EMFILE for the process, ENFILE for the system), local ports toward one server
/// address (EADDRNOTAVAIL at connect), or a source address the machine lacks (EADDRNOTAVAIL at
/// bind). Each kind seen becomes one warning with its count and what to change, in the run's
/// warnings (console, result.json, report.html). A pure function of the counted reasons and the
/// machine's limits, read once at the end (`Limits.current`).
public enum ClientExhaustion {
    /// The machine's limits the advice quotes.
    public struct Limits: Sendable, Equatable {
        /// RLIMIT_NOFILE in force and its hard ceiling.
        public var softFiles: Int
        public var hardFiles: Int
        /// fs.file-max, nil where unknown.
        public var systemFiles: Int?
        /// net.ipv4.ip_local_port_range, nil where unknown.
        public var localPorts: ClosedRange<Int>?
        /// Addresses in `sourceAddresses` (0: the kernel picks one).
        public var sourceAddresses: Int
        /// The built-in server runs in this process and holds a descriptor per connection too.
        public var builtInServer: Bool

        public init(softFiles: Int, hardFiles: Int, systemFiles: Int?, localPorts: ClosedRange<Int>?, sourceAddresses: Int, builtInServer: Bool) {
            self.softFiles = softFiles
            self.hardFiles = hardFiles
            self.systemFiles = systemFiles
            self.localPorts = localPorts
            self.sourceAddresses = sourceAddresses
            self.builtInServer = builtInServer
        }

        /// This process's and this machine's limits now.
        public static func current(sourceAddresses: Int, builtInServer: Bool) -> Limits {
            Limits(softFiles: DescriptorLimit.current, hardFiles: DescriptorLimit.hard,
                   systemFiles: procNumbers("/proc/sys/fs/file-max").first,
                   localPorts: procNumbers("/proc/sys/net/ipv4/ip_local_port_range").withRange,
                   sourceAddresses: sourceAddresses, builtInServer: builtInServer)
        }

        private static func procNumbers(_ path: String) -> [Int] {
            guard let text = try? String(contentsOfFile: path, encoding: .utf8) else { return [] }
            return text.split(whereSeparator: \.isWhitespace).compactMap { Int($0) }
        }
    }

    /// The connect_error reason keys these warnings explain.
    public static let outOfDescriptors = "EMFILE"
    public static let systemOutOfDescriptors = "ENFILE"
    public static let outOfPorts = "EADDRNOTAVAIL"
    public static let sourceAddressMissing = "EADDRNOTAVAIL (bind)"

    /// One warning per kind of exhaustion among `operations`' connect errors, in a fixed order.
    public static func warnings(_ operations: [OperationMetrics], limits: Limits) -> [String] {
        var tallies: [String: CountedExample] = [:]
        for operation in operations {
            for (key, tally) in operation.reasons.byOutcome[Outcome.connectError.key] ?? [:] {
                if tallies[key] == nil { tallies[key] = tally } else { tallies[key]!.merge(tally) }
            }
        }
        var out: [String] = []
        if let t = tallies[outOfDescriptors] {
            let raise = limits.softFiles < limits.hardFiles
                ? "raise the soft limit (ulimit -n \(limits.hardFiles))"
                : "raise the hard limit (as root: ulimit -Hn, LimitNOFILE= under systemd, docker run --ulimit nofile=N:N)"
            out.append("out of file descriptors (EMFILE ×\(t.count)): the open-file limit is \(limits.softFiles) (hard \(limits.hardFiles)) "
                       + "and each open connection holds one\(limits.builtInServer ? " — the built-in server's as many again" : ""); "
                       + "lower the devices (devices.count, load.closed.devices, --devices) or \(raise)"
                       + (limits.builtInServer ? ", or run `estbench serve` as its own process" : ""))
        }
        if let t = tallies[systemOutOfDescriptors] {
            out.append("the system is out of file descriptors (ENFILE ×\(t.count)): fs.file-max is \(limits.systemFiles.map(String.init) ?? "unknown"); "
                       + "raise it (sysctl -w fs.file-max=N) or lower the devices")
        }
        if let t = tallies[outOfPorts] {
            let ports = limits.localPorts.map { "\($0.count) (net.ipv4.ip_local_port_range \($0.lowerBound) \($0.upperBound))" } ?? "limited"
            let sources = limits.sourceAddresses > 0 ? "\(limits.sourceAddresses) source address(es) now" : "none now"
            out.append("out of local ports (EADDRNOTAVAIL ×\(t.count), e.g. \(t.example)): the local ports from one source address to one "
                       + "server address are \(ports), and a closed connection keeps its port in TIME_WAIT for a minute; "
                       + "spread the devices over source addresses (sourceAddresses: 127.0.0.2-127.0.0.64 in the profile, or run "
                       + "--source-addresses; \(sources); Profiles/README.md), keep connections alive (connection.keepAlive), "
                       + "or widen net.ipv4.ip_local_port_range")
        }
        if let t = tallies[sourceAddressMissing] {
            out.append("a source address is not on this machine (EADDRNOTAVAIL at bind ×\(t.count), e.g. \(t.example)): "
                       + "sourceAddresses must be addresses of this machine's interfaces (on loopback all of 127.0.0.0/8 are)")
        }
        return out
    }
}

private extension Array where Element == Int {
    /// The first two numbers as a range, when they make one.
    var withRange: ClosedRange<Int>? { count == 2 && self[0] <= self[1] ? self[0] ... self[1] : nil }
}
