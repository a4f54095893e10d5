import Foundation

/// Reads input files as text, turning unreadable or non-UTF-8 files into located errors.
public enum InputFile {
    /// The file's bytes.
    /// - Throws: `InputErrors` naming the path when it cannot be read.
    public static func bytes(at path: String) throws(InputErrors) -> [UInt8] {
        guard let data = FileManager.default.contents(atPath: path) else {
            var isDirectory: ObjCBool = false
            let exists = FileManager.default.fileExists(atPath: path, isDirectory: &isDirectory)
            let reason =
                !exists ? "no such file" : isDirectory.boolValue ? "it is a directory" : "permission denied"
            throw InputErrors([
                InputError(
                    .unreadable, "cannot read '\(path)': \(reason)", at: InputLocation(file: path, line: 1),
                    hint: exists
                        ? "check the path and its permissions"
                        : "check the path; it is resolved from the current directory")
            ])
        }
        return [UInt8](data)
    }

    /// The file as UTF-8 text.
    /// - Throws: `InputErrors` when the file cannot be read or is not UTF-8 (with the first bad byte's line).
    public static func text(at path: String) throws(InputErrors) -> String {
        try text(from: bytes(at: path), path: path)
    }

    public static func text(from bytes: [UInt8], path: String) throws(InputErrors) -> String {
        if let text = String(validating: bytes, as: UTF8.self) { return text }
        let line = firstInvalidUTF8Line(bytes)
        throw InputErrors([
            InputError(
                .unreadable, "'\(path)' is not UTF-8 text (first invalid byte on line \(line))",
                at: InputLocation(file: path, line: line),
                hint: "save the file as UTF-8; if it is a binary file, pass the right path")
        ])
    }

    /// A short stable fingerprint (FNV-1a, 64 bits) of some bytes, to notice that a file changed.
    public static func fingerprint(_ bytes: [UInt8]) -> String {
        var hash: UInt64 = 0xcbf2_9ce4_8422_2325
        for byte in bytes {
            hash ^= UInt64(byte)
            hash = hash &* 0x100_0000_01b3
        }
        let hex = String(hash, radix: 16)
        return String(repeating: "0", count: 16 - hex.count) + hex
    }

    private static func firstInvalidUTF8Line(_ bytes: [UInt8]) -> Int {
        var line = 1
        var index = 0
        while index < bytes.count {
            let byte = bytes[index]
            guard let length = UTF8Sequence.length(startingWith: byte) else { return line }
            if length > 1 {
                guard index + length <= bytes.count,
                    String(validating: bytes[index..<index + length], as: UTF8.self) != nil
                else { return line }
            }
            if byte == UInt8(ascii: "\n") { line += 1 }
            index += length
        }
        return line
    }
}
