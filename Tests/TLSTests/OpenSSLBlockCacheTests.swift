import COpenSSL
import COpenSSLShims
import Foundation
import PKI
@testable import TLS
import XCTest

/// OpenSSL's allocations go through a per-thread cache of small blocks (COpenSSLShims/block_cache.c):
/// installed at load time except in sanitizer builds, reused by later handshakes on the same thread,
/// bounded per thread, and `CRYPTO_realloc` keeps a block's contents.
final class OpenSSLBlockCacheTests: XCTestCase {
    private func requireCache() throws {
        guard COpenSSLShims_block_cache_built() == 1 else { throw XCTSkip("sanitizer build: OpenSSL keeps the system allocator") }
        XCTAssertEqual(COpenSSLShims_block_cache_installed(), 1, "installed before OpenSSL's first allocation")
    }

    /// Runs `body` on a new thread (a fresh, empty cache) and returns its result.
    private func onNewThread<T: Sendable>(_ body: @escaping @Sendable () throws -> T) throws -> T {
        let result = Locked<Result<T, any Error>?>(nil)
        let thread = Thread { result.withLock { $0 = Result { try body() } } }
        thread.start()
        let deadline = Date().addingTimeInterval(120)
        while result.withLock({ $0 == nil }) && Date() < deadline { usleep(1000) }
        guard let outcome = result.withLock({ $0 }) else { throw TLSError.configuration(operation: "test thread", errors: ["did not finish in 120 s"]) }
        return try outcome.get()
    }

    func testASecondHandshakeOnAThreadReusesTheBlocksTheFirstFreed() throws {
        try requireCache()
        let fixture = try TLSFixture()
        let server = try TLSContext(fixture.serverConfiguration { $0.certificateChain = [fixture.serverCertificate, fixture.caCertificate] })
        let client = try TLSContext(fixture.clientConfiguration { $0.cacheVerifiedChains = false })
        struct Counts: Sendable { let hits: [UInt64]; let bytes: [Int] }
        let counts = try onNewThread { () throws -> Counts in
            var hits: [UInt64] = [COpenSSLShims_block_cache_thread_hits()]
            var bytes: [Int] = [COpenSSLShims_block_cache_thread_bytes()]
            for _ in 0..<2 {
                do {
                    let c = try TLSSession(context: client, serverName: "localhost")
                    let s = try TLSSession(context: server)
                    if let error = pumpHandshake(c, s) { throw error }
                }
                hits.append(COpenSSLShims_block_cache_thread_hits())
                bytes.append(COpenSSLShims_block_cache_thread_bytes())
            }
            return Counts(hits: hits, bytes: bytes)
        }
        XCTAssertEqual(counts.bytes[0], 0, "a new thread starts with an empty cache")
        XCTAssertGreaterThan(counts.bytes[1], 0, "the first handshake's freed blocks are kept")
        // Both sides of a full handshake with chain verification allocate thousands of small blocks.
        XCTAssertGreaterThan(counts.hits[2] - counts.hits[1], 1000, "the second handshake is served from the cache")
        for b in counts.bytes { XCTAssertLessThanOrEqual(b, COpenSSLShims_block_cache_budget()) }
    }

    func testTheCacheHoldsAtMostItsBudgetAndReallocKeepsContents() throws {
        try requireCache()
        let budget = COpenSSLShims_block_cache_budget()
        let (held, reused, intact) = try onNewThread { () -> (Int, UInt64, Bool) in
            // Three budgets' worth of 512-byte blocks, all freed: the cache keeps one budget's worth.
            let count = 3 * budget / 512
            var blocks: [UnsafeMutableRawPointer] = []
            for _ in 0..<count { if let p = CRYPTO_malloc(512, #fileID, #line) { blocks.append(p) } }
            for p in blocks { CRYPTO_free(p, #fileID, #line) }
            let held = COpenSSLShims_block_cache_thread_bytes()
            let before = COpenSSLShims_block_cache_thread_hits()
            var intact = true
            // A block from the cache grown through sizes that cross classes and leave the cache
            // (past 1,024 bytes): its contents survive each move.
            var p = CRYPTO_malloc(500, #fileID, #line)
            var size = 500
            p?.initializeMemory(as: UInt8.self, repeating: 0xA5, count: size)
            for next in [505, 700, 1000, 1100, 5000] {
                guard let grown = CRYPTO_realloc(p, next, #fileID, #line) else { intact = false; break }
                let bytes = UnsafeRawBufferPointer(start: grown, count: size)
                intact = intact && bytes.allSatisfy { $0 == 0xA5 }
                grown.advanced(by: size).initializeMemory(as: UInt8.self, repeating: 0xA5, count: next - size)
                p = grown
                size = next
            }
            CRYPTO_free(p, #fileID, #line)
            return (held, COpenSSLShims_block_cache_thread_hits() - before, intact)
        }
        XCTAssertLessThanOrEqual(held, budget)
        XCTAssertGreaterThan(held, budget / 2, "freed blocks are kept up to the budget")
        XCTAssertGreaterThan(reused, 0, "the first block comes from the freed 512-byte blocks")
        XCTAssertTrue(intact, "CRYPTO_realloc keeps the bytes already written")
    }

    /// A block OpenSSL allocated on one thread and freed on another joins the freeing thread's cache
    /// (blocks carry no header: any thread may keep any block) and serves that thread's next
    /// allocation of as many bytes as it holds. (Not of the size first asked for: malloc may hand
    /// out a chunk a little larger than a request, and the block is filed by what it holds.)
    func testABlockFreedOnAnotherThreadIsKeptThereAndReused() throws {
        try requireCache()
        let size = 200
        // Allocated on one thread and written through, its address kept as a number to cross threads.
        let address = try onNewThread { () -> UInt in
            guard let p = CRYPTO_malloc(size, #fileID, #line) else { return 0 }
            p.initializeMemory(as: UInt8.self, repeating: 0x5A, count: size)
            return UInt(bitPattern: p)
        }
        XCTAssertNotEqual(address, 0)
        let (bytesAfterFree, reusedSame, hits) = try onNewThread { () -> (Int, Bool, UInt64) in
            let block = UnsafeMutableRawPointer(bitPattern: address)
            let holds = COpenSSLShims_block_cache_block_bytes(block)
            let before = COpenSSLShims_block_cache_thread_bytes()
            CRYPTO_free(block, #fileID, #line)
            let after = COpenSSLShims_block_cache_thread_bytes()
            let hitsBefore = COpenSSLShims_block_cache_thread_hits()
            let again = CRYPTO_malloc(holds, #fileID, #line)
            defer { CRYPTO_free(again, #fileID, #line) }
            return (after - before, UInt(bitPattern: again) == address, COpenSSLShims_block_cache_thread_hits() - hitsBefore)
        }
        XCTAssertGreaterThan(bytesAfterFree, 0, "the freeing thread keeps the block")
        XCTAssertTrue(reusedSame, "its next allocation of as many bytes as the block holds is that block")
        XCTAssertEqual(hits, 1)
    }
}
