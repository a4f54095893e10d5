/// Durations as floating-point seconds and milliseconds, for reports, logs and `poll` timeouts.
///
/// Each unit is computed from `components` directly (not one from the other), so whole milliseconds stay
/// exact: 300 ms is 300.0, not 299.99999999999994.
extension Duration {
    /// The duration in seconds, e.g. 1.5 for `.milliseconds(1500)`.
    public var seconds: Double {
        Double(components.seconds) + Double(components.attoseconds) / 1e18
    }

    /// The duration in milliseconds, e.g. 1500.0 for `.seconds(1.5)`.
    public var milliseconds: Double {
        Double(components.seconds) * 1000 + Double(components.attoseconds) / 1e15
    }
}

extension ContinuousClock.Instant {
    /// Seconds from this instant until now.
    public var secondsSince: Double {
        (ContinuousClock.now - self).seconds
    }
}
