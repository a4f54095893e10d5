/// The Greek letters documentation pages name systems with, in the forms they appear in: Mathematical Italic
/// (`𝛽` U+1D6FD, the form the pages use), basic Greek (`β` U+03B2) and the symbol variants (`ϵ` U+03F5).
enum GreekLetters {
    /// Basic Greek small letters α (U+03B1) … ω (U+03C9), final sigma included, as the Latin names slugs use.
    static let names = [
        "alpha", "beta", "gamma", "delta", "epsilon", "zeta", "eta", "theta", "iota", "kappa", "lambda", "mu", "nu",
        "xi", "omicron", "pi", "rho", "sigma", "sigma", "tau", "upsilon", "phi", "chi", "psi", "omega",
    ]

    /// The basic Greek small letter a scalar stands for, or nil when it is not a Greek small letter in any
    /// of the known forms. Mathematical Italic small α…ω (U+1D6FC…U+1D714) map linearly onto U+03B1…U+03C9.
    static func basic(_ scalar: Unicode.Scalar) -> Unicode.Scalar? {
        switch scalar.value {
        case 0x03B1...0x03C9: return scalar
        case 0x1D6FC...0x1D714: return Unicode.Scalar(scalar.value - 0x1D6FC + 0x03B1)
        case 0x03F5, 0x1D716: return "\u{03B5}"  // ϵ lunate epsilon, 𝜖 math italic epsilon symbol
        case 0x03D1, 0x1D717: return "\u{03B8}"  // ϑ
        case 0x03D5, 0x1D719: return "\u{03C6}"  // ϕ
        case 0x03F1, 0x1D71A: return "\u{03C1}"  // ϱ
        case 0x03D6, 0x1D71B: return "\u{03C0}"  // ϖ
        case 0x03F0, 0x1D718: return "\u{03BA}"  // ϰ
        default: return nil
        }
    }

    /// The Latin name of a Greek letter in any form (`𝛽` → `beta`), for slugs.
    static func latinName(_ scalar: Unicode.Scalar) -> String? {
        basic(scalar).map { names[Int($0.value - 0x03B1)] }
    }

    /// A spelling of a name that compares equal across the Greek forms and Latin case: Greek letters become
    /// basic Greek, Latin letters lower case.
    static func folded(_ name: String) -> String {
        var out = String.UnicodeScalarView()
        for scalar in name.unicodeScalars {
            if let greek = basic(scalar) {
                out.append(greek)
            } else if (0x41...0x5A).contains(scalar.value), let lower = Unicode.Scalar(scalar.value + 0x20) {
                out.append(lower)
            } else {
                out.append(scalar)
            }
        }
        return String(out)
    }
}
