/// The rules for values that travel inside header lines or reach the agent's shell, shared by the encoder
/// (which refuses to send what breaks them) and the decoders (which refuse to accept it).
enum WireValidation {
    /// Kernel parameter names as `sysctl` takes them: `A–Z a–z 0–9 _ . / -`, with no `.` or `..` path
    /// component when slashes are used, so that a name can never leave `/proc/sys`.
    static func isSysctlName(_ name: some StringProtocol) -> Bool {
        guard !name.isEmpty, name.utf8.allSatisfy({ isNameByte($0) || $0 == UInt8(ascii: "/") }) else {
            return false
        }
        return !name.split(separator: "/", omittingEmptySubsequences: false).contains { $0 == "." || $0 == ".." }
            && !name.hasPrefix("/")
    }

    /// iptables table names as `iptables-save -t` takes them: 1 to 32 lowercase letters (`mangle`, `nat`).
    static func isIptablesTable(_ name: some StringProtocol) -> Bool {
        (1...32).contains(name.utf8.count)
            && name.utf8.allSatisfy { (UInt8(ascii: "a")...UInt8(ascii: "z")).contains($0) }
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
