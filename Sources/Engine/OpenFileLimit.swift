import Glibc

/// The process's open-file limit (RLIMIT_NOFILE): a run of N kept-alive devices holds N sockets
/// (and the built-in server as many again), far past the usual soft limit of 1024. Raised to the
/// hard limit once, before the devices start.
enum OpenFileLimit {
    /// Raises the soft limit to the hard one; returns (before, after), equal when nothing changed
    /// or the raise was refused.
    static func raise() -> (before: UInt64, after: UInt64) {
        var limit = rlimit()
        guard getrlimit(Int32(RLIMIT_NOFILE.rawValue), &limit) == 0 else { return (0, 0) }
        let before = UInt64(limit.rlim_cur)
        guard limit.rlim_cur < limit.rlim_max else { return (before, before) }
        var raised = limit
        raised.rlim_cur = limit.rlim_max
        guard setrlimit(Int32(RLIMIT_NOFILE.rawValue), &raised) == 0 else { return (before, before) }
        return (before, UInt64(raised.rlim_cur))
    }
}
