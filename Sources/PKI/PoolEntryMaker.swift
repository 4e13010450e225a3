/// One generator thread's tools for pool entries: a key generator (unless one key is shared), a CSR
/// builder and one signer switched from key to key; reports progress in batches of 32. Confined to
/// its thread.
struct PoolEntryMaker {
    private let builder: CSRBuilder
    private let generator: KeyGenerator?
    private let signer: Signer
    private let sharedKey: PrivateKey?
    private let progress: ProgressCounter?
    private var unreported = 0

    init(keyType: KeyType, template: CSRTemplate, sharedKey: PrivateKey?, progress: ProgressCounter?) throws(PKIError) {
        builder = try CSRBuilder(template: template)
        generator = sharedKey == nil ? try KeyGenerator(type: keyType) : nil
        let firstKey: PrivateKey
        if let sharedKey { firstKey = sharedKey } else { firstKey = try generator!.generate() }
        signer = try Signer(key: firstKey)
        self.sharedKey = sharedKey
        self.progress = progress
    }

    /// The next entry's key: a fresh one switched into the signer, or the shared key.
    func nextKey() throws(PKIError) -> PrivateKey {
        guard let generator else { return sharedKey! }
        let key = try generator.generate()
        try signer.switchKey(to: key)
        return key
    }

    /// Builds and signs entry `index`'s CSR with the current key; `body` sees the DER.
    func buildCSR<R>(index: Int, _ body: (UnsafeRawBufferPointer) -> R) throws(PKIError) -> R {
        try builder.build(index: index, signer: signer, body)
    }

    /// Counts one finished entry.
    mutating func entryDone() {
        unreported += 1
        if unreported == 32 { flush() }
    }

    /// Reports what is not reported yet (at the end of the thread's share).
    mutating func flush() {
        progress?.add(unreported)
        unreported = 0
    }
}
