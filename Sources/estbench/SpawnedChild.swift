import Foundation
import Glibc

/// A child process started with `posix_spawn`, its standard output and error written to files, and
/// reaped with `wait4`, so its own CPU time (user + system, every thread) is known exactly — what
/// `bench calibrate` compares. While it runs, its CPU time so far is read from its process CPU clock.
struct SpawnedChild {
    /// How a child ended: its exit status (128 + N when signal N killed it) and its CPU time.
    struct End {
        let status: Int32
        let cpuNs: UInt64
    }

    let pid: pid_t
    let executable: String

    /// Starts `executable arguments…` (an absolute path), standard input from /dev/null.
    static func start(_ executable: String, _ arguments: [String], stdout: String, stderr: String) throws -> SpawnedChild {
        var actions = posix_spawn_file_actions_t()
        posix_spawn_file_actions_init(&actions)
        defer { posix_spawn_file_actions_destroy(&actions) }
        posix_spawn_file_actions_addopen(&actions, 0, "/dev/null", O_RDONLY, 0)
        posix_spawn_file_actions_addopen(&actions, 1, stdout, O_WRONLY | O_CREAT | O_TRUNC, 0o600)
        posix_spawn_file_actions_addopen(&actions, 2, stderr, O_WRONLY | O_CREAT | O_TRUNC, 0o600)
        let argv: [UnsafeMutablePointer<CChar>?] = ([executable] + arguments).map { strdup($0) } + [nil]
        defer { for p in argv { free(p) } }
        var pid: pid_t = 0
        let rc = posix_spawn(&pid, executable, &actions, nil, argv, environ)
        guard rc == 0 else {
            throw CLIError.failed("cannot start \(executable): \(String(cString: strerror(rc)))")
        }
        return SpawnedChild(pid: pid, executable: executable)
    }

    /// The kernel's part of the child's CPU time so far (its `stime`, in /proc/PID/stat), ns — to the
    /// clock tick (10 ms here); nil once it is gone.
    func systemCPUNs() -> UInt64? {
        guard let text = try? String(contentsOfFile: "/proc/\(pid)/stat", encoding: .utf8),
              let close = text.lastIndex(of: ")") else { return nil }
        // After "pid (comm)": state is field 3, utime 14, stime 15.
        let fields = text[text.index(after: close)...].split(separator: " ")
        guard fields.count > 12, let ticks = UInt64(fields[12]) else { return nil }
        let perSecond = UInt64(max(1, sysconf(Int32(_SC_CLK_TCK))))
        return ticks * 1_000_000_000 / perSecond
    }

    /// The child's CPU time so far (all its threads), ns; nil once it is gone.
    func cpuNs() -> UInt64? {
        var clock = clockid_t()
        var ts = timespec()
        guard clock_getcpuclockid(pid, &clock) == 0, clock_gettime(clock, &ts) == 0 else { return nil }
        return UInt64(ts.tv_sec) * 1_000_000_000 + UInt64(ts.tv_nsec)
    }

    func signal(_ number: Int32) { kill(pid, number) }

    /// Waits for the child to end; after `timeoutSeconds` it is killed (SIGKILL) and reaped.
    func wait(timeoutSeconds: Double) -> End {
        let deadline = Date().addingTimeInterval(timeoutSeconds)
        var status: Int32 = 0
        var usage = rusage()
        while true {
            let r = wait4(pid, &status, WNOHANG, &usage)
            if r == pid { break }
            if r < 0 && errno != EINTR { return End(status: 127, cpuNs: 0) }
            if Date() > deadline {
                kill(pid, SIGKILL)
                _ = wait4(pid, &status, 0, &usage)
                break
            }
            usleep(5_000)
        }
        let cpu = SpawnedChild.ns(usage.ru_utime) + SpawnedChild.ns(usage.ru_stime)
        let signalNumber = status & 0x7f
        return End(status: signalNumber == 0 ? (status >> 8) & 0xff : 128 + signalNumber, cpuNs: cpu)
    }

    private static func ns(_ t: timeval) -> UInt64 { UInt64(t.tv_sec) * 1_000_000_000 + UInt64(t.tv_usec) * 1000 }

    /// The absolute path of `name` on `PATH`, nil when none of its folders holds an executable by that name.
    static func onPath(_ name: String, path: String? = ProcessInfo.processInfo.environment["PATH"]) -> String? {
        for folder in (path ?? "").split(separator: ":") where !folder.isEmpty {
            let candidate = folder + "/" + name
            if access(candidate, X_OK) == 0 { return candidate }
        }
        return nil
    }
}
