#if canImport(Glibc)
    import Glibc
#endif

/// The environment of this process, and where to find system programs.
public enum ProcessEnvironment {
    /// `KEY=value` strings of the current environment.
    public static var current: [String] {
        var result: [String] = []
        var pointer = environ
        while let entry = pointer.pointee {
            result.append(String(cString: entry))
            pointer += 1
        }
        return result
    }

    public static func value(_ name: String) -> String? {
        getenv(name).map { String(cString: $0) }
    }

    /// Looks a program up in `PATH` and the sbin directories (root's tools live there, and a user's
    /// `PATH` often lacks them). Returns an absolute path, or nil.
    public static func which(_ program: String, in searchPath: [String]? = nil) -> String? {
        if program.hasPrefix("/") { return access(program, X_OK) == 0 ? program : nil }
        var directories = searchPath ?? (value("PATH") ?? "").split(separator: ":").map(String.init)
        if searchPath == nil {
            for extra in ["/usr/local/sbin", "/usr/local/bin", "/usr/sbin", "/usr/bin", "/sbin", "/bin"]
            where !directories.contains(extra) {
                directories.append(extra)
            }
        }
        for directory in directories where !directory.isEmpty {
            let candidate = directory + "/" + program
            if access(candidate, X_OK) == 0 { return candidate }
        }
        return nil
    }
}
