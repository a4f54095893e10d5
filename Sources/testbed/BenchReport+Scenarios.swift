import Foundation
import Netsukuku
import TestbedBench

/// The scenario compiler's figures, printed with the targets (never asserted).
extension BenchReport {
    static func scenarioAuthor(_ figures: ScenarioBench.AuthorFigures) -> String {
        let median = figures.compile.median
        var text = "\n== scenario compiler: the author's scenario (topologies/netsukuku-poc/scenario.yaml)\n"
        text += "compile (read + compile, median of \(figures.compile.count)): \(ms(median)), "
        text += "min \(ms(figures.compile.minimum)) (target < 100 ms: \(met(median < 0.1)))\n"
        text += "\(figures.commands) command lines, \(figures.checks) checks; lines per operation:\n"
        for (operation, lines) in figures.linesPerOperation { text += "  " + pad(operation, 34) + "\(lines)\n" }
        return text
    }

    static func scenarioGenerated(_ rows: [ScenarioBench.GeneratedRow]) -> String {
        var text = "\n== generated scenarios: compile + offline check, per size and scheme\n"
        text += pad("N", 5) + pad("scheme", 12) + pad("seeds", 7) + pad("compiled", 10) + pad("would fail", 12)
        text += pad("not modelled", 14) + pad("commands (median)", 19) + pad("compile median", 16) + "compile max\n"
        let groups = Dictionary(grouping: rows) { "\($0.systems) \($0.scheme)" }
        let keys = groups.keys.sorted { a, b in
            let (na, nb) = (Int(a.split(separator: " ")[0]) ?? 0, Int(b.split(separator: " ")[0]) ?? 0)
            return na != nb ? na < nb : a < b
        }
        for key in keys {
            guard let group = groups[key], let first = group.first else { continue }
            let compiled = group.filter { $0.error == nil }
            let times = Samples(compiled.map(\.compileSeconds))
            let commands = Samples(compiled.map { Double($0.commands) })
            text += pad("\(first.systems)", 5) + pad(first.scheme, 12) + pad("\(group.count)", 7)
            text += pad("\(compiled.count)", 10) + pad("\(group.reduce(0) { $0 + $1.wouldFail })", 12)
            text += pad("\(group.reduce(0) { $0 + $1.notModelled })", 14) + pad("\(Int(commands.median))", 19)
            text += pad(ms(times.median), 16) + ms(times.percentile(100)) + "\n"
        }
        for row in rows where row.error != nil || row.wouldFail > 0 {
            text += "  N=\(row.systems) \(row.scheme) seed \(row.seed): "
            text += row.error.map { "refused: \($0)" } ?? "\(row.wouldFail) commands would fail"
            text += "\n"
        }
        for size in Set(rows.map(\.systems)).sorted() {
            let compiled = rows.filter { $0.systems == size && $0.error == nil }
            guard let slowest = compiled.max(by: { $0.compileSeconds < $1.compileSeconds }) else { continue }
            text += "N=\(size): slowest compile \(ms(slowest.compileSeconds)) (\(slowest.scheme) seed \(slowest.seed))"
            text += size >= 50 ? " (target < 1 s: \(met(slowest.compileSeconds < 1)))\n" : "\n"
        }
        return text
    }

    static func scenarioRun(_ figures: ScenarioBench.RunFigures) -> String {
        let report = figures.report
        var text = "\n== generated scenario of \(figures.systems) systems (seed \(figures.seed)) compiled and run\n"
        text += "compile \(ms(figures.compileSeconds)) (target < 1 s: \(met(figures.compileSeconds < 1))); "
        text += "lab connect \(s(report.setupSeconds)), run \(s(report.seconds)); "
        text += "\(report.passed) passed, \(report.failed) failed, \(report.skipped) skipped\n"
        return text
    }
}
