import DER

/// The template as lines of `key=value` text: how pool files record what their CSRs ask for.
extension CSRTemplate {
    public var text: String {
        var lines: [String] = []
        for (a, p) in subject { lines.append("subject.\(a.rawValue)=\(p.text)") }
        for p in sanDNS { lines.append("san.dns=\(p.text)") }
        for p in sanURI { lines.append("san.uri=\(p.text)") }
        for ip in sanIP { lines.append("san.ip=\(Hex.encode(ip))") }
        if let challengePassword { lines.append("challengePassword=\(challengePassword)") }
        for x in extraExtensions { lines.append("extension=\(x.oid),\(x.critical),\(Hex.encode(x.value))") }
        return lines.joined(separator: "\n")
    }

    public init(text: String) throws(PKIError) {
        self.init()
        for line in text.split(separator: "\n", omittingEmptySubsequences: true) {
            guard let eq = line.firstIndex(of: "=") else { throw .invalidTemplate("template line \"\(line)\" has no \"=\"") }
            let key = String(line[..<eq])
            let value = String(line[line.index(after: eq)...])
            if key.hasPrefix("subject.") {
                guard let a = Attribute(rawValue: String(key.dropFirst(8))) else {
                    throw .invalidTemplate("unknown subject attribute \"\(key.dropFirst(8))\"; allowed: \(Attribute.allowedNames)")
                }
                subject.append((a, try FieldPattern(value)))
            } else if key == "san.dns" {
                sanDNS.append(try FieldPattern(value))
            } else if key == "san.uri" {
                sanURI.append(try FieldPattern(value))
            } else if key == "san.ip" {
                guard let bytes = Hex.decode(value) else { throw .invalidTemplate("san.ip \"\(value)\" is not hex") }
                sanIP.append(bytes)
            } else if key == "challengePassword" {
                challengePassword = value
            } else if key == "extension" {
                let parts = value.split(separator: ",", omittingEmptySubsequences: false)
                guard parts.count == 3, let oid = OID(dotted: String(parts[0])),
                      let critical = Bool(String(parts[1])), let bytes = Hex.decode(String(parts[2])) else {
                    throw .invalidTemplate("extension \"\(value)\" is not OID,true|false,HEX")
                }
                extraExtensions.append(Extension(oid: oid, critical: critical, value: bytes))
            } else {
                throw .invalidTemplate("unknown template key \"\(key)\"")
            }
        }
        try validate()
    }
}

/// Lower-case hexadecimal text.
public enum Hex {
    public static func encode(_ bytes: some Sequence<UInt8>) -> String {
        let digits = Array("0123456789abcdef".utf8)
        var out: [UInt8] = []
        for b in bytes {
            out.append(digits[Int(b >> 4)])
            out.append(digits[Int(b & 15)])
        }
        return String(decoding: out, as: UTF8.self)
    }

    public static func decode(_ text: String) -> [UInt8]? {
        let chars = Array(text.utf8)
        guard chars.count % 2 == 0 else { return nil }
        func value(_ c: UInt8) -> UInt8? {
            switch c {
            case 0x30...0x39: return c - 0x30
            case 0x61...0x66: return c - 0x61 + 10
            case 0x41...0x46: return c - 0x41 + 10
            default: return nil
            }
        }
        var out: [UInt8] = []
        var i = 0
        while i < chars.count {
            guard let hi = value(chars[i]), let lo = value(chars[i + 1]) else { return nil }
            out.append(hi << 4 | lo)
            i += 2
        }
        return out
    }
}
