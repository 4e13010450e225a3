/// What a device does with `202 Accepted` + Retry-After: repeat the request after the delay
/// (bounded), or count the 202 and end that device's lifecycle.
public enum AcceptedPolicy: Sendable, Equatable, Encodable {
    case follow(maxRetries: Int, maxWaitSeconds: Double)
    case countAndStop

    public static let defaultFollow = AcceptedPolicy.follow(maxRetries: 5, maxWaitSeconds: 60)

    public func encode(to encoder: any Encoder) throws {
        var container = encoder.container(keyedBy: Key.self)
        switch self {
        case .follow(let maxRetries, let maxWaitSeconds):
            var nested = container.nestedContainer(keyedBy: FollowKey.self, forKey: .follow)
            try nested.encode(maxRetries, forKey: .maxRetries)
            try nested.encode(maxWaitSeconds, forKey: .maxWaitSeconds)
        case .countAndStop:
            try container.encode(true, forKey: .countAndStop)
        }
    }

    private enum Key: String, CodingKey { case follow, countAndStop }
    private enum FollowKey: String, CodingKey { case maxRetries, maxWaitSeconds }
}
