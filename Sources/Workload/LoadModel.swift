/// How work arrives: closed (N devices loop over their lifecycle with think time between passes),
/// open (arrivals on a schedule, latency counted from the intended start), or a capacity search
/// (a sequence of open-model steps at constant rates, each judged by the thresholds).
public enum LoadModel: Sendable, Equatable, Encodable {
    case closed(devices: Int, thinkTimeMs: Int)
    case open(OpenLoad)
    case search(SearchPlan)

    public func encode(to encoder: any Encoder) throws {
        var container = encoder.container(keyedBy: Key.self)
        switch self {
        case .closed(let devices, let thinkTimeMs):
            try container.encode(["devices": devices, "thinkTimeMs": thinkTimeMs], forKey: .closed)
        case .open(let open):
            try container.encode(open, forKey: .open)
        case .search(let search):
            try container.encode(search, forKey: .search)
        }
    }

    private enum Key: String, CodingKey { case closed, open, search }
}
