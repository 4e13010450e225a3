@testable import estbench
import Testing

/// What the console says about the built-in server sharing the load's cores (Swift Testing).
@Suite struct BuiltInServerTests {
    @Test func sharingNoteNamesTheCoresAndTheLoadThreads() {
        #expect(BuiltInServer.sharingNote(cores: 2, loadThreads: 1)
                == "the built-in server shares this machine's 2 core(s) with 1 load thread(s): figures measure both (give a target URL to measure a server alone)")
        #expect(BuiltInServer.sharingNote(cores: 2, loadThreads: 2).contains("(3 threads on 2 core(s): oversubscribed)"))
    }
}
