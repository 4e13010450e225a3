import ArgumentParser
import Foundation
import Workload

/// `estbench k8s`: prints the manifests that run a profile as N shards in a Kubernetes cluster (an
/// Indexed Job, its barrier and results volume, a merge Job, a headless metrics Service), or with
/// `--containerfile` the Containerfile of the image they run.
struct K8sCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "k8s",
        abstract: "Print Kubernetes manifests that run a profile as N shards (Indexed Job) and merge them.",
        discussion: """
        The plan must name an external target (--target or target.url): pods must not each start their own \
        server. Files the profile names go into the cluster with it: the CA bundle and bootstrap certificate \
        in a ConfigMap, the bootstrap key and a Basic password (file or environment variable) in a Secret. \
        The shards meet at a barrier on a ReadWriteMany results volume and start together; a merge Job waits \
        for every shard's result.json, then writes <name>/merged. Apply with `kubectl apply -f`, then read \
        the merged folder from the volume (e.g. `estbench report`). --containerfile prints the image's build file.
        """
    )

    @Argument(help: "Workload profile (YAML).")
    var profile: String?

    @Option(parsing: .unconditional, help: "Shards (pods), 1...1000.")
    var shards: Int?

    @Option(help: "Container image with estbench (see --containerfile).")
    var image: String?

    @Option(help: "Target URL (https://host[:port][/path]); else the profile's target.url.")
    var target: String?

    @Option(name: .customLong("set"), help: "Override a profile field: path=value (repeatable; passed to every shard).")
    var overrides: [String] = []

    @Option(help: "Namespace of every object.")
    var namespace = "default"

    @Option(parsing: .unconditional, help: "Load threads per shard (its CPU request), 1...64.")
    var threads = 2

    @Option(help: "Name of the Job and the prefix of every object (default: from the profile's name).")
    var name: String?

    @Option(parsing: .unconditional, help: "How long shards wait for each other at the barrier, seconds.")
    var barrierTimeout = 900

    @Flag(help: "Print the Containerfile of the image instead.")
    var containerfile = false

    func validate() throws {
        if containerfile { return }
        guard profile != nil else { throw ValidationError("give a profile (or --containerfile)") }
        guard let shards, (1...1000).contains(shards) else { throw ValidationError("--shards N is required; allowed: 1...1000") }
        guard let image, !image.isEmpty else { throw ValidationError("--image IMAGE is required (build it with the --containerfile)") }
        guard (1...64).contains(threads) else { throw ValidationError("--threads \(threads) is out of range; allowed: 1...64") }
        guard (10...86_400).contains(barrierTimeout) else { throw ValidationError("--barrier-timeout \(barrierTimeout) is out of range; allowed: 10...86400 seconds") }
        if let name, !KubernetesName.isValid(name) {
            throw ValidationError("--name \(name): lower-case letters, digits and '-', starting with a letter, at most 40 characters")
        }
    }

    func run() throws {
        if containerfile {
            Console.write(1, KubernetesManifests.containerfile)
            return
        }
        guard let profile, let shards, let image else { return }
        var list = try ProfileOverride.parsing(setArguments: overrides)
        if let target { list += ProfileOverride.overrides(flag: .target, value: target) }
        let plan: RunPlan
        let text: String
        do {
            plan = try RunPlan.load(file: profile, overrides: list)
            text = try String(contentsOfFile: profile, encoding: .utf8)
        } catch {
            throw CLIError.badInput("\(error)")
        }
        let p = plan.profile
        guard let url = p.target.url else {
            throw CLIError.badInput("\(profile): no target (give --target URL or target.url): every pod would start its own built-in server")
        }
        if case .search = p.load { throw CLIError.badInput("\(profile): a capacity search does not run in shards") }
        if case .poolFile(let path) = p.devices.source {
            throw CLIError.badInput("devices.pool \(path): pool files do not go into the cluster; the shards generate their devices (remove devices.pool)")
        }
        var files: [KubernetesManifests.File] = []
        func add(_ profilePath: String, _ path: String?, key: String, secret: Bool) throws {
            guard let path else { return }
            guard let data = FileManager.default.contents(atPath: path) else { throw CLIError.badInput("\(profilePath) \(path): cannot read it") }
            guard data.count < 900_000 else { throw CLIError.badInput("\(profilePath) \(path): \(data.count) bytes; a ConfigMap or Secret holds under 1 MiB") }
            files.append(.init(profilePath: profilePath, key: key, contents: Array(data), secret: secret))
        }
        try add("target.caBundle", p.target.caBundlePath, key: "ca-bundle.pem", secret: false)
        switch p.target.bootstrap {
        case .shared(let identity)?:
            try add("target.bootstrap.certificate", identity.certificatePath, key: "bootstrap.pem", secret: false)
            try add("target.bootstrap.key", identity.keyPath, key: "bootstrap.key", secret: true)
        case .factoryCA(let ca)?:
            try add("target.bootstrap.caCertificate", ca.certificatePath, key: "factory-ca.pem", secret: false)
            try add("target.bootstrap.caKey", ca.keyPath, key: "factory-ca.key", secret: true)
        case .directory(let path)?:
            throw CLIError.badInput("target.bootstrap.directory \(path): per-device identity files do not go into the cluster; use a factory CA (caCertificate, caKey)")
        case nil:
            break
        }
        var passwordEnvironment: (name: String, value: String)?
        if let basic = p.target.basic {
            switch basic.password {
            case .file(let path):
                try add("target.credentials.basic.passwordFile", path, key: "basic-password", secret: true)
            case .environment(let variable):
                do { passwordEnvironment = (variable, try basic.password.resolve()) } catch {
                    throw CLIError.badInput("target.credentials.basic.passwordEnv: \(error) (its value goes into the Secret)")
                }
            }
        }
        let manifests = KubernetesManifests(
            name: name ?? KubernetesName.from(plan.name), namespace: namespace, image: image, shards: shards, threads: threads,
            profileText: text, target: url, overrides: overrides, files: files, passwordEnvironment: passwordEnvironment,
            barrierTimeoutSeconds: barrierTimeout, mergeTimeoutSeconds: barrierTimeout + 86_400)
        Console.write(1, manifests.yaml)
    }
}

/// Kubernetes object names as estbench makes them: DNS labels short enough for every suffix it adds.
enum KubernetesName {
    static func isValid(_ name: String) -> Bool {
        guard let first = name.first, first.isLetter, first.isLowercase, name.count <= 40, name.last != "-" else { return false }
        return name.allSatisfy { ($0.isLetter && $0.isLowercase && $0.isASCII) || ($0.isNumber && $0.isASCII) || $0 == "-" }
    }

    /// A valid name from a profile's name: lower-cased, other characters as '-', prefixed when needed.
    static func from(_ text: String) -> String {
        var name = String(text.lowercased().map { ($0.isASCII && ($0.isLetter || $0.isNumber)) ? $0 : "-" }.prefix(32))
        while name.hasSuffix("-") { name.removeLast() }
        if !(name.first?.isLetter ?? false) { name = "estbench-" + name }
        while name.hasSuffix("-") { name.removeLast() }
        return isValid(name) ? name : "estbench"
    }
}
