@testable import estbench
import Testing

/// URL parsing and number formatting of the command line (Swift Testing).
@Suite struct ProbeTargetTests {
    @Test func parsesHostPortAndPath() throws {
        let t = try ProbeTarget(url: "https://127.0.0.1:8443/.well-known/est/cacerts")
        #expect(t.host == "127.0.0.1")
        #expect(t.port == 8443)
        #expect(t.path == "/.well-known/est/cacerts")
        #expect(t.hostField == "127.0.0.1:8443")
        #expect(t.address.description == "127.0.0.1:8443")
    }

    @Test func ipv6DefaultPortAndRootPath() throws {
        let t = try ProbeTarget(url: "https://[::1]")
        #expect(t.host == "::1")
        #expect(t.port == 443)
        #expect(t.path == "/")
        #expect(t.hostField == "[::1]")
    }

    @Test func localhostResolves() throws {
        let t = try ProbeTarget(url: "https://localhost:9/x")
        #expect(["127.0.0.1:9", "[::1]:9"].contains(t.address.description))
        #expect(t.hostField == "localhost:9")
    }

    @Test(arguments: ["http://127.0.0.1/", "https://", "https://user@127.0.0.1/", "https://127.0.0.1:0/", "https://[::1/"])
    func rejectsBadURLs(_ url: String) {
        #expect(throws: CLIError.self) { try ProbeTarget(url: url) }
    }

    @Test func formatsNumbers() {
        #expect(Format.grouped(1_234_567.6) == "1,234,568")
        #expect(Format.grouped(-1000) == "-1,000")
        #expect(Format.fixed(0.9634, 3) == "0.963")
        #expect(Format.fixed(2.5, 0) == "3")
        #expect(Format.bytes(6_291_456) == "6.0 MiB")
    }
}
