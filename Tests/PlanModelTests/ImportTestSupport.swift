import Foundation
import Testing

@testable import PlanModel

/// Paths and loaded inputs the import, render and encoding tests share.
enum ImportTestSupport {
    /// A fixture under `Fixtures/` (copied into the test bundle).
    static func fixture(_ name: String) -> String {
        Bundle.module.path(forResource: "Fixtures/\(name)", ofType: nil) ?? "missing-fixture-\(name)"
    }

    /// The repository root, found from this source file (symlinks resolved).
    static func repositoryRoot(file: String = #filePath) -> URL {
        var url = URL(fileURLWithPath: file).resolvingSymlinksInPath().deletingLastPathComponent()
        while url.path != "/" {
            if FileManager.default.fileExists(atPath: url.appendingPathComponent("Package.swift").path),
                FileManager.default.fileExists(atPath: url.appendingPathComponent("topologies").path)
            {
                return url
            }
            url = url.deletingLastPathComponent()
        }
        return url
    }

    /// `shared/seeds` beside the repository or beside one of its parents (a worktree under `wt/`).
    static let seedsDirectory: URL = {
        var url = repositoryRoot().deletingLastPathComponent()
        while url.path != "/" {
            let candidate = url.appendingPathComponent("shared/seeds")
            if FileManager.default.fileExists(atPath: candidate.path) { return candidate }
            url = url.deletingLastPathComponent()
        }
        return repositoryRoot().deletingLastPathComponent().appendingPathComponent("shared/seeds")
    }()

    /// A seed page of `shared/seeds`.
    static func seed(_ prefix: String) -> String {
        let directory = seedsDirectory
        let names = (try? FileManager.default.contentsOfDirectory(atPath: directory.path)) ?? []
        let name = names.first { $0.hasPrefix(prefix) } ?? "\(prefix)-missing"
        return directory.appendingPathComponent(name).path
    }

    static let seedPrefixes = ["000", "001", "002", "003", "004"]

    /// The eight systems of the Netsukuku proof of concept.
    static let netsukuku: Topology = {
        do {
            return try TopologyLoader.load(
                path: repositoryRoot().appendingPathComponent("topologies/netsukuku-poc/topology.yaml").path)
        } catch {
            Issue.record("the netsukuku-poc topology does not load: \(error)")
            return Topology(name: "broken", nodes: [:], segments: [], sourcePath: "", contentHash: "")
        }
    }()

    static func text(_ path: String) -> String {
        (try? String(contentsOfFile: path, encoding: .utf8)) ?? ""
    }

    /// The contents of every fenced block of a page that follows a system line, in order.
    static func systemFences(_ page: String) -> [String] {
        let lines = page.split(separator: "\n", omittingEmptySubsequences: false).map(String.init)
        var fences: [String] = []
        var index = 0
        while index < lines.count {
            guard case .system = PageLine.classify(lines[index]) else {
                index += 1
                continue
            }
            var open = index + 1
            while open < lines.count, PageLine.classify(lines[open]) == .blank { open += 1 }
            guard open < lines.count, case .fence(let marker, let length) = PageLine.classify(lines[open]) else {
                index += 1
                continue
            }
            var close = open + 1
            while close < lines.count, !PageLine.closesFence(lines[close], marker: marker, length: length) {
                close += 1
            }
            fences.append(lines[(open + 1)..<min(close, lines.count)].joined(separator: "\n"))
            index = close + 1
        }
        return fences
    }
}
