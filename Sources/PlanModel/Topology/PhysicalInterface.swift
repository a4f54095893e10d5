/// Names of network cards (`eth2`, `ens3`, `enp0s3`, `wlan0`), as opposed to the virtual links a page creates.
enum PhysicalInterface {
    static func looksPhysical(_ name: String) -> Bool {
        for prefix in ["eth", "ens", "enp", "eno", "wlan", "wlp"] where name.hasPrefix(prefix) {
            let rest = name.dropFirst(prefix.count)
            if !rest.isEmpty, rest.first?.isNumber == true,
                rest.unicodeScalars.allSatisfy({ Names.isASCIIAlphanumeric($0) })
            {
                return true
            }
        }
        return false
    }
}
