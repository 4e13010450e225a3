import CLibUV

/// The libuv this process runs with, for results.
public enum LibUVVersion {
    public static var text: String { "libuv " + String(cString: uv_version_string()) }
}
