/// A figure over a calibration's pairs: its median and its range.
struct CalibrationSpread: Encodable, Equatable {
    let median: Double
    let min: Double
    let max: Double

    init(_ values: [Double]) {
        let s = values.sorted()
        median = s.isEmpty ? 0 : s.count % 2 == 1 ? s[s.count / 2] : (s[s.count / 2 - 1] + s[s.count / 2]) / 2
        min = s.first ?? 0
        max = s.last ?? 0
    }

    /// "1.23 (1.10–1.40)".
    func text(_ decimals: Int) -> String {
        "\(Format.fixed(median, decimals)) (\(Format.fixed(min, decimals))–\(Format.fixed(max, decimals)))"
    }
}

/// One mode's calibration: every pair's runs and the figures over the pairs.
struct CalibrationSummary: Encodable {
    let mode: CalibrationMode
    let requests: Int
    /// h2load's runs and estbench's, pair i at index i.
    let h2load: [CalibrationRun]
    let estbench: [CalibrationRun]
    let h2loadUsPerRequest: CalibrationSpread
    let estbenchUsPerOperation: CalibrationSpread
    let estbenchProcessUsPerOperation: CalibrationSpread
    /// estbench's CPU per operation over h2load's per request, pair by pair: its load thread's, and its
    /// whole process's (start-up, making the devices' keys and writing the results included).
    let ratio: CalibrationSpread
    let processRatio: CalibrationSpread
    let serverUsPerRequestUnderH2load: CalibrationSpread
    let serverUsPerRequestUnderEstbench: CalibrationSpread
    /// The kernel's part of the server's CPU per request under h2load (socket reads, writes, wake-ups).
    let serverSystemUsPerRequestUnderH2load: CalibrationSpread

    init(mode: CalibrationMode, requests: Int, h2load: [CalibrationRun], estbench: [CalibrationRun]) {
        self.mode = mode
        self.requests = requests
        self.h2load = h2load
        self.estbench = estbench
        h2loadUsPerRequest = CalibrationSpread(h2load.map(\.clientUsPerRequest))
        estbenchUsPerOperation = CalibrationSpread(estbench.map(\.clientUsPerRequest))
        estbenchProcessUsPerOperation = CalibrationSpread(estbench.map(\.processUsPerRequest))
        ratio = CalibrationSpread(zip(estbench, h2load).map { $1.clientUsPerRequest > 0 ? $0.clientUsPerRequest / $1.clientUsPerRequest : 0 })
        processRatio = CalibrationSpread(zip(estbench, h2load).map { $1.processUsPerRequest > 0 ? $0.processUsPerRequest / $1.processUsPerRequest : 0 })
        serverUsPerRequestUnderH2load = CalibrationSpread(h2load.map(\.serverUsPerRequest))
        serverUsPerRequestUnderEstbench = CalibrationSpread(estbench.map(\.serverUsPerRequest))
        serverSystemUsPerRequestUnderH2load = CalibrationSpread(h2load.map(\.serverSystemUsPerRequest))
    }

    /// The kernel's part of the server's CPU, shown for kept-alive runs only: the kernel splits a process's
    /// CPU into user and system time by scaling its precise run time with tick samples counted since the
    /// process began, so over one run the split is approximate; a kept-alive run gives ~20,000 requests'
    /// worth of ticks (15.5 µs per request against `perf` sampling's 15.3), a run of 2,000 new connections can read 0.
    private var kernelNote: String {
        mode == .keepalive ? " (kernel ≈ \(serverSystemUsPerRequestUnderH2load.text(1)))" : ""
    }

    /// The console lines for this mode.
    var lines: [String] {
        let what = mode == .keepalive ? "kept-alive enrollment" : "enrollment on a new TLS 1.3 connection"
        return [
            "\(mode.rawValue) (\(requests) × \(what), \(h2load.count) pair(s); median (min–max) over the pairs)",
            "  h2load    \(h2loadUsPerRequest.text(1)) µs CPU per request (process)",
            "  estbench  \(estbenchUsPerOperation.text(1)) µs CPU per operation (load thread; whole process \(estbenchProcessUsPerOperation.text(1)))",
            "  ratio estbench / h2load: \(ratio.text(2)) load thread, \(processRatio.text(2)) whole process",
            "  server    \(serverUsPerRequestUnderH2load.text(1)) µs CPU per request under h2load\(kernelNote), \(serverUsPerRequestUnderEstbench.text(1)) under estbench",
        ]
    }
}
