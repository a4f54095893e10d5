/// Detects and reverses encoding damage in a whole text.
enum EncodingRepairer {
    /// How strongly a text shows each damage: the number of fingerprints found.
    static func scores(_ text: String) -> [EncodingRepair.Damage: Int] {
        var scores: [EncodingRepair.Damage: Int] = [:]
        let scalars = Array(text.unicodeScalars)
        let cp1254 = LegacyCodePages.reverse(LegacyCodePages.windows1254)
        let macRoman = LegacyCodePages.reverse(LegacyCodePages.macRoman)
        func isContinuation(_ scalar: Unicode.Scalar, _ table: [UInt32: UInt8]) -> Bool {
            table[scalar.value].map { (0x80...0xBF).contains($0) } ?? false
        }
        func isDigit(_ scalar: Unicode.Scalar) -> Bool { (0x30...0x39).contains(scalar.value) }
        for (index, scalar) in scalars.enumerated() {
            let next = index + 1 < scalars.count ? scalars[index + 1] : nil
            let previous = index > 0 ? scalars[index - 1] : nil
            switch scalar.value {
            case 0x011F where next?.value == 0x203A || next?.value == 0x0153:  // ğ› ğœ: F0 9D 9B/9C minus 9D
                scores[.windows1254, default: 0] += 1
            case 0x00C3, 0x00C2:  // Ã or Â + a continuation byte: a two-byte UTF-8 sequence
                if let next, isContinuation(next, cp1254) {
                    scores[.windows1254, default: 0] += 1
                }
            case 0xF8FF:  // Mac Roman 0xF0, the lead byte of every Mathematical Italic letter
                scores[.macRoman, default: 0] += 1
            case 0x221A, 0x00AC:  // √ (C3) or ¬ (C2) + a continuation byte
                if let next, isContinuation(next, macRoman) { scores[.macRoman, default: 0] += 1 }
            case 0x8DEF:  // 路 between digits: the middle dot of 1·0·1
                if let previous, let next, isDigit(previous), isDigit(next) { scores[.gb2312, default: 0] += 1 }
            case 0x732B, 0x8305:  // 猫 è, 茅 é
                scores[.gb2312, default: 0] += 1
            default: break
            }
        }
        return scores
    }

    /// The damage a text most likely has, if any, among `kinds`.
    static func detect(
        _ text: String, among kinds: [EncodingRepair.Damage] = EncodingRepair.Damage.allCases
    ) -> EncodingRepair.Damage? {
        let scores = scores(text)
        return kinds.filter { (scores[$0] ?? 0) > 0 }.max { (scores[$0] ?? 0) < (scores[$1] ?? 0) }
    }

    /// Repairs every damage the text shows, the strongest first: a page pieced together from differently
    /// damaged parts gets each part repaired. Each kind is applied at most once.
    static func repairAll(_ text: String) -> (text: String, repairs: [EncodingRepair]) {
        var text = text
        var repairs: [EncodingRepair] = []
        var remaining = EncodingRepair.Damage.allCases
        while let damage = detect(text, among: remaining) {
            remaining.removeAll { $0 == damage }
            let (repaired, repair) = apply(damage, to: text)
            text = repaired
            repairs.append(repair)
        }
        return (text, repairs)
    }

    /// The text with its damage reversed where possible, and what was done; the text unchanged and nil when
    /// no damage is found. Line breaks are never changed, so line numbers stay those of the file.
    static func repair(_ text: String) -> (text: String, repair: EncodingRepair?) {
        guard let damage = detect(text) else { return (text, nil) }
        let (repaired, repair) = apply(damage, to: text)
        return (repaired, repair)
    }

    static func apply(_ damage: EncodingRepair.Damage, to text: String) -> (text: String, repair: EncodingRepair) {
        let lines = ImportSource.lines(text).map { Substring($0) }
        var counter = CharacterCounter()
        var out: [String] = []
        var changed = 0
        var unrepaired: [Int] = []
        for (index, line) in lines.enumerated() {
            let repaired: String?
            switch damage {
            case .windows1254:
                repaired = reverseSingleByte(line, table: cp1254Reverse, restoreDropped: true)
            case .macRoman:
                repaired = reverseSingleByte(line, table: macRomanReverse, restoreDropped: false)
            case .gb2312:
                repaired = reverseGB2312(line)
            }
            guard let repaired, repaired != String(line) else {
                if repaired == nil, scores(String(line))[damage] != nil { unrepaired.append(index + 1) }
                out.append(String(line))
                continue
            }
            changed += 1
            if damage == .gb2312 {
                for scalar in line.unicodeScalars {
                    if let original = LegacyCodePages.gb2312Reverse[scalar.value], let char = Unicode.Scalar(original) {
                        counter.add(String(char))
                    }
                }
            } else {
                for scalar in repaired.unicodeScalars where scalar.value >= 0x80 { counter.add(String(scalar)) }
            }
            out.append(repaired)
        }
        let result = out.joined(separator: "\n")
        let losses = damage == .gb2312 ? gb2312Losses(in: result) : []
        let repair = EncodingRepair(
            damage: damage, repaired: counter.counts, linesRepaired: changed, unrepairedLines: unrepaired,
            losses: losses)
        return (result, repair)
    }
}
