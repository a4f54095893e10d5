/// The rules for names that end up in kernel objects, file names and shell commands.
///
/// Everything interpolated into a command or a path is checked against these first, so no value from a
/// topology or plan can break out of its place in a command line.
public enum Names {
    /// Node names become hostnames, file names and `ssh` host names: letters, digits, `-`, `_`; 1–63 bytes.
    public static func isValidNodeName(_ name: String) -> Bool {
        guard let first = name.unicodeScalars.first, (1...63).contains(name.utf8.count) else { return false }
        return isASCIIAlphanumeric(first)
            && name.unicodeScalars.allSatisfy { isASCIIAlphanumeric($0) || $0 == "-" || $0 == "_" }
    }

    /// Lab names prefix kernel objects and directories: like node names, at most 32 bytes.
    public static func isValidLabName(_ name: String) -> Bool {
        isValidNodeName(name) && name.utf8.count <= 32
    }

    /// Linux interface names: 1–15 bytes (IFNAMSIZ − 1), no `/`, `:`, whitespace; not `.`/`..`.
    /// testbed is stricter than the kernel and allows letters, digits, `_`, `.`, `-`.
    public static func isValidInterfaceName(_ name: String) -> Bool {
        guard (1...15).contains(name.utf8.count), name != ".", name != ".." else { return false }
        return name.unicodeScalars.allSatisfy { isASCIIAlphanumeric($0) || $0 == "_" || $0 == "." || $0 == "-" }
    }

    /// Network namespace names as `ip netns` takes them (they are file names under /run/netns).
    public static func isValidNamespaceName(_ name: String) -> Bool {
        guard (1...64).contains(name.utf8.count), name != ".", name != ".." else { return false }
        return name.unicodeScalars.allSatisfy { isASCIIAlphanumeric($0) || $0 == "_" || $0 == "." || $0 == "-" }
    }

    public static func isASCIIAlphanumeric(_ scalar: Unicode.Scalar) -> Bool {
        switch scalar.value {
        case 0x30...0x39, 0x41...0x5A, 0x61...0x7A: true
        default: false
        }
    }
}
