import CLibUV

/// Monotonic time in nanoseconds from `uv_hrtime`: every timestamp estbench records.
public enum MonotonicTime {
    @inline(__always)
    public static func nowNs() -> UInt64 { uv_hrtime() }
}
