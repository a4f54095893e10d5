/// Gives imported steps ids that are stable across imports of the same source and unique in the plan: the
/// slug of the step's title, with `-2`, `-3`, … for later steps of the same title.
struct StepIDAllocator: Sendable {
    private var used: Set<String> = []

    /// The id the next step with this title gets (the allocator does not change).
    func candidate(for title: String) -> String {
        let base = Self.slug(title)
        if !used.contains(base) { return base }
        var number = 2
        while used.contains("\(base)-\(number)") { number += 1 }
        return "\(base)-\(number)"
    }

    /// Whether an id is taken.
    func isUsed(_ id: String) -> Bool { used.contains(id) }

    mutating func use(_ id: String) { used.insert(id) }

    /// `Formazione dell'arco` → `formazione-dell-arco`; Greek letters by their Latin names (`𝜀` → `epsilon`),
    /// accents dropped, at most 48 characters, `step` when nothing is left.
    static func slug(_ title: String) -> String {
        var out = ""
        var pendingDash = false
        func append(_ text: String) {
            if pendingDash && !out.isEmpty { out += "-" }
            pendingDash = false
            out += text
        }
        for scalar in title.unicodeScalars {
            if Names.isASCIIAlphanumeric(scalar) {
                append(String(scalar).lowercased())
            } else if let name = GreekLetters.latinName(scalar) {
                pendingDash = true
                append(name)
                pendingDash = true
            } else if let base = foldedLatin(scalar) {
                append(base)
            } else {
                pendingDash = true
            }
        }
        if out.count > 48 {
            let cut = out.prefix(48)
            out = String(cut.lastIndex(of: "-").map { cut[..<$0] } ?? cut)
        }
        while out.hasSuffix("-") { out.removeLast() }
        return out.isEmpty ? "step" : out
    }

    /// Accented Latin letters of Western European languages without their accents.
    private static func foldedLatin(_ scalar: Unicode.Scalar) -> String? {
        switch scalar.value {
        case 0xC0...0xC5, 0xE0...0xE5: "a"
        case 0xC7, 0xE7: "c"
        case 0xC8...0xCB, 0xE8...0xEB: "e"
        case 0xCC...0xCF, 0xEC...0xEF: "i"
        case 0xD1, 0xF1: "n"
        case 0xD2...0xD6, 0xD8, 0xF2...0xF6, 0xF8: "o"
        case 0xD9...0xDC, 0xF9...0xFC: "u"
        case 0xDD, 0xFD, 0xFF: "y"
        case 0xDF: "ss"
        default: nil
        }
    }
}

extension OperationKind {
    /// The operation a documentation heading names, from the vocabulary of the pages (Italian and English);
    /// nil when the title names none of them.
    static func named(byTitle title: String) -> OperationKind? {
        let text = GreekLetters.folded(title)
        let table: [(words: [String], kind: OperationKind)] = [
            (["rimozione dell'arco", "arc removal", "remove_real_arc"], .arcRemoval),
            (["formazione dell'arco", "arc formation", "add_real_arc"], .arc),
            (["tabelle per l'inoltro", "forwarding table"], .forwardingTable),
            (["aggiornamento dei gateway", "gateway update"], .gatewayUpdate),
            (["copia tabelle", "spostamento delle rotte", "spostamento rotte", "move routes"], .moveRoutes),
            (["nuovo network namespace", "new network namespace"], .identity),
            (["popolamento nuove rotte", "new routes"], .routes),
            (["cambio di indirizzo", "address change"], .addressChange),
            (["dismissione", "dismissal"], .dismissal),
            (["processazione degli etp", "etp processing"], .etp),
        ]
        return table.first { entry in entry.words.contains { text.contains($0) } }?.kind
    }
}
