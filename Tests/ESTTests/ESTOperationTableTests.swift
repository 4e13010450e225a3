import EST
import XCTest

/// `ESTOperationTable` answers as the Dictionary it replaces on the load loop's path: every operation
/// its own slot, absent until set, removable, built from a dictionary.
final class ESTOperationTableTests: XCTestCase {
    func testEachOperationHasItsOwnSlot() {
        var table = ESTOperationTable<String>()
        XCTAssertEqual(table.count, 0)
        for op in ESTOperation.allCases { XCTAssertNil(table[op]) }
        for op in ESTOperation.allCases { table[op] = op.rawValue.uppercased() }
        XCTAssertEqual(table.count, ESTOperation.allCases.count)
        for op in ESTOperation.allCases { XCTAssertEqual(table[op], op.rawValue.uppercased()) }
        table[.fullcmc] = nil
        XCTAssertNil(table[.fullcmc])
        XCTAssertEqual(table[.serverkeygen], "SERVERKEYGEN")
        XCTAssertEqual(table.count, ESTOperation.allCases.count - 1)
    }

    func testBuiltFromADictionaryItAgreesWithIt() {
        let dictionary: [ESTOperation: Int] = [.cacerts: 1, .simplereenroll: 3, .csrattrs: 6]
        let table = ESTOperationTable(dictionary)
        for op in ESTOperation.allCases { XCTAssertEqual(table[op], dictionary[op], "\(op)") }
        XCTAssertEqual(table.count, dictionary.count)
    }
}
