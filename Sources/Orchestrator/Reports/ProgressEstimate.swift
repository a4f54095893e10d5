import Foundation

/// The time a run has left, from the plan's size: the mean time per finished unit so far, times the units
/// still to come (a schedule's units, checks included). Pure.
public enum ProgressEstimate {
    /// Nil before the first unit has finished, and once all have.
    public static func remaining(elapsed: Double, finishedUnits: Int, totalUnits: Int) -> Double? {
        guard finishedUnits > 0, finishedUnits < totalUnits, elapsed >= 0 else { return nil }
        return elapsed / Double(finishedUnits) * Double(totalUnits - finishedUnits)
    }

    /// `0.4 s`, `12 s`, `3 min 05 s`.
    public static func format(_ seconds: Double) -> String {
        if seconds < 10 { return String(format: "%.1f s", seconds) }
        if seconds < 120 { return "\(Int(seconds.rounded())) s" }
        let whole = Int(seconds.rounded())
        return String(format: "%d min %02d s", whole / 60, whole % 60)
    }
}
