import PKI

/// Checks `Authorization: Basic` credentials against the configured users, comparing in constant
/// time so a wrong password takes as long as a nearly right one.
struct BasicAuthenticator {
    let users: [String: [UInt8]]

    init(users: [String: String]) {
        self.users = users.mapValues { Array($0.utf8) }
    }

    /// Whether `authorization` holds a known user with the right password.
    func accepts(_ authorization: String?) -> Bool {
        guard let authorization else { return false }
        let parts = authorization.split(separator: " ", maxSplits: 1)
        guard parts.count == 2, parts[0].lowercased() == "basic",
              let decoded = try? Base64.decode(Array(parts[1].utf8)),
              let colon = decoded.firstIndex(of: UInt8(ascii: ":")) else { return false }
        let user = String(decoding: decoded[..<colon], as: UTF8.self)
        let given = decoded[(colon + 1)...]
        // An unknown user is compared against a dummy password so timing does not reveal it.
        let expected = users[user] ?? [UInt8](repeating: 0xFF, count: given.count)
        let known = users[user] != nil
        return BasicAuthenticator.constantTimeEquals(Array(given), expected) && known
    }

    /// Equal contents, in time that depends on the length only (lengths are not secret).
    static func constantTimeEquals(_ a: [UInt8], _ b: [UInt8]) -> Bool {
        guard a.count == b.count else { return false }
        var difference: UInt8 = 0
        for i in 0..<a.count { difference |= a[i] ^ b[i] }
        return difference == 0
    }
}
