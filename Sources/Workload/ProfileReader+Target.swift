import EST

/// The `target` section: URL, CA label and bundle, TLS policy, bootstrap identity, Basic credentials.
extension ProfileReader {
    mutating func target(_ node: ProfileNode, at path: String) -> EndpointTarget {
        var target = EndpointTarget()
        guard let fields = fields(node, at: path, allowed: ["url", "urls", "resolve", "resolveEverySeconds", "caLabel", "caBundle", "tls", "bootstrap", "credentials"]) else {
            return target
        }
        if let url = string(fields["url"], at: Self.join(path, "url")) {
            target.url = checkedURL(url, at: Self.join(path, "url"))
        }
        if let urls = stringList(fields["urls"], at: Self.join(path, "urls")) {
            // Several servers (a CA cluster without a balancer): devices spread round-robin by index.
            if fields["url"] != nil {
                report(path, "url and urls are mutually exclusive; list every server under urls")
            } else if urls.isEmpty {
                report(Self.join(path, "urls"), "needs at least one https URL")
            } else {
                let checked = urls.enumerated().compactMap { checkedURL($0.element, at: "\(Self.join(path, "urls"))[\($0.offset)]") }
                if checked.count == urls.count {
                    target.url = checked[0]
                    target.urls = checked
                }
            }
        }
        if let entries = stringList(fields["resolve"], at: Self.join(path, "resolve")) {
            target.resolve = resolveEntries(entries, at: Self.join(path, "resolve"), urls: target.urls.isEmpty ? target.url.map { [$0] } ?? [] : target.urls)
        }
        if fields["resolveEverySeconds"] != nil {
            let every = number(fields["resolveEverySeconds"], at: Self.join(path, "resolveEverySeconds"), positive: true)
            if every != nil && target.url == nil {
                report(Self.join(path, "resolveEverySeconds"), "applies to target.url or target.urls; the built-in server needs none")
            } else {
                target.resolveEverySeconds = every
            }
        }
        if let label = string(fields["caLabel"], at: Self.join(path, "caLabel")) {
            if label.contains("/") || label.contains("?") || label.contains("#") {
                report(Self.join(path, "caLabel"), "must be a single path segment without '/', '?' or '#', got \"\(label)\"")
            } else {
                target.caLabel = label
            }
        }
        target.caBundlePath = string(fields["caBundle"], at: Self.join(path, "caBundle"))
        if let tls = fields["tls"] { target.tls = self.tls(tls, at: Self.join(path, "tls")) }
        if let bootstrap = fields["bootstrap"] { target.bootstrap = identity(bootstrap, at: Self.join(path, "bootstrap")) }
        if let credentials = fields["credentials"] {
            let credentialsPath = Self.join(path, "credentials")
            if let section = self.fields(credentials, at: credentialsPath, allowed: ["basic"]), let basic = section["basic"] {
                target.basic = self.basic(basic, at: Self.join(credentialsPath, "basic"))
            }
        }
        return target
    }

    /// `target.resolve`'s entries, each naming a `host:port` of one of `urls` (an entry no URL uses is a typo).
    private mutating func resolveEntries(_ entries: [String], at path: String, urls: [String]) -> [HostOverride] {
        var overrides: [HostOverride] = []
        guard !urls.isEmpty else {
            if !entries.isEmpty { report(path, "applies to target.url or target.urls; the built-in server needs none") }
            return []
        }
        let parsed = urls.compactMap { url -> HTTPSURL? in
            do { return try HTTPSURL(parsing: url) } catch { return nil }  // checkedURL reported a bad URL already
        }
        for (i, entry) in entries.enumerated() {
            let entryPath = "\(path)[\(i)]"
            do {
                let o = try HostOverride(parsing: entry)
                guard parsed.contains(where: { $0.host.lowercased() == o.host && $0.port == o.port }) else {
                    let known = parsed.map { "\($0.host):\($0.port)" }.joined(separator: ", ")
                    report(entryPath, "\"\(entry)\" names \(o.host):\(o.port), which no target URL uses (they use \(known))")
                    continue
                }
                guard !overrides.contains(where: { $0.host == o.host && $0.port == o.port }) else {
                    report(entryPath, "\"\(entry)\": \(o.host):\(o.port) is already resolved by an earlier entry; give each host:port once")
                    continue
                }
                overrides.append(o)
            } catch {
                switch error {
                case .invalid(let found): for issue in found { report(entryPath, issue.message) }
                default: report(entryPath, "\(error)")
                }
            }
        }
        return overrides
    }

    private mutating func checkedURL(_ url: String, at path: String) -> String? {
        let prefix = "https://"
        guard url.lowercased().hasPrefix(prefix) else {
            report(path, "expected https://host[:port][/path], got \"\(url)\"")
            return nil
        }
        // A path is a prefix before /.well-known/est (a deployment behind a proxy); the CA label is target.caLabel.
        let rest = url.dropFirst(prefix.count)
        let authority = rest.prefix { $0 != "/" }
        if authority.contains("@") {
            report(path, "must not carry credentials; use target.credentials.basic with passwordEnv or passwordFile")
            return nil
        }
        guard !authority.isEmpty, !rest.contains("?"), !rest.contains("#") else {
            report(path, "expected https://host[:port][/path] without a query or fragment (use target.caLabel for a CA label), got \"\(url)\"")
            return nil
        }
        if let colon = authority.lastIndex(of: ":"), !authority.hasSuffix("]") {
            let port = authority[authority.index(after: colon)...]
            guard let number = Int(port), (1...65535).contains(number) else {
                report(path, "port must be 1...65535, got \"\(port)\"")
                return nil
            }
        }
        return url
    }

    private mutating func tls(_ node: ProfileNode, at path: String) -> TLSPolicy {
        var policy = TLSPolicy()
        guard let fields = fields(node, at: path, allowed: ["versions", "groups", "suites", "sni", "verify"]) else { return policy }
        if let versions = fields["versions"] {
            let versionsPath = Self.join(path, "versions")
            if let range = self.fields(versions, at: versionsPath, allowed: ["min", "max"]) {
                let min: TLSPolicy.Version? = choice(range["min"], at: Self.join(versionsPath, "min"), noun: "TLS version")
                let max: TLSPolicy.Version? = choice(range["max"], at: Self.join(versionsPath, "max"), noun: "TLS version")
                policy.minVersion = min ?? policy.minVersion
                policy.maxVersion = max ?? policy.maxVersion
                if policy.minVersion > policy.maxVersion {
                    report(versionsPath, "min \(policy.minVersion.rawValue) is above max \(policy.maxVersion.rawValue)")
                }
            }
        }
        policy.groups = stringList(fields["groups"], at: Self.join(path, "groups")) ?? []
        policy.suites = stringList(fields["suites"], at: Self.join(path, "suites")) ?? []
        policy.sni = string(fields["sni"], at: Self.join(path, "sni"))
        policy.verify = bool(fields["verify"], at: Self.join(path, "verify")) ?? true
        return policy
    }

    /// One shared identity (`certificate`, `key`), a factory CA (`caCertificate`, `caKey`,
    /// `validityDays`) or a directory of per-device pairs (`directory`): exactly one of the three.
    private mutating func identity(_ node: ProfileNode, at path: String) -> BootstrapIdentity? {
        guard let fields = fields(node, at: path, allowed: ["certificate", "key", "caCertificate", "caKey", "validityDays", "directory"]) else {
            return nil
        }
        let shared = fields["certificate"] != nil || fields["key"] != nil
        let factory = fields["caCertificate"] != nil || fields["caKey"] != nil || fields["validityDays"] != nil
        let directory = fields["directory"] != nil
        guard [shared, factory, directory].filter({ $0 }).count == 1 else {
            report(path, "expected one of {certificate, key} (one identity for every device), {caCertificate, caKey[, validityDays]} "
                   + "(a factory CA that mints one per device) or {directory} (device-<i>.pem and device-<i>.key per device)")
            return nil
        }
        if directory {
            return string(fields["directory"], at: Self.join(path, "directory")).map { .directory(path: $0) }
        }
        let certificateName = shared ? "certificate" : "caCertificate"
        let keyName = shared ? "key" : "caKey"
        let certificate = required(fields[certificateName], at: Self.join(path, certificateName)).flatMap {
            string($0, at: Self.join(path, certificateName))
        }
        let key = required(fields[keyName], at: Self.join(path, keyName)).flatMap { string($0, at: Self.join(path, keyName)) }
        let days = int(fields["validityDays"], at: Self.join(path, "validityDays"), atLeast: 1)
        if let days, days > 36500 { report(Self.join(path, "validityDays"), "\(days) is out of range; allowed: 1...36500 days") }
        guard let certificate, let key else { return nil }
        if shared { return .shared(ClientIdentity(certificatePath: certificate, keyPath: key)) }
        return .factoryCA(FactoryCA(certificatePath: certificate, keyPath: key, validityDays: min(days ?? FactoryCA.defaultValidityDays, 36500)))
    }

    private mutating func basic(_ node: ProfileNode, at path: String) -> BasicCredentials? {
        guard let fields = fields(node, at: path, allowed: ["user", "passwordEnv", "passwordFile"], handled: ["password"]) else {
            return nil
        }
        if fields["password"] != nil {
            report(Self.join(path, "password"), "literal passwords are not accepted; use passwordEnv or passwordFile")
        }
        let user = required(fields["user"], at: Self.join(path, "user")).flatMap { string($0, at: Self.join(path, "user")) }
        let env = string(fields["passwordEnv"], at: Self.join(path, "passwordEnv"))
        let file = string(fields["passwordFile"], at: Self.join(path, "passwordFile"))
        if let env, !Self.isEnvironmentName(env) {
            report(Self.join(path, "passwordEnv"), "\"\(env)\" is not an environment variable name ([A-Za-z_][A-Za-z0-9_]*)")
            return nil
        }
        let source: SecretSource
        switch (env, file) {
        case (let env?, nil): source = .environment(name: env)
        case (nil, let file?): source = .file(path: file)
        case (.some, .some):
            report(path, "passwordEnv and passwordFile are mutually exclusive; choose one")
            return nil
        case (nil, nil):
            if fields["password"] == nil, fields["passwordEnv"] == nil, fields["passwordFile"] == nil {
                report(path, "needs passwordEnv or passwordFile")
            }
            return nil
        }
        guard let user else { return nil }
        // A user with a placeholder ("dev-{i}") is one user per device; its passwords are lines.
        if user.contains("{") || user.contains("}") { checkPlaceholders(user, at: Self.join(path, "user")) }
        return BasicCredentials(user: user, password: source)
    }

    static func isEnvironmentName(_ name: String) -> Bool {
        guard let first = name.unicodeScalars.first, first == "_" || (first.isASCII && first.properties.isAlphabetic) else {
            return false
        }
        return name.unicodeScalars.allSatisfy { $0 == "_" || ($0.isASCII && ($0.properties.isAlphabetic || ("0"..."9").contains($0))) }
    }
}
