#if canImport(Glibc)
    import Glibc
#endif

/// The system programs the lab runs, found once with their absolute paths.
///
/// A missing program is refused up front, naming the Debian package that provides it.
public struct HostTools: Sendable {
    public let bash: String
    public let ip: String
    public let unshare: String
    public let nsenter: String
    public let mount: String
    public let mkdir: String
    public let cp: String
    public let sleep: String
    public let sshd: String
    public let sshKeygen: String

    static let packages: [(program: String, package: String)] = [
        ("bash", "bash"), ("ip", "iproute2"), ("unshare", "util-linux"), ("nsenter", "util-linux"),
        ("mount", "mount"), ("mkdir", "coreutils"), ("cp", "coreutils"), ("sleep", "coreutils"),
        ("sshd", "openssh-server"),
        ("ssh-keygen", "openssh-client"),
    ]

    /// Finds every program.
    /// - Throws: `LabError.missingProgram` listing what is missing and the `apt-get` line that installs it.
    public static func locate(searchPath: [String]? = nil) throws(LabError) -> HostTools {
        var found: [String: String] = [:]
        var missing: [(String, String)] = []
        for (program, package) in packages {
            if let path = ProcessEnvironment.which(program, in: searchPath) {
                found[program] = path
            } else {
                missing.append((program, package))
            }
        }
        guard missing.isEmpty else {
            let names = missing.map { "\($0.0) (Debian package \($0.1))" }.joined(separator: ", ")
            let install = Set(missing.map(\.1)).sorted().joined(separator: " ")
            throw LabError(
                .missingProgram, "the local lab needs programs that are not installed: \(names)",
                hint: "install them with: apt-get install -y \(install)")
        }
        return HostTools(
            bash: found["bash"] ?? "", ip: found["ip"] ?? "", unshare: found["unshare"] ?? "",
            nsenter: found["nsenter"] ?? "", mount: found["mount"] ?? "", mkdir: found["mkdir"] ?? "",
            cp: found["cp"] ?? "", sleep: found["sleep"] ?? "", sshd: found["sshd"] ?? "",
            sshKeygen: found["ssh-keygen"] ?? "")
    }

    /// Namespaces, veths and mounts need root.
    /// - Throws: `LabError.notRoot`.
    public static func requireRoot() throws(LabError) {
        guard geteuid() == 0 else {
            throw LabError(
                .notRoot, "the local lab needs root: it creates network namespaces, veth pairs and mounts",
                hint: "run it as root, e.g. sudo testbed lab up -t FILE")
        }
    }
}
