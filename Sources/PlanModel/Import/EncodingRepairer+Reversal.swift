extension EncodingRepairer {
    static let cp1254Reverse = LegacyCodePages.reverse(LegacyCodePages.windows1254)
    static let macRomanReverse = LegacyCodePages.reverse(LegacyCodePages.macRoman)

    /// Encodes a line back to the bytes it was read from and decodes them as UTF-8; nil when the line has
    /// characters the code page cannot encode or the bytes are not UTF-8 (the line was not damaged this way).
    static func reverseSingleByte(_ line: Substring, table: [UInt32: UInt8], restoreDropped: Bool) -> String? {
        var bytes: [UInt8] = []
        bytes.reserveCapacity(line.utf8.count)
        for scalar in line.unicodeScalars {
            if scalar.value < 0x80 {
                bytes.append(UInt8(scalar.value))
            } else if let byte = table[scalar.value] {
                bytes.append(byte)
            } else {
                return nil
            }
        }
        if restoreDropped { bytes = restoreDroppedBytes(bytes) }
        return String(validating: bytes, as: UTF8.self)
    }

    /// Puts back one byte the mis-reading dropped into each UTF-8 sequence that is one byte short, choosing the
    /// undefined byte and position that yield a character documentation plausibly contains (`F0 9B BD` →
    /// `F0 9D 9B BD`, 𝛽; `E2 80` → `E2 80 9D`, ”). Sequences that cannot be completed are left as they are.
    static func restoreDroppedBytes(_ bytes: [UInt8]) -> [UInt8] {
        var out: [UInt8] = []
        out.reserveCapacity(bytes.count + 8)
        var index = 0
        while index < bytes.count {
            let lead = bytes[index]
            guard let length = UTF8Sequence.length(startingWith: lead), length > 1 else {
                out.append(lead)
                index += 1
                continue
            }
            var available = 0
            while available < length - 1, index + 1 + available < bytes.count,
                (0x80...0xBF).contains(bytes[index + 1 + available])
            {
                available += 1
            }
            let sequence = Array(bytes[index..<index + 1 + available])
            if available == length - 2, let completed = completeSequence(sequence) {
                out += completed
            } else {
                out += sequence
            }
            index += 1 + available
        }
        return out
    }

    private static func completeSequence(_ sequence: [UInt8]) -> [UInt8]? {
        for byte in LegacyCodePages.windows1254Undefined {
            for position in 1...sequence.count {
                var candidate = sequence
                candidate.insert(byte, at: position)
                guard let text = String(validating: candidate, as: UTF8.self),
                    let scalar = text.unicodeScalars.first, isPlausible(scalar)
                else { continue }
                return candidate
            }
        }
        return nil
    }

    /// Characters documentation pages use: Latin letters, Greek, punctuation, arrows and maths.
    private static func isPlausible(_ scalar: Unicode.Scalar) -> Bool {
        switch scalar.value {
        case 0xA0...0x24F, 0x370...0x3FF, 0x2000...0x206F, 0x2100...0x22FF, 0x1D400...0x1D7FF: true
        default: false
        }
    }

    /// Replaces the CJK characters GB2312 made of two-byte UTF-8 sequences by those characters.
    static func reverseGB2312(_ line: Substring) -> String? {
        var out = String.UnicodeScalarView()
        for scalar in line.unicodeScalars {
            if let original = LegacyCodePages.gb2312Reverse[scalar.value], let char = Unicode.Scalar(original) {
                out.append(char)
            } else {
                out.append(scalar)
            }
        }
        return String(out)
    }
}
