import DER

/// PKCS#8 PrivateKeyInfo (RFC 5208 / RFC 5958) encoded by our DER from the raw key material —
/// what `serverkeygen` returns to a device.
extension PrivateKey {
    public func pkcs8() throws(PKIError) -> [UInt8] {
        let material = try rawKeyMaterial()
        var w = DERWriter(capacity: type.isRSA ? 2600 : 200)
        switch type {
        case .p256, .p384:
            let scalar = material[0..<type.scalarBytes]
            let point = material[type.scalarBytes...]
            w.sequence { info in
                info.integer(0)
                info.sequence { $0.oid(OIDs.ecPublicKey); $0.oid(type == .p256 ? OIDs.prime256v1 : OIDs.secp384r1) }
                info.octetStringWrapping { o in
                    o.sequence { ec in  // ECPrivateKey (RFC 5915)
                        ec.integer(1)
                        ec.octetString(scalar)
                        ec.explicit(1) { $0.bitString(point) }
                    }
                }
            }
        case .ed25519:
            w.sequence { info in
                info.integer(0)
                info.sequence { $0.oid(OIDs.ed25519) }
                info.octetStringWrapping { $0.octetString(material[0..<32]) }  // CurvePrivateKey (RFC 8410)
            }
        case .rsa2048, .rsa3072, .rsa4096:
            var values: [ArraySlice<UInt8>] = []
            var i = 0
            while i + 2 <= material.count {
                let n = Int(material[i]) << 8 | Int(material[i + 1])
                values.append(material[(i + 2)..<(i + 2 + n)])
                i += 2 + n
            }
            w.sequence { info in
                info.integer(0)
                info.sequence { $0.oid(OIDs.rsaEncryption); $0.null() }
                info.octetStringWrapping { o in
                    o.sequence { rsa in  // RSAPrivateKey (RFC 8017 A.1.2): version, n, e, d, p, q, dP, dQ, qInv
                        rsa.integer(0)
                        for v in values { rsa.integer(unsignedBigEndian: v) }
                    }
                }
            }
        }
        return w.bytes
    }
}
