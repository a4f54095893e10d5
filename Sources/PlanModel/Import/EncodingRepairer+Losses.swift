extension EncodingRepairer {
    /// Where GB2312 dropped characters without a trace, as far as the text shows it.
    static func gb2312Losses(in text: String) -> [String] {
        var systemLines = 0
        var emphasis = 0
        for line in ImportSource.lines(text).map({ Substring($0) }) {
            if let system = SystemLine(line) {
                if system.name.isEmpty { systemLines += 1 }
                continue
            }
            emphasis += countMatches(of: "*<sub>", in: line) + countMatches(of: "<sub></sub>", in: line)
            emphasis += emptyEmphasisCount(in: line)
        }
        var losses: [String] = []
        let total = systemLines + emphasis
        if total > 0 {
            losses.append(
                "\(total) Greek letters (or other characters outside GB2312) where the text shows a gap: "
                    + "\(systemLines) system names, \(emphasis) in prose ('** (', '*<sub>1</sub>*', '<sub></sub>'); "
                    + "system names are inferred from the blocks, the rest cannot be recovered")
        }
        losses.append(
            "every 'à' and other character whose UTF-8 bytes are no GB2312 pair, without a trace "
                + "('identità' reads 'identit'); their number cannot be known from the text")
        return losses
    }

    private static func countMatches(of needle: String, in line: Substring) -> Int {
        var count = 0
        var rest = line[...]
        while let range = rest.firstRange(of: needle) {
            count += 1
            rest = rest[range.upperBound...]
        }
        return count
    }

    /// `**` standing alone between spaces or punctuation: an emphasised letter that was dropped (`*𝛽*`).
    private static func emptyEmphasisCount(in line: Substring) -> Int {
        let scalars = Array(line.unicodeScalars)
        var count = 0
        var index = 0
        while index + 1 < scalars.count {
            if scalars[index] == "*", scalars[index + 1] == "*" {
                let before = index > 0 ? scalars[index - 1] : " "
                let after = index + 2 < scalars.count ? scalars[index + 2] : " "
                if before != "*", after != "*", !before.properties.isAlphabetic, !after.properties.isAlphabetic,
                    !(0x30...0x39).contains(before.value), !(0x30...0x39).contains(after.value), after != "<"
                {
                    count += 1
                }
                index += 2
            } else {
                index += 1
            }
        }
        return count
    }
}
