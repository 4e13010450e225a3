/// The common command-line flags and the profile path each one sets.
public enum ProfileFlag: String, CaseIterable, Sendable {
    case target, rate, devices, duration, requests

    /// The field the flag sets.
    public var path: ProfilePath {
        let keys: [String]
        switch self {
        case .target: keys = ["target", "url"]
        case .rate: keys = ["load", "open", "rate"]
        case .devices: keys = ["devices", "count"]
        case .duration: keys = ["stop", "durationSeconds"]
        case .requests: keys = ["stop", "operations"]
        }
        return ProfilePath(keys.map { .key($0) })
    }
}
