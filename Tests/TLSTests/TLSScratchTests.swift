@testable import TLS
import XCTest

/// The per-thread scratch buffers: the same pair on one thread, and a nested use (a callback that
/// writes another connection while the buffer is lent out) gets a separate temporary buffer.
final class TLSScratchTests: XCTestCase {
    func testNestedUseGetsATemporaryBuffer() {
        let scratch = TLSScratch.current
        XCTAssertTrue(scratch === TLSScratch.current)
        var outer: UnsafeMutableRawPointer?
        var inner: UnsafeMutableRawPointer?
        scratch.withCiphertext { a in
            outer = a.baseAddress
            a[0] = 1
            scratch.withCiphertext { b in
                inner = b.baseAddress
                b[0] = 2
                XCTAssertEqual(b.count, TLSScratch.ciphertextSize)
            }
            XCTAssertEqual(a[0], 1, "the lent buffer was not touched by the nested use")
        }
        XCTAssertNotEqual(outer, inner)
        scratch.withCiphertext { XCTAssertEqual($0.baseAddress, outer, "lent again after it came back") }
        scratch.withPlaintext { p in scratch.withPlaintext { XCTAssertNotEqual($0.baseAddress, p.baseAddress) } }
    }
}
