import Foundation

/// Writes a file the user named on the command line (`-o`, `--html`, `--junit`). A new path or a regular file is
/// replaced atomically, so nobody reads half a report; a symbolic link is followed and its target written; anything
/// else already there — `/dev/null`, a FIFO, a terminal — is written through and never replaced, because an atomic
/// write renames a new file over the path and would turn `/dev/null` into a regular file.
public enum OutputFile {
    public static func write(_ text: String, to path: String) throws {
        let target = URL(fileURLWithPath: path).resolvingSymlinksInPath().path
        let type = (try? FileManager.default.attributesOfItem(atPath: target))?[.type] as? FileAttributeType
        guard let type, type != .typeRegular else {
            try text.write(toFile: target, atomically: true, encoding: .utf8)
            return
        }
        guard let handle = FileHandle(forWritingAtPath: target) else {
            throw CocoaError(.fileWriteNoPermission, userInfo: [NSFilePathErrorKey: path])
        }
        defer { try? handle.close() }
        try handle.write(contentsOf: Data(text.utf8))
    }
}
