import Foundation
import Workload

/// The manifests that run one plan as N shards in a Kubernetes cluster: the profile and the files it
/// names (public ones in a ConfigMap, private keys and passwords in a Secret), an Indexed Job whose
/// pods are the shards (each a `run --shards N` waiting at a barrier on the shared results volume),
/// a ReadWriteMany results claim, a merge Job that waits for every shard's result.json and merges
/// them, and a headless Service in front of the shards' /metrics. Pure: the caller reads the files.
struct KubernetesManifests {
    /// A file the profile names, as it goes into the cluster.
    struct File {
        /// The profile path it replaces, e.g. `target.caBundle`.
        let profilePath: String
        /// Its name in the ConfigMap or Secret, and where the pod sees it.
        let key: String
        let contents: [UInt8]
        let secret: Bool

        var mountedPath: String { (secret ? KubernetesManifests.secretsDirectory : KubernetesManifests.filesDirectory) + "/" + key }
    }

    static let profileDirectory = "/etc/estbench/profile"
    static let filesDirectory = "/etc/estbench/files"
    static let secretsDirectory = "/etc/estbench/secrets"
    static let resultsDirectory = "/results"
    static let metricsPort = 9464

    let name: String
    let namespace: String
    let image: String
    let shards: Int
    let threads: Int
    let profileText: String
    let target: String
    /// `--set` overrides given on the command line, passed on to every shard.
    let overrides: [String]
    let files: [File]
    /// A Basic password from an environment variable: its name, and its value for the Secret.
    let passwordEnvironment: (name: String, value: String)?
    /// How long the shards wait at the barrier, and the merge Job for the shards, in seconds.
    let barrierTimeoutSeconds: Int
    let mergeTimeoutSeconds: Int

    /// The multi-document YAML, `---`-separated.
    var yaml: String {
        [configMap(), filesConfigMap(), secret(), claim(), service(), shardJob(), mergeJob()].compactMap { $0 }.joined(separator: "---\n")
    }

    /// The common labels, one per line at `indent`.
    private func labels(_ indent: String) -> String {
        "\(indent)app.kubernetes.io/name: estbench\n\(indent)app.kubernetes.io/instance: \(q(name))\n"
    }

    private func metadata(_ suffix: String) -> String {
        """
        metadata:
          name: \(q(name + suffix))
          namespace: \(q(namespace))
          labels:

        """ + labels("    ")
    }

    private func configMap() -> String {
        "apiVersion: v1\nkind: ConfigMap\n" + metadata("-profile") + "data:\n  profile.yaml: \(q(profileText))\n"
    }

    private func filesConfigMap() -> String? {
        let public_ = files.filter { !$0.secret }
        guard !public_.isEmpty else { return nil }
        return "apiVersion: v1\nkind: ConfigMap\n" + metadata("-files") + "data:\n"
            + public_.map { "  \($0.key): \(q(String(decoding: $0.contents, as: UTF8.self)))\n" }.joined()
    }

    private func secret() -> String? {
        let private_ = files.filter(\.secret)
        guard !private_.isEmpty || passwordEnvironment != nil else { return nil }
        var data = private_.map { "  \($0.key): \(q(Data($0.contents).base64EncodedString()))\n" }.joined()
        if let passwordEnvironment { data += "  basic-password: \(q(Data(passwordEnvironment.value.utf8).base64EncodedString()))\n" }
        return "apiVersion: v1\nkind: Secret\n" + metadata("-secrets") + "type: Opaque\ndata:\n" + data
    }

    private func claim() -> String {
        """
        apiVersion: v1
        kind: PersistentVolumeClaim
        \(metadata("-results"))spec:
          # Every shard and the merge Job mount it at once, from any node: ReadWriteMany (NFS, CephFS, EFS, Filestore…).
          accessModes: [ReadWriteMany]
          resources:
            requests:
              storage: 1Gi

        """
    }

    private func service() -> String {
        """
        apiVersion: v1
        kind: Service
        \(metadata("-metrics"))spec:
          clusterIP: None
          selector:
            app.kubernetes.io/instance: \(q(name))
            estbench/role: shard
          ports:
            - name: metrics
              port: \(Self.metricsPort)
              targetPort: \(Self.metricsPort)

        """
    }

    /// The shards' arguments: the profile, the target and every file rewritten to where the pod sees it.
    var shardArguments: [String] {
        var args = ["run", Self.profileDirectory + "/profile.yaml", "--target", target, "--shards", String(shards),
                    "--threads", String(threads), "--barrier", Self.resultsDirectory + "/" + name + "/barrier",
                    "--barrier-timeout", "\(barrierTimeoutSeconds)s", "--results", Self.resultsDirectory + "/" + name,
                    "--metrics-listen", "0.0.0.0:\(Self.metricsPort)", "--metrics-linger", "30"]
        for file in files { args += ["--set", "\(file.profilePath)=\(file.mountedPath)"] }
        for override in overrides { args += ["--set", override] }
        return args
    }

    /// The pod's volume mounts (under a container, at 12 spaces) and volumes (under the pod spec, at 8).
    private func volumes() -> (mounts: String, volumes: String) {
        let indent = "          "
        let v = "        "
        var mounts = "\(indent)  - name: profile\n\(indent)    mountPath: \(q(Self.profileDirectory))\n\(indent)    readOnly: true\n"
            + "\(indent)  - name: results\n\(indent)    mountPath: \(q(Self.resultsDirectory))\n"
        var volumes = "\(v)- name: profile\n\(v)  configMap:\n\(v)    name: \(q(name + "-profile"))\n"
            + "\(v)- name: results\n\(v)  persistentVolumeClaim:\n\(v)    claimName: \(q(name + "-results"))\n"
        if files.contains(where: { !$0.secret }) {
            mounts += "\(indent)  - name: files\n\(indent)    mountPath: \(q(Self.filesDirectory))\n\(indent)    readOnly: true\n"
            volumes += "\(v)- name: files\n\(v)  configMap:\n\(v)    name: \(q(name + "-files"))\n"
        }
        if files.contains(where: \.secret) {
            mounts += "\(indent)  - name: secrets\n\(indent)    mountPath: \(q(Self.secretsDirectory))\n\(indent)    readOnly: true\n"
            // Private keys: readable by their owner and the pod's fsGroup only (0440), never world-readable.
            volumes += "\(v)- name: secrets\n\(v)  secret:\n\(v)    secretName: \(q(name + "-secrets"))\n\(v)    defaultMode: 288\n"
        }
        return (mounts, volumes)
    }

    private func shardJob() -> String {
        let (mounts, volumes) = volumes()
        var env = ""
        if let passwordEnvironment {
            env = """
                      env:
                        - name: \(q(passwordEnvironment.name))
                          valueFrom:
                            secretKeyRef:
                              name: \(q(name + "-secrets"))
                              key: basic-password

            """
        }
        return """
        apiVersion: batch/v1
        kind: Job
        \(metadata(""))spec:
          completionMode: Indexed
          completions: \(shards)
          parallelism: \(shards)
          backoffLimit: 0
          template:
            metadata:
              labels:
        \(labels("        "))        estbench/role: shard
            spec:
              restartPolicy: Never
              securityContext:
                fsGroup: 65532
              containers:
                - name: shard
                  image: \(q(image))
                  args: [\(shardArguments.map(q).joined(separator: ", "))]
                  ports:
                    - name: metrics
                      containerPort: \(Self.metricsPort)
                  resources:
                    requests:
                      cpu: \(q(String(threads)))
        \(env)          volumeMounts:
        \(mounts)      volumes:
        \(volumes)
        """
    }

    /// Kubernetes cannot order Jobs: the merge Job polls until every shard's result.json is there.
    private func mergeJob() -> String {
        let dir = Self.resultsDirectory + "/" + name
        let script = """
        set -eu
        deadline=$(( $(date +%s) + \(mergeTimeoutSeconds) ))
        while :; do
          n=0
          for i in $(seq 0 \(shards - 1)); do
            for f in \(dir)/*-shard${i}of\(shards)/result.json; do [ -f "$f" ] && n=$((n + 1)) && break; done
          done
          [ "$n" -eq \(shards) ] && break
          if [ "$(date +%s)" -ge "$deadline" ]; then echo "merge: $n of \(shards) shards finished after \(mergeTimeoutSeconds) s" >&2; exit 3; fi
          sleep 10
        done
        exec estbench merge \(dir)/*-shard*of\(shards) --out \(dir)/merged
        """
        let (mounts, volumes) = volumes()
        return """
        apiVersion: batch/v1
        kind: Job
        \(metadata("-merge"))spec:
          backoffLimit: 0
          template:
            metadata:
              labels:
        \(labels("        "))        estbench/role: merge
            spec:
              restartPolicy: Never
              securityContext:
                fsGroup: 65532
              containers:
                - name: merge
                  image: \(q(image))
                  command: ["/bin/sh", "-c", \(q(script))]
                  volumeMounts:
        \(mounts)      volumes:
        \(volumes)
        """
    }

    /// A YAML double-quoted scalar (JSON string syntax is valid YAML).
    private func q(_ text: String) -> String {
        var out = "\""
        for scalar in text.unicodeScalars {
            switch scalar {
            case "\"": out += "\\\""
            case "\\": out += "\\\\"
            case "\n": out += "\\n"
            case "\r": out += "\\r"
            case "\t": out += "\\t"
            default:
                if scalar.value < 0x20 {
                    out += String(format: "\\u%04x", scalar.value)
                } else {
                    out.unicodeScalars.append(scalar)
                }
            }
        }
        return out + "\""
    }

    /// A multi-stage Containerfile: built with the Swift toolchain image, run on slim Debian.
    static let containerfile = """
    # estbench in a container: build with the Swift toolchain, run on slim Debian with libuv and OpenSSL.
    #   docker build -f Containerfile -t registry.example/estbench:1 . && docker push registry.example/estbench:1
    FROM swift:6.0-bookworm AS build
    RUN apt-get update && apt-get install -y --no-install-recommends libuv1-dev libssl-dev zlib1g-dev pkg-config \\
        && rm -rf /var/lib/apt/lists/*
    WORKDIR /src
    COPY Package.swift ./
    COPY Sources ./Sources
    COPY Tests ./Tests
    RUN swift build -c release --static-swift-stdlib --product estbench

    FROM debian:bookworm-slim
    RUN apt-get update && apt-get install -y --no-install-recommends libuv1 libssl3 zlib1g ca-certificates \\
        && rm -rf /var/lib/apt/lists/*
    COPY --from=build /src/.build/release/estbench /usr/local/bin/estbench
    COPY Profiles /usr/share/estbench/Profiles
    USER 65532:65532
    ENTRYPOINT ["estbench"]

    """
}
