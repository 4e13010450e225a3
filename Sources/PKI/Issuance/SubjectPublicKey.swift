import DER

/// A SubjectPublicKeyInfo read in place: the key type and its raw material as slices of the input,
/// checked enough that OpenSSL is never handed a point at infinity or a key of the wrong size.
struct SubjectPublicKey {
    /// The raw key material OpenSSL is given, per key family.
    enum Material {
        /// An EC point, uncompressed (04 X Y) or compressed (02/03 X).
        case ec(point: ArraySlice<UInt8>)
        /// Big-endian magnitudes without sign octets.
        case rsa(modulus: ArraySlice<UInt8>, exponent: ArraySlice<UInt8>)
        case ed25519(ArraySlice<UInt8>)
    }

    let keyType: KeyType
    let material: Material
    /// The subjectPublicKey BIT STRING's bits: what a key identifier hashes (RFC 5280 4.2.1.2).
    let bits: ArraySlice<UInt8>

    init(publicKeyInfo: ArraySlice<UInt8>) throws(IssuanceError) {
        let algorithm: DERElement, bitString: (unusedBits: UInt8, bytes: ArraySlice<UInt8>)
        var parameters: DERReader
        do {
            var spki = try DERReader.single(publicKeyInfo).children()
            var a = try spki.read(.sequence).children()
            algorithm = try a.read(.objectIdentifier)
            parameters = a
            bitString = try spki.read().bitString()
            try spki.finish()
        } catch {
            throw .malformedPublicKey(reason: "\(error)")
        }
        guard bitString.unusedBits == 0 else { throw .malformedPublicKey(reason: "subjectPublicKey has unused bits") }
        let bits = bitString.bytes
        self.bits = bits
        if algorithm.isOID(OIDs.ecPublicKey) {
            let curve: DERElement
            do {
                curve = try parameters.read(.objectIdentifier)
                try parameters.finish()
            } catch {
                throw .malformedPublicKey(reason: "EC parameters are not a named curve: \(error)")
            }
            if curve.isOID(OIDs.prime256v1) {
                keyType = .p256
            } else if curve.isOID(OIDs.secp384r1) {
                keyType = .p384
            } else {
                throw .unsupportedCurve(oid: SubjectPublicKey.text(curve))
            }
            let coordinate = keyType.scalarBytes
            let valid = (bits.first == 0x04 && bits.count == 1 + 2 * coordinate)
                || ((bits.first == 0x02 || bits.first == 0x03) && bits.count == 1 + coordinate)
            guard valid else {
                throw .malformedPublicKey(reason: "EC point of \(bits.count) bytes is not a \(keyType) point")
            }
            material = .ec(point: bits)
        } else if algorithm.isOID(OIDs.rsaEncryption) {
            let modulus: ArraySlice<UInt8>, exponent: ArraySlice<UInt8>
            do {
                if let p = try parameters.next() { try p.null() }
                try parameters.finish()
                var key = try DERReader.single(bits).children()
                modulus = try key.read().unsignedIntegerMagnitude()
                exponent = try key.read().unsignedIntegerMagnitude()
                try key.finish()
            } catch {
                throw .malformedPublicKey(reason: "RSAPublicKey: \(error)")
            }
            let size = modulus.count * 8 - modulus.first!.leadingZeroBitCount
            switch size {
            case 2048: keyType = .rsa2048
            case 3072: keyType = .rsa3072
            case 4096: keyType = .rsa4096
            default: throw .unsupportedKeySize(bits: size)
            }
            guard exponent.count <= 8, exponent.last! & 1 == 1, exponent.count > 1 || exponent.first! >= 3 else {
                throw .malformedPublicKey(reason: "RSA public exponent must be odd, at least 3, at most 64 bits")
            }
            material = .rsa(modulus: modulus, exponent: exponent)
        } else if algorithm.isOID(OIDs.ed25519) {
            guard parameters.isAtEnd else { throw .malformedPublicKey(reason: "Ed25519 AlgorithmIdentifier with parameters") }
            guard bits.count == 32 else { throw .malformedPublicKey(reason: "Ed25519 key of \(bits.count) bytes") }
            keyType = .ed25519
            material = .ed25519(bits)
        } else {
            throw .unsupportedKeyAlgorithm(oid: SubjectPublicKey.text(algorithm))
        }
    }

    /// Dotted text of an OBJECT IDENTIFIER element, for errors.
    static func text(_ oid: DERElement) -> String {
        (try? oid.oid().description) ?? "(malformed OID)"
    }
}
