/// Whether an actual JSON document contains an expected one (expected ⊆ actual), and if not, where it first differs.
///
/// The rules, applied recursively:
/// - **Objects**: every key of the expected object must be present in the actual object and match; the actual object
///   may have more keys. Keys are visited in sorted order, so "first" is the same on every run.
/// - **`null` in an expected object** means the key must be absent (an actual `null` counts as absent too). Anywhere
///   else `null` is a scalar that equals only `null`.
/// - **Arrays**, by `Options.arrayOrder`:
///   - `.anyOrder` (default): each expected element matches a *distinct* actual element, in any order; the actual
///     array may have more elements. An assignment is searched for (augmenting paths), so two equal expected elements
///     need two actual ones, and an early greedy choice never hides a valid assignment.
///   - `.inOrder`: the expected elements match actual elements in the same order, with gaps allowed (a subsequence).
///   - `.exact`: the same number of elements, matching position by position.
/// - **Scalars** are equal by value; numbers by the number they denote (`1` matches `1.0`), never a string `"1"`.
///
/// When an expected element matches no actual element, the mismatch reported is the one of the closest actual
/// element: the one that agrees on most `identifyingKeys`, then on most keys of the expected object (the first such
/// one on a tie).
public enum JSONSubset {
    public enum ArrayOrder: Sendable, Hashable {
        case anyOrder, inOrder, exact
    }

    public struct Options: Sendable, Hashable {
        public var arrayOrder: ArrayOrder
        /// Keys that name an element (`dst` of a route, `ifname` of a link): when an expected element matches
        /// nothing, the closest actual element is first the one that agrees on most of these keys.
        public var identifyingKeys: [String]

        public init(arrayOrder: ArrayOrder = .anyOrder, identifyingKeys: [String] = []) {
            self.arrayOrder = arrayOrder
            self.identifyingKeys = identifyingKeys
        }
    }

    /// The first place where `actual` does not contain `expected`, or nil when it does.
    public static func firstMismatch(
        expected: JSONValue, actual: JSONValue, options: Options = Options()
    ) -> JSONMismatch? {
        Matcher(options: options).match(expected, actual, at: .root)
    }

    /// Both documents as JSON text; throws when either is not JSON.
    public static func firstMismatch(
        expected: String, actual: String, options: Options = Options()
    ) throws(JSONValue.ParseError) -> JSONMismatch? {
        firstMismatch(expected: try JSONValue.parse(expected), actual: try JSONValue.parse(actual), options: options)
    }

    public static func contains(_ actual: JSONValue, _ expected: JSONValue, options: Options = Options()) -> Bool {
        firstMismatch(expected: expected, actual: actual, options: options) == nil
    }
}

/// One comparison run with its options.
struct Matcher {
    let options: JSONSubset.Options

    func match(_ expected: JSONValue, _ actual: JSONValue, at path: JSONPath) -> JSONMismatch? {
        switch (expected, actual) {
        case (.object(let wanted), .object(let found)):
            return matchObject(wanted, found, at: path)
        case (.array(let wanted), .array(let found)):
            switch options.arrayOrder {
            case .anyOrder: return matchAnyOrder(wanted, found, at: path)
            case .inOrder: return matchInOrder(wanted, found, at: path)
            case .exact: return matchExact(wanted, found, at: path)
            }
        default:
            if expected.sameScalar(as: actual) { return nil }
            return JSONMismatch(path: path, expected: expected.description, actual: actual.description)
        }
    }

    func matchObject(_ wanted: [String: JSONValue], _ found: [String: JSONValue], at path: JSONPath) -> JSONMismatch? {
        for key in wanted.keys.sorted() {
            guard let expected = wanted[key] else { continue }
            if let mismatch = matchMember(expected, found[key], at: path.appending(key: key)) { return mismatch }
        }
        return nil
    }

    /// One member of an expected object; `null` asks for absence.
    func matchMember(_ expected: JSONValue, _ actual: JSONValue?, at path: JSONPath) -> JSONMismatch? {
        switch (expected, actual) {
        case (.null, nil), (.null, .null?): return nil
        case (.null, let actual?):
            return JSONMismatch(path: path, expected: JSONMismatch.absent, actual: actual.description)
        case (_, nil):
            return JSONMismatch(path: path, expected: expected.description, actual: JSONMismatch.absent)
        case (_, let actual?):
            return match(expected, actual, at: path)
        }
    }

    func matchExact(_ wanted: [JSONValue], _ found: [JSONValue], at path: JSONPath) -> JSONMismatch? {
        if wanted.count != found.count {
            return JSONMismatch(
                path: path, expected: Self.count(wanted.count), actual: Self.count(found.count),
                context: "exact order asks for the same number of elements")
        }
        for (index, (expected, actual)) in zip(wanted, found).enumerated() {
            if let mismatch = match(expected, actual, at: path.appending(index: index)) { return mismatch }
        }
        return nil
    }

    /// A subsequence: the earliest possible match for each expected element leaves the most room for the rest.
    func matchInOrder(_ wanted: [JSONValue], _ found: [JSONValue], at path: JSONPath) -> JSONMismatch? {
        var next = 0
        for (index, expected) in wanted.enumerated() {
            let hit = (next..<found.count).first { match(expected, found[$0], at: path.appending(index: $0)) == nil }
            guard let hit else {
                let scope = "the elements from [\(next)] on, in order"
                return closestMismatch(expected, index, among: Array(next..<found.count), of: found, at: path, scope)
            }
            next = hit + 1
        }
        return nil
    }

    func matchAnyOrder(_ wanted: [JSONValue], _ found: [JSONValue], at path: JSONPath) -> JSONMismatch? {
        var candidates: [[Int]] = []
        for (index, expected) in wanted.enumerated() {
            let fitting = found.indices.filter { match(expected, found[$0], at: path.appending(index: $0)) == nil }
            if fitting.isEmpty {
                let scope = "its \(Self.count(found.count))"
                return closestMismatch(expected, index, among: Array(found.indices), of: found, at: path, scope)
            }
            candidates.append(fitting)
        }
        var assignment = DistinctAssignment(candidates: candidates, actualCount: found.count)
        guard let unassigned = assignment.firstUnassigned() else { return nil }
        let taken = candidates[unassigned].map { "[\($0)]" }.joined(separator: ", ")
        return JSONMismatch(
            path: path, expected: wanted[unassigned].description,
            actual: "only \(taken), each needed by another expected element",
            context: "expected element [\(unassigned)] of \(path) has no distinct match")
    }

    /// The mismatch of the actual element that comes closest to an expected element that matched none.
    func closestMismatch(
        _ expected: JSONValue, _ index: Int, among indices: [Int], of found: [JSONValue], at path: JSONPath,
        _ scope: String
    ) -> JSONMismatch {
        let context = "expected element [\(index)] of \(path) matches none of \(scope)"
        var best: (index: Int, score: Closeness)? = nil
        for candidate in indices {
            let score = closeness(expected, found[candidate])
            if best.map({ score > $0.score }) ?? true { best = (candidate, score) }
        }
        guard let best, var mismatch = match(expected, found[best.index], at: path.appending(index: best.index))
        else {
            let candidates = JSONValue.array(indices.map { found[$0] })
            return JSONMismatch(
                path: path, expected: expected.description, actual: candidates.description, context: context)
        }
        mismatch.context = "\(context); the closest is [\(best.index)]" + (mismatch.context.map { "; \($0)" } ?? "")
        return mismatch
    }

    /// Matching identifying keys, then matching keys: compared in that order.
    struct Closeness: Comparable {
        var identifying: Int
        var all: Int
        static func < (lhs: Closeness, rhs: Closeness) -> Bool {
            (lhs.identifying, lhs.all) < (rhs.identifying, rhs.all)
        }
    }

    /// How many members of an expected object an actual element already matches.
    func closeness(_ expected: JSONValue, _ actual: JSONValue) -> Closeness {
        guard case .object(let wanted) = expected, case .object(let found) = actual else {
            return Closeness(identifying: 0, all: 0)
        }
        let matching = Set(
            wanted.keys.filter { key in matchMember(wanted[key] ?? .null, found[key], at: .root) == nil })
        let identifying = options.identifyingKeys.filter { matching.contains($0) }.count
        return Closeness(identifying: identifying, all: matching.count)
    }

    static func count(_ number: Int) -> String { number == 1 ? "1 element" : "\(number) elements" }
}
