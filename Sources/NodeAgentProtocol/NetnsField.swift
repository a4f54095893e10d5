public import PlanModel

/// The network-namespace field of run and ping requests: `default` for the agent's own namespace, `ns:NAME`
/// for a named one. Every named namespace carries the prefix, so no legal name (not even `default` or `-`)
/// can be read as "no namespace".
public enum NetnsField {
    public static let defaultNamespace = "default"
    static let prefix = "ns:"

    /// The field for a namespace (nil: the default one).
    public static func encode(_ namespace: NamespaceName?) -> String {
        namespace.map { prefix + $0.rawValue } ?? defaultNamespace
    }

    /// The namespace a field names.
    /// - Throws: `FrameError` (`desynchronised`) for a field that is neither form.
    static func decode(_ field: Substring, in header: FrameHeader) throws(FrameError) -> NamespaceName? {
        if field == defaultNamespace { return nil }
        guard field.hasPrefix(prefix), let name = NamespaceName(field.dropFirst(prefix.count)) else {
            throw header.malformed("has a malformed network namespace field '\(field)'")
        }
        return name
    }
}
