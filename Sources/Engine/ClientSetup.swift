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
        if let basic = profile.target.basic {
            let secret: String?
            do { secret = try plan.basicPassword() } catch { throw .setup("\(error)") }
            guard let password = secret else { throw .setup("no password for \(basic.user)") }
            do { credentials = try HTTP.BasicCredentials(user: basic.user, password: password) } catch { throw .setup("target.credentials: \(error)") }
        }
        let context: TLSContext
        do { context = try TLSContext(configuration(profile, trust: target.trust)) } catch { throw .setup("TLS settings: \(error)") }
        return ClientSetup(tlsContext: context, bootstrap: try bootstrap(profile), credentials: credentials)
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
        guard let identity = profile.target.bootstrap else { return nil }
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
