import Foundation
import Report

/// libFuzzer target: result.json as merge and compare read it.
@_cdecl("LLVMFuzzerTestOneInput")
public func fuzzResultJSON(_ data: UnsafePointer<UInt8>, _ size: Int) -> Int32 {
    _ = try? RunResult.decode(from: Data(bytes: data, count: size))
    return 0
}
