import DER

/// A way a response departs from RFC 7030 / RFC 8951 without failing the operation: counted as
/// an interop finding with one example. The example text is made only when asked for.
public enum ESTDeviation: Sendable {
    case contentTransferEncoding(value: String)
    case missingSMIMEType(ESTOperation, contentType: String)
    case trailingNUL(ESTOperation)
    case noFinalNewline(ESTOperation)
    case longBase64Lines(ESTOperation)
    /// The CA's policy rewrote the subject (DER Names as sent and as issued).
    case subjectRewritten(requested: [UInt8], issued: [UInt8])
    /// serverkeygen returned its key CMS-enveloped: recorded, not opened (no decryption key here).
    case envelopedServerKey
    /// serverkeygen's key part is labelled application/pkcs8 but holds PKCS#1 or SEC1.
    case keyNotPKCS8
    /// One CA issued the same serial number twice in this run (a CA concurrency bug).
    case duplicateSerial(serial: [UInt8], issuer: [UInt8], first: [UInt8], second: [UInt8])

    /// The stable finding key in result.json.
    public var kind: String {
        switch self {
        case .contentTransferEncoding: return "content_transfer_encoding"
        case .missingSMIMEType: return "missing_smime_type"
        case .trailingNUL: return "trailing_nul"
        case .noFinalNewline: return "no_final_newline"
        case .longBase64Lines: return "long_base64_lines"
        case .subjectRewritten: return "subject_rewritten"
        case .envelopedServerKey: return "serverkeygen_enveloped"
        case .keyNotPKCS8: return "key_not_pkcs8"
        case .duplicateSerial: return "duplicate_serial"
        }
    }

    /// One example, as a person reads it.
    public var example: String {
        switch self {
        case .contentTransferEncoding(let v): return "Content-Transfer-Encoding: \(v) (obsolete, RFC 8951 3.2)"
        case .missingSMIMEType(let op, let type): return "\(op) answered Content-Type: \(type)"
        case .trailingNUL(let op): return "\(op) body ends with a NUL byte"
        case .noFinalNewline(let op): return "\(op) base64 body has no final newline"
        case .longBase64Lines(let op): return "\(op) base64 lines longer than 76 columns"
        case .subjectRewritten(let requested, let issued):
            return "requested \(ESTDeviation.names(requested[...])), issued \(ESTDeviation.names(issued[...]))"
        case .envelopedServerKey: return "serverkeygen returned its key CMS-enveloped (smime-type=server-generated-key): not checked"
        case .keyNotPKCS8: return "serverkeygen key part labelled application/pkcs8 holds a PKCS#1 or SEC1 key"
        case .duplicateSerial(let serial, let issuer, let first, let second):
            let hex = serial.map { ($0 < 16 ? "0" : "") + String($0, radix: 16) }.joined()
            return "serial 0x\(hex) issued twice by \(ESTDeviation.names(issuer[...])): to \(ESTDeviation.names(first[...])) and to \(ESTDeviation.names(second[...]))"
        }
    }

    /// A DER Name as `OID=value,…` ("?" where it does not parse: this is an example text, not a check).
    static func names(_ name: ArraySlice<UInt8>) -> String {
        var parts: [String] = []
        do {
            var rdns = try DERReader.single(name).children()
            while let rdn = try rdns.next() {
                var atvs = rdn.children()
                while let atv = try atvs.next() {
                    var fields = atv.children()
                    let oid = try fields.read().oid()
                    let value = try fields.read().string()
                    parts.append("\(oid)=\(value)")
                }
            }
        } catch {
            parts.append("?")
        }
        return parts.joined(separator: ",")
    }
}
