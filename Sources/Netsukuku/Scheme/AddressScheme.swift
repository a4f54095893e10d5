/// The topology of a Netsukuku network: how many levels, and how many ids (gsize) each level has.
///
/// Levels are numbered from 0 (single nodes) upwards; `gsizes[0]` is level 0. The documentation writes the
/// scheme top level first, so `[2, 2, 2, 4]` is its "4·2·2·2". An id at level i is *real* if it is below
/// gsize(i) and *virtual* otherwise; only real ids have bits in an IP address (domain.md §2.1).
public struct AddressScheme: Sendable, Hashable, Codable, CustomStringConvertible {
    /// Ids per level, level 0 first.
    public let gsizes: [Int]
    /// log2 of each gsize: the bits a level takes in an IP address.
    public let exponents: [Int]
    /// The bit where each level's id starts.
    public let offsets: [Int]

    /// The documentation's topology, 4·2·2·2.
    public static let pointOfConcept = AddressScheme(validated: [2, 2, 2, 4])

    /// The number of levels supported by the mapping.
    public static let levelRange = 2...6
    /// Bits left for the address in 10.0.0.0/8 once the two type bits are taken (24 − 2).
    public static let maximumAddressBits = 22

    /// A scheme from gsizes (level 0 first).
    /// - Throws: `SchemeError` listing every rule of domain.md §2.1 the gsizes break.
    public init(gsizes: [Int]) throws(SchemeError) {
        let problems = Self.problems(gsizes: gsizes)
        guard problems.isEmpty else { throw SchemeError(gsizes: gsizes, problems: problems) }
        self.init(validated: gsizes)
    }

    private init(validated gsizes: [Int]) {
        self.gsizes = gsizes
        exponents = gsizes.map { $0.trailingZeroBitCount }
        var offsets: [Int] = []
        var bit = 0
        for exponent in exponents {
            offsets.append(bit)
            bit += exponent
        }
        self.offsets = offsets
    }

    /// Every reason `gsizes` cannot be a scheme, in rule order; empty when it can.
    public static func problems(gsizes: [Int]) -> [String] {
        var problems: [String] = []
        if !levelRange.contains(gsizes.count) {
            problems.append(
                "it has \(gsizes.count) level\(gsizes.count == 1 ? "" : "s"); "
                    + "the mapping supports \(levelRange.lowerBound) to \(levelRange.upperBound)")
        }
        for (level, size) in gsizes.enumerated() where size < 2 || size & (size - 1) != 0 {
            problems.append("gsize \(size) at level \(level) is not a power of two of at least 2")
        }
        let valid = gsizes.filter { $0 >= 2 && $0 & ($0 - 1) == 0 }
        let bits = valid.reduce(0) { $0 + $1.trailingZeroBitCount }
        if bits > maximumAddressBits {
            problems.append(
                "the addresses need \(bits) bits; at most \(maximumAddressBits) fit in 10.0.0.0/8 "
                    + "beside the two type bits")
        }
        if let top = gsizes.last, !gsizes.isEmpty, top < gsizes.count {
            problems.append(
                "the top level has gsize \(top), fewer than the \(gsizes.count) levels; "
                    + "internal addresses store the level number in the top level's bits")
        }
        return problems
    }

    public var levels: Int { gsizes.count }
    /// Bits of a fully real address: Σ exponents.
    public var addressBits: Int { exponents.reduce(0, +) }
    public var topLevel: Int { levels - 1 }

    /// Whether `id` is a real id at `level`.
    public func isReal(_ id: Int, at level: Int) -> Bool { id >= 0 && id < gsizes[level] }

    /// Top level first, as the documentation writes it: `4·2·2·2`.
    public var description: String { gsizes.reversed().map(String.init).joined(separator: "·") }
}

/// A scheme that breaks the rules of domain.md §2.1, with every reason.
public struct SchemeError: Error, Sendable, Hashable, CustomStringConvertible {
    public var gsizes: [Int]
    public var problems: [String]

    public var description: String {
        let written = gsizes.reversed().map(String.init).joined(separator: "·")
        return "the address scheme \(written) cannot be used: " + problems.joined(separator: "; ")
    }
}
