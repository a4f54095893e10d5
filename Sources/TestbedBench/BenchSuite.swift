import Foundation

/// The parts of `testbed bench`, as `--suite` names them.
public enum BenchSuite: String, Sendable, Hashable, CaseIterable, Comparable {
    case lab, agent, demo, workload, scale, scenarios, lxd, qemu, retry

    /// The suites run when none is named.
    public static let defaults: Set<BenchSuite> = [.lab, .agent, .demo, .workload]

    /// Parses a comma-separated list (`all` for every suite).
    /// - Throws: `BenchSuiteError` naming the unknown entries and the known ones.
    public static func parse(_ list: String) throws(BenchSuiteError) -> Set<BenchSuite> {
        var suites: Set<BenchSuite> = []
        var unknown: [String] = []
        for entry in list.split(separator: ",").map({ $0.trimmingCharacters(in: .whitespaces) }) {
            if entry == "all" {
                suites.formUnion(allCases)
            } else if let suite = BenchSuite(rawValue: entry) {
                suites.insert(suite)
            } else {
                unknown.append(entry)
            }
        }
        guard unknown.isEmpty, !suites.isEmpty else { throw BenchSuiteError(unknown: unknown) }
        return suites
    }

    public static func < (lhs: BenchSuite, rhs: BenchSuite) -> Bool {
        (allCases.firstIndex(of: lhs) ?? 0) < (allCases.firstIndex(of: rhs) ?? 0)
    }
}

/// `--suite` named something that is not a suite.
public struct BenchSuiteError: Error, Sendable, CustomStringConvertible {
    public var unknown: [String]

    public var description: String {
        let known = (BenchSuite.allCases.map(\.rawValue) + ["all"]).joined(separator: ", ")
        return unknown.isEmpty
            ? "--suite names no suite; known: \(known)"
            : "unknown suite\(unknown.count == 1 ? "" : "s") \(unknown.map { "'\($0)'" }.joined(separator: ", ")); known: \(known)"
    }
}
