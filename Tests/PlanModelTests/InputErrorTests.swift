import Testing

@testable import PlanModel

@Suite struct InputErrorTests {
    @Test("renders file:line:col, the source line with a caret under the column, and the hint")
    func rendering() {
        let source = SourceText(path: "lab.yaml", text: "name: x\n  endpoints: [\"a:eth1\", \"zz:eth1\"]\n")
        let error = source.error(.unknownReference, "unknown node 'zz'", line: 2, column: 26, hint: "declare it")
        #expect(
            error.description == """
                lab.yaml:2:26: error: unknown node 'zz'
                      endpoints: ["a:eth1", "zz:eth1"]
                                             ^
                hint: declare it
                """)
    }

    @Test("collections sort by position and count errors")
    func sorting() {
        let late = InputError(.syntax, "late", at: .init(file: "f", line: 9, column: 1), hint: "h")
        let early = InputError(.syntax, "early", at: .init(file: "f", line: 2, column: 5), hint: "h")
        let all = InputErrors([late, early])
        #expect(all.errors.map(\.message) == ["early", "late"])
        #expect(all.description.hasSuffix("2 errors"))
    }

    @Test("control characters in quoted lines are escaped")
    func controlCharacters() {
        #expect(DiagnosticText.printable("a\u{1B}[2Jb") == "a\\u{1b}[2Jb")
    }
}
