import Foundation
import HTTP
import PKI
import TLS
import Workload

/// The client side of a run made from the plan's files and environment: the TLS context (the
/// target's trust, the profile's TLS policy), the bootstrap identity and the Basic credentials.
/// Loading reads files; deriving `EngineSettings` from it does not.
struct ClientSetup {
    let tlsContext: TLSContext
    /// The bootstrap (manufacturer) certificate chain and key, when the profile names one.
    let bootstrap: (chain: [[UInt8]], key: PKI.PrivateKey)?
    let credentials: HTTP.BasicCredentials?
    /// Per-device Basic credentials (`user: "dev-{i}"`): device i's `Authorization` field line;
    /// empty when every device shares `credentials` (or there are none).
    var deviceAuthorizations: [[UInt8]] = []

    init(tlsContext: TLSContext, bootstrap: (chain: [[UInt8]], key: PKI.PrivateKey)? = nil, credentials: HTTP.BasicCredentials? = nil) {
        self.tlsContext = tlsContext
        self.bootstrap = bootstrap
        self.credentials = credentials
    }

    /// Reads what the plan names (trust bundle, bootstrap PEM files, the Basic password) and builds
    /// the TLS context.
    static func load(plan: RunPlan, target: RunTarget) throws(RunCoordinator.RunError) -> ClientSetup {
        let profile = plan.profile
        var credentials: HTTP.BasicCredentials?
        var authorizations: [[UInt8]] = []
        if let basic = profile.target.basic, basic.isPerDevice {
            // Indexed by global device index: a shard's devices run from plan.deviceRange.lowerBound.
            authorizations = try deviceAuthorizations(plan: plan, count: plan.deviceRange.upperBound)
        } else if let basic = profile.target.basic {
            let secret: String?
            do { secret = try plan.basicPassword() } catch { throw .setup("\(error)") }
            guard let password = secret else { throw .setup("no password for \(basic.user)") }
            do { credentials = try HTTP.BasicCredentials(user: basic.user, password: password) } catch { throw .setup("target.credentials: \(error)") }
        }
        let context: TLSContext
        do { context = try TLSContext(configuration(profile, trust: target.trust)) } catch { throw .setup("TLS settings: \(error)") }
        var setup = ClientSetup(tlsContext: context, bootstrap: try bootstrap(profile), credentials: credentials)
        setup.deviceAuthorizations = authorizations
        return setup
    }

    /// Device i's `Authorization` field line for `count` devices: the user pattern expanded, the
    /// password from line i of the source (or its only line, shared). Errors name the line, never a password.
    static func deviceAuthorizations(plan: RunPlan, count: Int,
                                     environment: [String: String] = ProcessInfo.processInfo.environment) throws(RunCoordinator.RunError) -> [[UInt8]] {
        guard let basic = plan.profile.target.basic else { return [] }
        let pattern: FieldPattern
        do { pattern = try FieldPattern(basic.user) } catch { throw .setup("target.credentials.basic.user: \(error)") }
        let text: String?
        do { text = try plan.basicPassword(environment: environment) } catch { throw .setup("\(error)") }
        guard let text else { throw .setup("no password for \(basic.user)") }
        let lines = text.split(separator: "\n", omittingEmptySubsequences: false).map { $0.hasSuffix("\r") ? $0.dropLast() : $0 }
        let source = basic.password.sourceDescription
        guard lines.count == 1 || lines.count >= count else {
            throw .setup("target.credentials.basic: \(source) holds \(lines.count) password line(s); \(count) device(s) need one line each "
                         + "(line i for device i) or a single line they all share")
        }
        var out: [[UInt8]] = []
        out.reserveCapacity(count)
        for i in 0..<count {
            let line = lines.count == 1 ? lines[0] : lines[i]
            guard !line.isEmpty else { throw .setup("target.credentials.basic: line \(i + 1) of \(source) is empty; every device needs a password") }
            do { out.append(try HTTP.BasicCredentials(user: pattern.expand(i), password: String(line)).fieldLine) } catch {
                throw .setup("target.credentials.basic: device \(i) (line \(lines.count == 1 ? 1 : i + 1) of \(source)): \(error)")
            }
        }
        return out
    }

    /// The profile's TLS policy with the target's trust: pure, so it is tested without a context.
    static func configuration(_ profile: Profile, trust: RunTarget.Trust) -> TLSConfiguration {
        var tls = TLSConfiguration(role: .client)
        tls.minimumVersion = profile.target.tls.minVersion == .tls13 ? .tls13 : .tls12
        tls.maximumVersion = profile.target.tls.maxVersion == .tls12 ? .tls12 : .tls13
        if !profile.target.tls.groups.isEmpty { tls.groups = profile.target.tls.groups.joined(separator: ":") }
        if !profile.target.tls.suites.isEmpty { tls.cipherSuites = profile.target.tls.suites.joined(separator: ":") }
        switch profile.connection.resumption {
        case .off: tls.resumption = .off
        case .tickets: tls.resumption = .tickets
        case .ids: tls.resumption = .ids
        }
        // A device waits between operations far longer than it uses its buffers: 10,000 kept-alive
        // devices would otherwise pin 2 x 16 KiB of OpenSSL buffers each.
        tls.releaseBuffers = true
        tls.verifyPeer = profile.target.tls.verify
        switch trust {
        case .certificates(let certificates): tls.trustedCertificates = certificates
        case .file(let path): tls.trustFile = path
        }
        return tls
    }

    /// The profile's bootstrap certificate (PEM chain) and key (PEM), loaded once; a key that is not
    /// the first certificate's is refused here, before anything runs.
    static func bootstrap(_ profile: Profile) throws(RunCoordinator.RunError) -> (chain: [[UInt8]], key: PKI.PrivateKey)? {
        guard let identity = profile.target.bootstrap?.shared else { return nil }
        let text: String
        do { text = try String(contentsOfFile: identity.certificatePath, encoding: .utf8) } catch {
            throw .setup("target.bootstrap.certificate \(identity.certificatePath): cannot read it")
        }
        let chain: [[UInt8]]
        do { chain = try PEM.decodeAll(text, label: "CERTIFICATE") } catch {
            throw .setup("target.bootstrap.certificate \(identity.certificatePath): \(error)")
        }
        guard !chain.isEmpty else { throw .setup("target.bootstrap.certificate \(identity.certificatePath): no PEM CERTIFICATE") }
        let key: PKI.PrivateKey
        do { key = try PKI.PrivateKey.load(pemFile: identity.keyPath) } catch {
            throw .setup("target.bootstrap.key: \(error)")
        }
        let belongs: Bool
        do { belongs = try key.isKey(ofCertificate: chain[0]) } catch {
            throw .setup("target.bootstrap.certificate \(identity.certificatePath): \(error)")
        }
        guard belongs else {
            throw .setup("target.bootstrap: certificate \(identity.certificatePath) and key \(identity.keyPath) do not belong together: "
                         + "the certificate's public key is not the key's (the first certificate in the file must be the one issued for the key)")
        }
        return (chain, key)
    }
}
