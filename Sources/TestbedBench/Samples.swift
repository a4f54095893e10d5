/// A set of timings in seconds, with the statistics a benchmark prints.
public struct Samples: Sendable, Hashable {
    public private(set) var values: [Double] = []

    public init(_ values: [Double] = []) { self.values = values }

    public mutating func add(_ value: Double) { values.append(value) }

    public var count: Int { values.count }

    public var median: Double { percentile(50) }

    /// The value below which `p` percent of the samples fall (nearest rank).
    public func percentile(_ p: Double) -> Double {
        guard !values.isEmpty else { return 0 }
        let sorted = values.sorted()
        let rank = Int((p / 100 * Double(sorted.count)).rounded(.up))
        return sorted[min(max(rank, 1), sorted.count) - 1]
    }

    public var minimum: Double { values.min() ?? 0 }
}
