import Foundation

/// Graphviz's `dot`, which lays out every picture testbed draws (Debian package `graphviz`).
public enum Graphviz {
    public struct Failure: Error, Sendable, CustomStringConvertible {
        public var description: String
    }

    /// The path of `dot`, if it is installed.
    public static var dotPath: String? { ProcessEnvironment.which("dot") }

    /// Lays out `dot` text and returns the SVG document.
    /// - Throws: `Failure` when dot is missing, cannot be run, or rejects the graph.
    public static func svg(_ dot: String) throws(Failure) -> String {
        guard let path = dotPath else {
            throw Failure(description: "Graphviz is not installed (no dot); install it: Scripts/install-deps")
        }
        let output: ProcessOutput
        do {
            output = try ProcessRunner.run(path, ["-Tsvg"], input: Array(dot.utf8), timeout: .seconds(60))
        } catch {
            throw Failure(description: "cannot run \(path): \(error)")
        }
        guard output.status.isSuccess, !output.stdout.isEmpty else {
            throw Failure(description: "dot failed (\(output.status)): \(output.stderrText)")
        }
        return output.stdoutText
    }

    /// The `<svg>` element alone, fit for inlining in HTML: no XML declaration, no DOCTYPE (whose DTD URL a
    /// self-contained page must not carry), no namespace declarations (HTML puts inline SVG in its
    /// namespace by itself).
    public static func inline(_ svg: String) -> String {
        guard let start = svg.range(of: "<svg") else { return "" }
        var element = String(svg[start.lowerBound...])
        for pattern in [#"\s+xmlns(:xlink)?="[^"]*""#, #"<!--[^>]*-->\s*"#] {
            element = element.replacingOccurrences(of: pattern, with: "", options: .regularExpression)
        }
        return element.trimmingCharacters(in: .whitespacesAndNewlines)
    }
}
