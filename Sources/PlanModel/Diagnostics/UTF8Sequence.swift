/// UTF-8 sequence structure, for the places that walk raw bytes (locating invalid text, repairing damage).
enum UTF8Sequence {
    /// The length of the UTF-8 sequence that starts with `lead`, or nil when `lead` cannot start one.
    static func length(startingWith lead: UInt8) -> Int? {
        switch lead {
        case 0x00...0x7F: 1
        case 0xC2...0xDF: 2
        case 0xE0...0xEF: 3
        case 0xF0...0xF4: 4
        default: nil
        }
    }
}
