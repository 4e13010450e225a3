@testable import EST
import XCTest

/// The server's request-target parser: ASCII targets are read as bytes, any other by Characters;
/// both must give the same path or the same error.
final class ESTPathTests: XCTestCase {
    private func parse(_ target: String) -> Result<ESTPath, ESTPath.ParseError> {
        Result { () throws(ESTPath.ParseError) -> ESTPath in try ESTPath(target: target) }
    }

    private func parseByCharacters(_ target: String) -> Result<ESTPath, ESTPath.ParseError> {
        Result { () throws(ESTPath.ParseError) -> ESTPath in try ESTPath(characters: target) }
    }

    func testParsesPathsAndNamesWhatIsWrong() {
        XCTAssertEqual(parse("/.well-known/est/simpleenroll"), .success(ESTPath(operation: .simpleenroll)))
        XCTAssertEqual(parse("/.well-known/est/cacerts?x=/a/b"), .success(ESTPath(operation: .cacerts)))
        XCTAssertEqual(parse("/.well-known/est/dev-1_a.b/simplereenroll"), .success(ESTPath(label: "dev-1_a.b", operation: .simplereenroll)))
        XCTAssertEqual(parse("/.well-known/est/"), .failure(.unknownOperation("")))
        XCTAssertEqual(parse("/.well-known/est/simpleEnroll"), .failure(.unknownOperation("simpleEnroll")))
        XCTAssertEqual(parse("/.well-known/est/a/b/cacerts"), .failure(.notEST("/.well-known/est/a/b/cacerts")))
        XCTAssertEqual(parse("/.well-known/es"), .failure(.notEST("/.well-known/es")))
        XCTAssertEqual(parse("/x?/.well-known/est/cacerts"), .failure(.notEST("/x")))
        XCTAssertEqual(parse("/.well-known/est//cacerts"), .failure(.badLabel("")))
        XCTAssertEqual(parse("/.well-known/est/a%20b/cacerts"), .failure(.badLabel("a%20b")))
        XCTAssertEqual(parse("/.well-known/est/é/cacerts"), .failure(.badLabel("é")))
    }

    func testBytesAndCharactersAgree() {
        let targets = [
            "/.well-known/est/simpleenroll", "/.well-known/est/csrattrs?", "/.well-known/est/l/fullcmc",
            "/.well-known/est/l/", "/.well-known/est/l//serverkeygen", "/.well-known/est", "", "/", "?",
            "/.well-known/est/cacerts/", "/.well-known/est/x y/cacerts", "/.WELL-KNOWN/est/cacerts",
            "/.well-known/est/caf\u{E9}/cacerts", "/.well-known/est/\u{301}cacerts", "/.well-known/est/cacerts?\u{301}",
        ]
        for target in targets {
            XCTAssertEqual(parse(target), parseByCharacters(target), target)
        }
    }
}
