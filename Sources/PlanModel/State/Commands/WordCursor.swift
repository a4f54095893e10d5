/// The words of a command line read left to right, the way iproute2's `NEXT_ARG` reads them: `current` is
/// the word being looked at; `next()` moves to the word after it and returns it (nil past the end).
struct WordCursor {
    let words: [String]
    private(set) var index: Int

    init(_ words: [String], at index: Int = 0) {
        self.words = words
        self.index = index
    }

    /// The word being looked at; nil past the end.
    var current: String? { index < words.count ? words[index] : nil }

    /// The word after the current one, without moving.
    var following: String? { index + 1 < words.count ? words[index + 1] : nil }

    /// The words after the current one.
    var rest: ArraySlice<String> { words[min(index + 1, words.count)...] }

    /// Moves to the next word and returns it (an option's value).
    mutating func next() -> String? {
        index += 1
        return current
    }

    /// Moves past the current word.
    mutating func advance() { index += 1 }

    /// Moves past every word.
    mutating func finish() { index = words.count }
}
