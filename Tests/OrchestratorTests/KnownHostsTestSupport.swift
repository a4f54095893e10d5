import Glibc
import Testing

@testable import Orchestrator

/// A directory under /tmp that is removed when the value goes away.
final class KnownHostsTemporaryDirectory {
    let path: String

    init() throws {
        var template = Array("/tmp/testbed-knownhosts-XXXXXX".utf8CString)
        let created = template.withUnsafeMutableBufferPointer { buffer in buffer.baseAddress.flatMap { mkdtemp($0) } }
        guard created != nil else { throw SystemError.last("mkdtemp") }
        path = String(decoding: template.dropLast().map { UInt8(bitPattern: $0) }, as: UTF8.self)
    }

    deinit {
        _ = try? ProcessRunner.run("/bin/rm", ["-rf", path])
    }

    func file(_ name: String) -> String { path + "/" + name }

    func write(_ name: String, _ text: String) throws {
        let fd = open(file(name), O_WRONLY | O_CREAT | O_TRUNC, 0o600)
        guard fd >= 0 else { throw SystemError.last("open", file(name)) }
        defer { close(fd) }
        let bytes = Array(text.utf8)
        _ = bytes.withUnsafeBytes { Glibc.write(fd, $0.baseAddress, $0.count) }
    }

    func read(_ name: String) throws -> String {
        String(decoding: try LocalFile.contents(of: file(name)) ?? [], as: UTF8.self)
    }
}

/// Runs a program and insists that it succeeds.
@discardableResult
func runTool(_ executable: String, _ arguments: [String], sourceLocation: SourceLocation = #_sourceLocation) throws
    -> ProcessOutput
{
    let output = try ProcessRunner.run(executable, arguments, timeout: .seconds(60))
    #expect(
        output.status == .exited(0), "\(executable) \(arguments) failed: \(output.stderrText)",
        sourceLocation: sourceLocation)
    return output
}

/// Makes a throwaway key pair with ssh-keygen and returns the public key file's fields.
func generateKey(
    type: String, bits: Int? = nil, in directory: KnownHostsTemporaryDirectory, name: String,
    passphrase: String = "", extra: [String] = []
) throws -> (type: String, base64: String, path: String) {
    var arguments = ["-q", "-t", type, "-N", passphrase, "-C", "test-\(name)", "-f", directory.file(name)]
    if let bits { arguments += ["-b", String(bits)] }
    try runTool("/usr/bin/ssh-keygen", arguments + extra)
    let fields = try directory.read(name + ".pub").split(separator: " ")
    return (String(fields[0]), String(fields[1]), directory.file(name))
}

/// A syntactically valid SSH key blob of `type` with made-up key bytes, for matching tests that need no real key.
func syntheticKey(_ type: String, seed: UInt8) -> HostKey {
    var blob: [UInt8] = [0, 0, 0, UInt8(type.utf8.count)] + Array(type.utf8)
    blob += [0, 0, 0, 32] + [UInt8](repeating: seed, count: 32)
    // The blob is well formed by construction; a nil here is a bug of this helper, reported by the test.
    guard let key = HostKey(blob: blob) else { preconditionFailure("synthetic \(type) key blob did not parse") }
    return key
}

let isSSHKeygenAvailable = access("/usr/bin/ssh-keygen", X_OK) == 0

/// The host key in a public key file's base64 field.
func hostKey(base64: String, sourceLocation: SourceLocation = #_sourceLocation) throws -> HostKey {
    let blob = try #require(Base64.decode(base64), sourceLocation: sourceLocation)
    return try #require(HostKey(blob: blob), sourceLocation: sourceLocation)
}
