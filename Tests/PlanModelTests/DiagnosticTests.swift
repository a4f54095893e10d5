import Testing

@testable import PlanModel

@Suite("one diagnostic shape") struct DiagnosticTests {
    @Test("a diagnostic renders location or subject, source and caret, details, cause and hint in that order")
    func rendering() {
        let diagnostic = Diagnostic(
            code: "input.x", category: .input, message: "bad value",
            location: InputLocation(file: "p.yaml", line: 3, column: 7), sourceLine: "  run: \techo",
            details: ["first reason", "second reason"], cause: "the tool said no", hint: "write it otherwise")
        #expect(
            DiagnosticText.render(diagnostic) == """
                p.yaml:3:7: error: bad value
                      run: \techo
                          ^
                  first reason
                  second reason
                cause: the tool said no
                hint: write it otherwise
                """)
        let about = Diagnostic(code: "c.d", category: .connection, message: "refused", subject: "node 'a' (h:22)")
        #expect(DiagnosticText.render(about) == "error: node 'a' (h:22): refused")
    }

    @Test("several diagnostics are separated and counted; the gravest category decides")
    func several() {
        struct Both: DiagnosticConvertible {
            var diagnostics: [Diagnostic]
        }
        let input = Diagnostic(code: "a", category: .input, message: "one")
        let lost = Diagnostic(code: "b", category: .connection, message: "two")
        let warning = Diagnostic(code: "c", category: .failure, message: "three", severity: .warning)
        let both = Both(diagnostics: [input, lost, warning])
        #expect(both.description == "error: one\n\nerror: two\n\nwarning: three\n\n2 errors")
        #expect(both.category == .connection)
        #expect(Both(diagnostics: [input]).category == .input)
        #expect(
            Both(diagnostics: [lost, Diagnostic(code: "d", category: .failure, message: "x")]).category == .failure)
    }

    @Test("an input error keeps its text and says it is input")
    func inputError() {
        let error = InputError(
            .unknownReference, "unknown node 'x'", at: InputLocation(file: "t.yaml", line: 2, column: 3),
            hint: "nodes: a, b", sourceLine: "  x:")
        #expect(error.description == "t.yaml:2:3: error: unknown node 'x'\n      x:\n      ^\nhint: nodes: a, b")
        #expect(error.diagnostics.map(\.code) == ["input.unknown-reference"])
        #expect(error.category == .input)
    }
}
