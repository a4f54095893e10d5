/// The rules for values that travel inside header lines or reach the agent's shell, shared by the encoder
/// (which refuses to send what breaks them) and the decoders (which refuse to accept it).
enum WireValidation {
    /// Network namespace names: 1–64 of `A–Z a–z 0–9 _ . -`, and not `.` or `..` (they would escape
    /// `/run/netns`).
    static func isNamespaceName(_ name: some StringProtocol) -> Bool {
        (1...64).contains(name.utf8.count) && name != "." && name != ".."
            && name.utf8.allSatisfy { isNameByte($0) }
    }

    /// Kernel parameter names as `sysctl` takes them: `A–Z a–z 0–9 _ . / -`, with no `.` or `..` path
    /// component when slashes are used, so that a name can never leave `/proc/sys`.
    static func isSysctlName(_ name: some StringProtocol) -> Bool {
        guard !name.isEmpty, name.utf8.allSatisfy({ isNameByte($0) || $0 == UInt8(ascii: "/") }) else {
            return false
        }
        return !name.split(separator: "/", omittingEmptySubsequences: false).contains { $0 == "." || $0 == ".." }
            && !name.hasPrefix("/")
    }

    static func checkNamespace(_ name: String?, in context: String) throws(FrameError) {
        guard let name, !isNamespaceName(name) else { return }
        throw .invalid(
            "\(context): network namespace name \"\(ByteExcerpt.escape(Array(name.utf8)))\" is not usable",
            hint: "use 1–64 characters of A–Z a–z 0–9 _ . - (not \".\" or \"..\"), "
                + "as `ip netns add` accepts them")
    }

    private static func isNameByte(_ byte: UInt8) -> Bool {
        switch byte {
        case UInt8(ascii: "A")...UInt8(ascii: "Z"), UInt8(ascii: "a")...UInt8(ascii: "z"),
            UInt8(ascii: "0")...UInt8(ascii: "9"), UInt8(ascii: "_"), UInt8(ascii: "."), UInt8(ascii: "-"):
            true
        default: false
        }
    }
}
