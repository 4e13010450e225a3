/// Appending wire text to a caller-owned buffer without building intermediate Strings or arrays.
extension HTTPSyntax {
    @inline(__always) static func append(_ literal: StaticString, to out: inout [UInt8]) {
        out.append(contentsOf: UnsafeBufferPointer(start: literal.utf8Start, count: literal.utf8CodeUnitCount))
    }

    /// Appends a non-negative integer in decimal.
    @inline(__always) static func appendDecimal(_ value: Int, to out: inout [UInt8]) {
        precondition(value >= 0, "negative length")
        var divisor = 1
        while divisor <= value / 10 { divisor &*= 10 }
        var rest = value
        while divisor > 0 {
            out.append(0x30 &+ UInt8(truncatingIfNeeded: rest / divisor))
            rest %= divisor
            divisor /= 10
        }
    }

    /// Checks text that goes into a message head: refuses control bytes (CR, LF, NUL, …; HTAB is
    /// allowed where `allowTab`), so no caller-supplied value can end a line or inject a field.
    static func validateText(_ text: String, field: String, allowTab: Bool = true) throws(HTTPTemplateError) {
        var offset = 0
        for b in text.utf8 {
            if isControl(b) || (!allowTab && b == ht) {
                throw .controlCharacter(field: field, offset: offset, byte: b)
            }
            offset += 1
        }
    }

    /// Checks a field name: control bytes first (the injection error), then the token grammar.
    static func validateFieldName(_ name: String) throws(HTTPTemplateError) {
        try validateText(name, field: "field name", allowTab: false)
        guard !name.utf8.isEmpty, name.utf8.allSatisfy(isToken) else { throw .invalidFieldName(name) }
    }

    /// Checks caller-supplied fields: valid names, no control bytes in values, and none of the
    /// `reserved` (lowercase) names the template writes itself.
    static func validateExtraFields(_ fields: [(name: String, value: String)], reserved: [String]) throws(HTTPTemplateError) {
        for (name, value) in fields {
            try validateFieldName(name)
            try validateText(value, field: name + " value")
            let lower = String(decoding: name.utf8.map(lowercased), as: UTF8.self)
            if reserved.contains(lower) { throw .reservedField(name) }
        }
    }

    /// `name: value\r\n` for a validated field.
    static func appendField(_ name: String, _ value: String, to out: inout [UInt8]) {
        out.append(contentsOf: name.utf8)
        out.append(colon)
        out.append(sp)
        out.append(contentsOf: value.utf8)
        out.append(cr)
        out.append(lf)
    }
}
