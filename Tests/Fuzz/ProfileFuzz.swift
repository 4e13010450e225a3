import Workload

/// libFuzzer target: a profile (YAML) read and validated into a `RunPlan`.
@_cdecl("LLVMFuzzerTestOneInput")
public func fuzzProfile(_ data: UnsafePointer<UInt8>, _ size: Int) -> Int32 {
    let text = String(decoding: UnsafeBufferPointer(start: data, count: size), as: UTF8.self)
    _ = try? RunPlan.load(yaml: text, name: "fuzz")
    return 0
}
