/// Body framing once the head is complete (RFC 9112 §6.3), and chunk-size lines (§7.1).
extension HTTPMessageParser {
    /// The empty line after the fields: skip an interim response, or decide keep-alive and framing.
    mutating func endOfHead() -> HTTPError? {
        let status = facts.status
        if role == .response && status < 200 && status != 101 {
            // 1xx interim (100 Continue, 103 Early Hints): discard, the final response follows.
            interimResponses += 1
            head.removeAll(keepingCapacity: true)
            fields.removeAll(keepingCapacity: true)
            lineStart = 0
            lineNumber = 0
            facts = Facts()
            return nil
        }
        if role == .request && facts.version == .http11 {
            if facts.hostCount == 0 { return .missingHost }
            if facts.hostCount > 1 { return .duplicateHost }
        }
        facts.keepAlive = facts.version == .http11
            ? !facts.connectionClose
            : facts.connectionKeepAlive && !facts.connectionClose
        // Both lengths, or chunked in HTTP/1.0: framing a proxy may have read differently (request
        // smuggling territory); chunked wins and the connection must not be reused.
        if facts.chunked && (facts.contentLength != nil || facts.version == .http10) { facts.keepAlive = false }
        if role == .response && status == 101 { facts.keepAlive = false }

        let bodyless = role == .response
            && (requestMethod == .head || status < 200 || status == 204 || status == 304)
        if bodyless {
            facts.framing = .none
            phase = .complete
        } else if facts.chunked {
            facts.framing = .chunked
            chunk = ChunkLine()
            phase = .chunkLine
        } else if let length = facts.contentLength {
            guard length <= limits.bodyBytes else { return .bodyTooLarge(limit: limits.bodyBytes, length: length) }
            facts.framing = .contentLength(length)
            if length == 0 {
                phase = .complete
            } else {
                body.reserveCapacity(length)
                phase = .fixedBody(remaining: length)
            }
        } else if role == .response {
            facts.framing = .untilClose
            facts.keepAlive = false
            phase = .untilClose
        } else {
            facts.framing = .none
            phase = .complete
        }
        return nil
    }

    /// One byte of `chunk-size [BWS ";" chunk-ext] CRLF`. Extensions are checked for control
    /// bytes only and otherwise ignored (nothing estbench talks to gives them meaning).
    mutating func chunkLineByte(_ b: UInt8) -> HTTPError? {
        chunk.length += 1
        guard chunk.length <= limits.chunkLineBytes else { return .chunkLineTooLong(limit: limits.chunkLineBytes) }
        switch chunk.part {
        case .size:
            if let v = HTTPSyntax.hexValue(b) {
                chunk.hasDigit = true
                if chunk.size == 0 && v == 0 { return nil }  // leading zeros
                // 15 hex digits fit an Int with room to add the body so far.
                guard chunk.significantDigits < 15 else { return .invalidChunkSize(chunk: chunkIndex, byte: b) }
                chunk.size = chunk.size << 4 | v
                chunk.significantDigits += 1
                return nil
            }
            guard chunk.hasDigit else { return .invalidChunkSize(chunk: chunkIndex, byte: b) }
            return afterSize(b)
        case .whitespace:
            return afterSize(b)
        case .extensionText:
            switch b {
            case HTTPSyntax.cr: chunk.part = .lineEnd
            case HTTPSyntax.lf: return endOfChunkLine()
            default:
                guard HTTPSyntax.isFieldValueByte(b) else { return .invalidChunkExtension(chunk: chunkIndex, byte: b) }
            }
            return nil
        case .lineEnd:
            guard b == HTTPSyntax.lf else {
                return chunk.inExtension
                    ? .invalidChunkExtension(chunk: chunkIndex, byte: b)
                    : .invalidChunkSize(chunk: chunkIndex, byte: b)
            }
            return endOfChunkLine()
        }
    }

    /// A byte after the size digits: optional whitespace, then `;`, CR or LF.
    mutating func afterSize(_ b: UInt8) -> HTTPError? {
        switch b {
        case HTTPSyntax.sp, HTTPSyntax.ht: chunk.part = .whitespace
        case HTTPSyntax.semicolon:
            chunk.part = .extensionText
            chunk.inExtension = true
        case HTTPSyntax.cr: chunk.part = .lineEnd
        case HTTPSyntax.lf: return endOfChunkLine()
        default: return .invalidChunkSize(chunk: chunkIndex, byte: b)
        }
        return nil
    }

    mutating func endOfChunkLine() -> HTTPError? {
        let size = chunk.size
        if size == 0 {
            phase = .trailers
            sectionStart = head.count
            lineStart = head.count
            return nil
        }
        guard body.count + size <= limits.bodyBytes else {
            return .bodyTooLarge(limit: limits.bodyBytes, length: body.count + size)
        }
        phase = .chunkData(remaining: size)
        return nil
    }
}
