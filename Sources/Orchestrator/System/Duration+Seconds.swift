extension Duration {
    /// The duration in seconds, with its fraction.
    public var seconds: Double { Double(components.seconds) + Double(components.attoseconds) / 1e18 }

    /// The duration in milliseconds, with its fraction.
    public var milliseconds: Double { seconds * 1000 }
}

extension ContinuousClock.Instant {
    /// Seconds from this instant until now.
    public var secondsSince: Double { (ContinuousClock.now - self).seconds }
}
