/// Whether a path teardown is about to remove lies inside the lab directory: compared by path components after
/// resolving symbolic links, never by string prefix (`/labs/x-old` starts with `/labs/x` but is not inside it).
extension LabPaths {
    /// Whether removing `path` can only touch what is inside the lab directory.
    ///
    /// The directory containing `path` is resolved (`realpath`), so a symbolic link on the way — even one that was
    /// placed inside the lab directory — cannot lead outside. The last component is not resolved: removing a
    /// symbolic link removes the link, not what it points to. The lab directory itself counts as inside.
    func containsForRemoval(_ path: String) -> Bool {
        guard let components = Self.lexicalComponents(path),
            let directory = Self.lexicalComponents(self.directory),
            Self.isPrefix(directory, of: components),
            let resolvedDirectory = resolvedComponents(self.directory)
        else { return false }
        if components == directory { return true }
        guard let resolvedParent = resolvedComponents("/" + components.dropLast().joined(separator: "/")) else {
            return false
        }
        return Self.isPrefix(resolvedDirectory, of: resolvedParent)
    }

    /// The components of an absolute path without empty and `.` components; nil for a relative path or one with
    /// `..` (which a journal written by `lab up` never contains).
    static func lexicalComponents(_ path: String) -> [Substring]? {
        guard path.hasPrefix("/") else { return nil }
        let components = path.split(separator: "/").filter { $0 != "." }
        return components.contains("..") ? nil : components
    }

    /// Whether `prefix` is `components` or a leading part of it, component by component.
    static func isPrefix(_ prefix: [Substring], of components: [Substring]) -> Bool {
        components.count >= prefix.count && zip(prefix, components).allSatisfy { $0 == $1 }
    }

    private func resolvedComponents(_ path: String) -> [Substring]? {
        guard let resolved = try? SystemCall.resolvedPath(path) else { return nil }
        return Self.lexicalComponents(resolved)
    }
}
