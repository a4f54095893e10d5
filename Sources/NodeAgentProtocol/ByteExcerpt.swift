/// Short, escaped excerpts of raw bytes for error messages: printable ASCII as is, everything else escaped
/// (`\n`, `\t`, `\\`, `\xNN`), so that garbage on a stream can be quoted on one line.
enum ByteExcerpt {
    /// Escapes at most `limit` bytes of `bytes`, appending `…` when there were more.
    static func escape(_ bytes: some Collection<UInt8>, limit: Int = 64) -> String {
        var text = ""
        for byte in bytes.prefix(limit) {
            switch byte {
            case UInt8(ascii: "\n"): text += "\\n"
            case UInt8(ascii: "\r"): text += "\\r"
            case UInt8(ascii: "\t"): text += "\\t"
            case UInt8(ascii: "\\"): text += "\\\\"
            case 0x20..<0x7F: text.unicodeScalars.append(Unicode.Scalar(byte))
            default:
                let hex = String(byte, radix: 16, uppercase: true)
                text += "\\x" + (hex.count == 1 ? "0" + hex : hex)
            }
        }
        if bytes.count > limit { text += "…" }
        return text
    }

    /// Escapes the last `limit` bytes of `bytes`, prefixing `…` when some were left out.
    static func escapeTail(_ bytes: some Collection<UInt8>, limit: Int = 64) -> String {
        let tail = escape(bytes.suffix(limit), limit: limit)
        return bytes.count > limit ? "…" + tail : tail
    }
}
