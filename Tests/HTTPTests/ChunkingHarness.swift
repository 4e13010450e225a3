import DER
import XCTest
@testable import HTTP

/// How a run over one input ended.
enum Ending: Equatable {
    /// Input ran out; `pending` bytes were consumed towards a message not yet complete.
    case needsInput(pending: Int)
    /// `finish()` completed a close-delimited message (it is the last of `messages`).
    case completedAtEOF
    case failed(HTTPError)
}

/// Messages parsed from one input, with the bytes each consumed, and how the run ended.
struct Outcome<Snapshot: Equatable>: Equatable {
    var messages: [Snapshot] = []
    var lengths: [Int] = []
    var ending: Ending = .needsInput(pending: 0)
}

/// How an input is cut into the pieces fed to the parser.
enum Chunking: CustomStringConvertible {
    case whole
    case byteByByte
    case random(seed: UInt64, maxChunk: Int)

    var description: String {
        switch self {
        case .whole: return "whole"
        case .byteByByte: return "byte by byte"
        case .random(let s, let m): return "random(seed \(s), max \(m))"
        }
    }

    /// whole, byte by byte, and random chunkings with small to large pieces.
    static var all: [Chunking] {
        var result: [Chunking] = [.whole, .byteByByte]
        let maxima = [2, 3, 7, 16, 64, 512, 2000]
        for seed in UInt64(1)...21 { result.append(.random(seed: seed, maxChunk: maxima[Int(seed) % maxima.count])) }
        return result
    }
}

/// Feeds `input` cut by `chunking`, collecting every message; calls `finish()` at the end when
/// `finish` is set. Each fed piece is a fresh array, so the parser cannot rely on earlier input.
func run<D: DrivenParser>(_ driver: D, _ input: [UInt8], _ chunking: Chunking, finish: Bool) -> Outcome<D.Snapshot> {
    var d = driver
    var outcome = Outcome<D.Snapshot>()
    var rng = SplitMix64(seed: 0)
    var maxChunk = input.count
    switch chunking {
    case .whole: maxChunk = max(input.count, 1)
    case .byteByByte: maxChunk = 1
    case .random(let seed, let m):
        rng = SplitMix64(seed: seed)
        maxChunk = m
    }
    var pending = 0
    var offset = 0
    outer: while offset < input.count {
        let size: Int
        if case .random = chunking { size = Int.random(in: 1...maxChunk, using: &rng) } else { size = maxChunk }
        var piece = Array(input[offset..<min(offset + size, input.count)])
        offset += piece.count
        while !piece.isEmpty {
            switch d.feed(piece) {
            case .needsInput:
                pending += piece.count
                piece = []
            case .complete(let consumed):
                precondition(consumed > 0 && consumed <= piece.count, "complete(consumed: \(consumed)) of \(piece.count)")
                outcome.messages.append(d.snapshot())
                outcome.lengths.append(pending + consumed)
                pending = 0
                piece.removeFirst(consumed)
                d.prepare(forMessage: outcome.messages.count)
            case .failed(let e):
                outcome.ending = .failed(e)
                break outer
            }
        }
    }
    if case .failed = outcome.ending { return outcome }
    outcome.ending = .needsInput(pending: pending)
    if finish {
        switch d.finish() {
        case .complete(let consumed):
            precondition(consumed == 0)
            outcome.messages.append(d.snapshot())
            outcome.lengths.append(pending)
            outcome.ending = .completedAtEOF
        case .failed(let e):
            outcome.ending = .failed(e)
        case .needsInput:
            preconditionFailure("finish() returned needsInput")
        }
    }
    return outcome
}

/// Parses `input` whole, byte by byte and in random pieces; fails unless every run gives the
/// identical outcome. Returns the outcome of the whole-input run.
@discardableResult
func assertSameForEveryChunking<D: DrivenParser>(
    _ driver: D, _ input: [UInt8], finish: Bool = false, file: StaticString = #filePath, line: UInt = #line
) -> Outcome<D.Snapshot> {
    let reference = run(driver, input, .whole, finish: finish)
    for chunking in Chunking.all.dropFirst() {
        let other = run(driver, input, chunking, finish: finish)
        if other != reference {
            XCTFail("\(chunking) differs from whole input:\n  whole: \(reference)\n  \(chunking): \(other)", file: file, line: line)
            return reference
        }
    }
    return reference
}

/// The single response in `input`, which must consume all of it, checked across chunkings.
func parseResponse(
    _ input: [UInt8], method: HTTPMethod = .get, limits: HTTPLimits = HTTPLimits(), finish: Bool = false,
    file: StaticString = #filePath, line: UInt = #line
) -> ResponseSnapshot? {
    let outcome = assertSameForEveryChunking(
        ResponseDriver(limits: limits, methods: [method]), input, finish: finish, file: file, line: line)
    guard outcome.messages.count == 1, outcome.lengths == [input.count] else {
        XCTFail("expected one response of \(input.count) bytes, got \(outcome)", file: file, line: line)
        return nil
    }
    return outcome.messages[0]
}

/// The error parsing `input` ends with, checked across chunkings.
func responseError(
    _ input: [UInt8], method: HTTPMethod = .get, limits: HTTPLimits = HTTPLimits(), finish: Bool = false,
    file: StaticString = #filePath, line: UInt = #line
) -> HTTPError? {
    let outcome = assertSameForEveryChunking(
        ResponseDriver(limits: limits, methods: [method]), input, finish: finish, file: file, line: line)
    guard case .failed(let e) = outcome.ending else {
        XCTFail("expected a failure, got \(outcome)", file: file, line: line)
        return nil
    }
    return e
}

func parseRequest(
    _ input: [UInt8], limits: HTTPLimits = HTTPLimits(), file: StaticString = #filePath, line: UInt = #line
) -> RequestSnapshot? {
    let outcome = assertSameForEveryChunking(RequestDriver(limits: limits), input, file: file, line: line)
    guard outcome.messages.count == 1, outcome.lengths == [input.count] else {
        XCTFail("expected one request of \(input.count) bytes, got \(outcome)", file: file, line: line)
        return nil
    }
    return outcome.messages[0]
}

func requestError(
    _ input: [UInt8], limits: HTTPLimits = HTTPLimits(), finish: Bool = false,
    file: StaticString = #filePath, line: UInt = #line
) -> HTTPError? {
    let outcome = assertSameForEveryChunking(RequestDriver(limits: limits), input, finish: finish, file: file, line: line)
    guard case .failed(let e) = outcome.ending else {
        XCTFail("expected a failure, got \(outcome)", file: file, line: line)
        return nil
    }
    return e
}
