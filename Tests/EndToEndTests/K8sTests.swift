import Foundation
import XCTest

/// `estbench k8s`: the manifests for N shards validate offline against the Kubernetes schemas
/// (kubernetes-validate, strict), private keys and passwords go only into the Secret, the Job is an
/// Indexed Job of N shards meeting at a barrier, and a plan without an external target is refused.
final class K8sTests: XCTestCase {
    func testManifestsValidateAndKeepSecretsInTheSecret() throws {
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("estbench-k8s-\(UUID().uuidString)").path
        try FileManager.default.createDirectory(atPath: dir, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(atPath: dir) }
        XCTAssertEqual(try tool(["openssl", "req", "-x509", "-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:P-256", "-nodes",
                                 "-keyout", dir + "/boot.key", "-out", dir + "/boot.pem", "-subj", "/CN=boot", "-days", "1"]).status, 0)
        try FileManager.default.copyItem(atPath: dir + "/boot.pem", toPath: dir + "/ca.pem")
        try "pw-never-in-plain-text\n".write(toFile: dir + "/pw", atomically: true, encoding: .utf8)
        let profile = dir + "/fleet.yaml"
        try """
        target:
          caBundle: \(dir)/ca.pem
          bootstrap: {certificate: \(dir)/boot.pem, key: \(dir)/boot.key}
          credentials:
            basic: {user: dev, passwordFile: \(dir)/pw}
        devices: {count: 3000}
        lifecycle: [{op: simpleenroll}]
        load: {open: {rate: 300}}
        stop: {durationSeconds: 60}
        """.write(toFile: profile, atomically: true, encoding: .utf8)

        // No external target: refused, nothing printed.
        let refused = try runEstbench(["k8s", profile, "--shards", "3", "--image", "registry.example/estbench:1"])
        XCTAssertEqual(refused.status, 2)
        XCTAssertTrue(refused.stderr.contains("no target"), refused.stderr)

        let r = try runEstbench(["k8s", profile, "--shards", "3", "--image", "registry.example/estbench:1",
                                 "--target", "https://est.example.net:8443", "--namespace", "load", "--threads", "4"])
        XCTAssertEqual(r.status, 0, r.stderr)
        let manifests = dir + "/manifests.yaml"
        try r.stdout.write(toFile: manifests, atomically: true, encoding: .utf8)
        let validated = try tool(["kubernetes-validate", "--strict", manifests])
        XCTAssertEqual(validated.status, 0, "kubernetes-validate (CI installs it: pip install kubernetes-validate): "
                       + String(decoding: validated.stdout, as: UTF8.self) + validated.stderr)
        let passed = String(decoding: validated.stdout, as: UTF8.self).components(separatedBy: "passed for resource").count - 1
        XCTAssertEqual(passed, 7, "ConfigMap ×2, Secret, PVC, Service, Job ×2")

        let documents = r.stdout.components(separatedBy: "---\n")
        let secret = try XCTUnwrap(documents.first { $0.contains("kind: Secret") })
        for document in documents where !document.contains("kind: Secret") {
            XCTAssertFalse(document.contains("PRIVATE KEY"), "a private key outside the Secret")
            XCTAssertFalse(document.contains("pw-never-in-plain-text"), "the password outside the Secret")
        }
        XCTAssertTrue(secret.contains("bootstrap.key:") && secret.contains("basic-password:"), secret)
        let job = try XCTUnwrap(documents.first { $0.contains("completionMode: Indexed") })
        XCTAssertTrue(job.contains("completions: 3") && job.contains("parallelism: 3"), job)
        for argument in ["\"--shards\", \"3\"", "\"--barrier\"", "\"--target\", \"https://est.example.net:8443\"",
                         "\"target.bootstrap.key=/etc/estbench/secrets/bootstrap.key\"", "\"--metrics-listen\", \"0.0.0.0:9464\""] {
            XCTAssertTrue(job.contains(argument), argument)
        }
        XCTAssertTrue(job.contains("cpu: \"4\""))
        XCTAssertTrue(documents.contains { $0.contains("ReadWriteMany") })
        XCTAssertTrue(documents.contains { $0.contains("clusterIP: None") })
        XCTAssertTrue(documents.contains { $0.contains("estbench merge /results/fleet/*-shard*of3 --out /results/fleet/merged") })

        let containerfile = try runEstbench(["k8s", "--containerfile"])
        XCTAssertEqual(containerfile.status, 0)
        XCTAssertTrue(containerfile.stdout.contains("FROM swift:") && containerfile.stdout.contains("FROM debian:bookworm-slim"))
    }
}
