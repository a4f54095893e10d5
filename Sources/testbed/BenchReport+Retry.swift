import Foundation
import TestbedBench

extension BenchReport {
    /// One table per pause between attempts: the cost of an attempt, and beside it the check tried once.
    static func retry(_ tables: [(interval: Int, rows: [RetryBench.Row])]) -> String {
        var text = "\n== retried checks: the cost of one attempt (passes in a row, time until the check held)\n"
        for (interval, rows) in tables {
            text += "pause between attempts \(interval) ms:\n"
            text += pad("check", 44) + pad("attempts", 10) + pad("held after", 12) + pad("per attempt", 13)
            text += pad("beyond pause", 14) + "tried once\n"
            for row in rows {
                text += pad(row.name, 44) + pad("\(row.attempts)", 10) + pad(s(row.seconds), 12)
                text += pad(ms(row.perAttempt), 13) + pad(ms(row.overheadPerAttempt), 14)
                text += (row.onceSeconds.map(ms) ?? "–") + "\n"
            }
            if rows.count < 4 { text += "  (a check that did not hold is left out)\n" }
        }
        return text
    }
}
