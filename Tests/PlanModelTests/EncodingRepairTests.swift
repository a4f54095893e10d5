import Testing

@testable import PlanModel

/// Damage applied to our own text in the three ways domain.md §6 describes, then detected and repaired.
@Suite struct EncodingRepairTests {
    static let original = ImportTestSupport.text(ImportTestSupport.fixture("pages/damage-source.md"))

    /// UTF-8 bytes read as Windows-1254; bytes the code page leaves undefined are dropped.
    static func damagedAsWindows1254(_ text: String) -> String {
        var out = String.UnicodeScalarView()
        for byte in text.utf8 {
            if byte < 0x80 {
                out.append(Unicode.Scalar(byte))
            } else if let scalar = Unicode.Scalar(LegacyCodePages.windows1254[Int(byte) - 0x80]), scalar.value != 0 {
                out.append(scalar)
            }
        }
        return String(out)
    }

    /// UTF-8 bytes read as Mac Roman (nothing dropped).
    static func damagedAsMacRoman(_ text: String) -> String {
        var out = String.UnicodeScalarView()
        for byte in text.utf8 {
            let value = byte < 0x80 ? UInt32(byte) : LegacyCodePages.macRoman[Int(byte) - 0x80]
            if let scalar = Unicode.Scalar(value) { out.append(scalar) }
        }
        return String(out)
    }

    /// UTF-8 read as GB2312 with invalid sequences dropped: two-byte sequences that are GB2312 pairs become
    /// CJK characters, everything else that is not ASCII disappears.
    static func damagedAsGB2312(_ text: String) -> String {
        var forward: [UInt32: UInt32] = [:]
        for (hanzi, original) in LegacyCodePages.gb2312Reverse { forward[original] = hanzi }
        var out = String.UnicodeScalarView()
        for scalar in text.unicodeScalars {
            if scalar.value < 0x80 {
                out.append(scalar)
            } else if let hanzi = forward[scalar.value].flatMap(Unicode.Scalar.init) {
                out.append(hanzi)
            }
        }
        return String(out)
    }

    @Test("Windows-1254 damage with dropped bytes is detected and reversed exactly")
    func windows1254() throws {
        let damaged = Self.damagedAsWindows1254(Self.original)
        #expect(damaged.contains("ğ›½"))
        #expect(damaged.contains("Ã\u{A0}"))
        let (text, repair) = EncodingRepairer.repair(damaged)
        #expect(text == Self.original)
        let report = try #require(repair)
        #expect(report.damage == .windows1254)
        #expect(report.repairedList == "· 6, 𝜀 3, 𝛽 3, à 2, é 1, è 1, ì 1, 𝛾 1, 𝜇 1, 𝛼 1")
        #expect(report.linesRepaired == 5)
        #expect(report.unrepairedLines.isEmpty)
        #expect(report.losses.isEmpty)
    }

    @Test("Mac Roman damage is detected and reversed exactly")
    func macRoman() throws {
        let damaged = Self.damagedAsMacRoman(Self.original)
        #expect(damaged.contains("\u{F8FF}"))
        #expect(damaged.contains("√†"))
        #expect(damaged.contains("¬∑"))
        let (text, repair) = EncodingRepairer.repair(damaged)
        #expect(text == Self.original)
        #expect(repair?.damage == .macRoman)
        #expect(repair?.repairedList == "· 6, 𝜀 3, 𝛽 3, à 2, é 1, è 1, ì 1, 𝛾 1, 𝜇 1, 𝛼 1")
    }

    @Test("GB2312 damage: middle dots and accents come back, Greek letters and à are reported lost")
    func gb2312() throws {
        let damaged = Self.damagedAsGB2312(Self.original)
        #expect(damaged.contains("2路1路1路3"))
        #expect(damaged.contains("**sistema **"))
        let (text, repair) = EncodingRepairer.repair(damaged)
        let report = try #require(repair)
        #expect(report.damage == .gb2312)
        #expect(report.repairedList == "· 6, é 1, è 1, ì 1")
        #expect(text.contains("2·1·1·3, then 2·0·1·1. Perché è così? Gi."))
        #expect(report.losses.first?.hasPrefix("7 Greek letters") == true)
        #expect(
            report.summary[0]
                == "encoding: UTF-8 read as GB2312, invalid sequences dropped; repaired 9 characters on 1 lines: · 6, é 1, è 1, ì 1"
        )
    }

    @Test("a page damaged as GB2312 still imports: its lost system names are inferred from the routes")
    func gb2312PageImports() throws {
        let result = try PageImporter.parse(
            text: Self.damagedAsGB2312(Self.original), path: "damaged.md", topology: ImportTestSupport.netsukuku)
        #expect(result.plan.steps.flatMap(\.blocks).map(\.node) == ["epsilon", "beta"])
        #expect(result.report.inferences.map(\.node) == ["epsilon", "beta"])
        #expect(result.report.inferences.allSatisfy { $0.written.isEmpty && !$0.isAssumed })
    }

    @Test(
        "each damaged page imports into the same plan as the clean page",
        arguments: ["windows-1254", "mac-roman"])
    func damagedPagesImportLikeClean(kind: String) throws {
        let damaged =
            kind == "mac-roman" ? Self.damagedAsMacRoman(Self.original) : Self.damagedAsWindows1254(Self.original)
        let clean = try PageImporter.parse(text: Self.original, path: "p.md", topology: ImportTestSupport.netsukuku)
        let repaired = try PageImporter.parse(text: damaged, path: "p.md", topology: ImportTestSupport.netsukuku)
        #expect(repaired.plan == clean.plan)
        #expect(clean.report.repair == nil)
        #expect(repaired.report.repair?.damage.rawValue == kind)
    }

    @Test("clean text is left alone: no fingerprint, no repair")
    func cleanText() {
        #expect(EncodingRepairer.detect(Self.original) == nil)
        #expect(EncodingRepairer.repair("ip route add 10.0.0.0/24 dev eth1\nè à 𝛽 · 路").repair == nil)
    }

    @Test("a damaged line that cannot be reversed is kept as written and listed")
    func unrepairableLine() throws {
        let (text, repair) = EncodingRepairer.repair("identitÃ\u{A0} of ğ›½\nğ›½ next to a clean 𝛽\n")
        #expect(text == "identità of 𝛽\nğ›½ next to a clean 𝛽\n")
        #expect(repair?.unrepairedLines == [2])
        #expect(
            repair?.summary == [
                "encoding: UTF-8 read as Windows-1254, undefined bytes dropped; repaired 2 characters on 1 lines: à 1, 𝛽 1",
                "  not repaired (imported as written): lines 2",
            ])
    }

    @Test("a dropped byte inside a three-byte sequence is put back where it yields a character (”)")
    func droppedByteInPunctuation() {
        // ” is E2 80 9D; Windows-1254 shows E2 80 as â€ and drops 9D.
        #expect(EncodingRepairer.repair("â€œquotedâ€ and ğœ€").text == "“quoted” and 𝜀")
    }
}
