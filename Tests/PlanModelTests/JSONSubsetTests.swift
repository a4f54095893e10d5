import Testing

@testable import PlanModel

@Suite struct JSONSubsetTests {
    func mismatch(
        _ expected: String, _ actual: String, _ order: JSONSubset.ArrayOrder = .anyOrder, keys: [String] = []
    ) -> String? {
        do {
            return try JSONSubset.firstMismatch(
                expected: expected, actual: actual, options: .init(arrayOrder: order, identifyingKeys: keys))?
                .description
        } catch {
            return "parse error: \(error)"
        }
    }

    @Test("scalars match by value; numbers by the number, never across types")
    func scalars() {
        #expect(mismatch("250", "250") == nil)
        #expect(mismatch("1", "1.0") == nil)
        #expect(mismatch("1.5", "1.5") == nil)
        #expect(mismatch("\"ntk\"", "\"ntk\"") == nil)
        #expect(mismatch("250", "249") == "$: expected 250, found 249")
        #expect(mismatch("1", "\"1\"") == #"$: expected 1, found "1""#)
        #expect(mismatch("true", "1") == "$: expected true, found 1")
        #expect(mismatch("null", "null") == nil)
        #expect(mismatch("null", "0") == "$: expected null, found 0")
    }

    @Test("objects: expected keys must be present and match; extra actual keys are fine")
    func objects() {
        let route = #"{"dst":"10.0.0.22","gateway":"169.254.94.223","dev":"eth1","table":"ntk","flags":[]}"#
        #expect(mismatch(#"{"dst":"10.0.0.22","dev":"eth1"}"#, route) == nil)
        #expect(mismatch(#"{"dst":"10.0.0.22","dev":"eth2"}"#, route) == #"$.dev: expected "eth2", found "eth1""#)
        #expect(mismatch(#"{"protocol":"kernel"}"#, route) == #"$.protocol: expected "kernel", found absent"#)
        #expect(mismatch(#"{"dst":"10.0.0.22"}"#, "[]") == #"$: expected {"dst":"10.0.0.22"}, found []"#)
    }

    @Test("null in an expected object asks for the key to be absent (an actual null counts as absent)")
    func absence() {
        #expect(mismatch(#"{"prefsrc":null}"#, #"{"dst":"10.0.0.22"}"#) == nil)
        #expect(mismatch(#"{"prefsrc":null}"#, #"{"prefsrc":null}"#) == nil)
        #expect(
            mismatch(#"{"prefsrc":null}"#, #"{"prefsrc":"10.0.0.23"}"#)
                == #"$.prefsrc: expected absent, found "10.0.0.23""#)
    }

    @Test("keys are visited in sorted order, and odd keys are quoted in the path")
    func paths() {
        #expect(mismatch(#"{"b":1,"a":1}"#, #"{"a":2,"b":2}"#) == "$.a: expected 1, found 2")
        #expect(
            mismatch(#"{"x":{"odd key":[{"n":1}]}}"#, #"{"x":{"odd key":[{"n":2}]}}"#)
                == #"$.x["odd key"][0].n: expected 1, found 2 "#
                + #"(expected element [0] of $.x["odd key"] matches none of its 1 element; the closest is [0])"#)
        #expect(JSONPath.root.appending(key: "9lives").appending(key: "_ok9").description == #"$["9lives"]._ok9"#)
    }

    @Test("arrays in any order: each expected element takes a distinct actual element")
    func anyOrder() {
        #expect(mismatch("[3,1]", "[1,2,3]") == nil)
        #expect(mismatch("[]", "[1]") == nil)
        #expect(
            mismatch("[1,1]", "[1,2]")
                == "$: expected 1, found only [0], each needed by another expected element "
                + "(expected element [1] of $ has no distinct match)")
        #expect(mismatch("[1,1]", "[1,2,1]") == nil)
    }

    @Test("a first fit that would block a later element is undone (augmenting paths)")
    func augmenting() {
        // A greedy pass gives actual [0] to expected [0]; then expected [1] would have nothing left.
        #expect(mismatch(#"[{"a":1},{"a":1,"b":2}]"#, #"[{"a":1,"b":2},{"a":1}]"#) == nil)
    }

    @Test("an element that matches nothing is reported through the closest actual element")
    func closest() {
        let routes = """
            [{"dst":"10.0.0.21","gateway":"169.254.94.223","dev":"eth1"},
             {"dst":"10.0.0.22","gateway":"169.254.96.141","dev":"eth1"},
             {"dst":"10.0.0.23","dev":"eth1"}]
            """
        let wanted = #"[{"dst":"10.0.0.22","gateway":"169.254.94.223","dev":"eth1"}]"#
        #expect(
            mismatch(wanted, routes, keys: ["dst"])
                == #"$[1].gateway: expected "169.254.94.223", found "169.254.96.141" "#
                + "(expected element [0] of $ matches none of its 3 elements; the closest is [1])")
        // Without identifying keys, [0] and [1] both agree on two keys: the first one wins the tie.
        #expect(
            mismatch(wanted, routes)
                == #"$[0].dst: expected "10.0.0.22", found "10.0.0.21" "#
                + "(expected element [0] of $ matches none of its 3 elements; the closest is [0])")
        #expect(
            mismatch("[4]", "[]")
                == "$: expected 4, found [] (expected element [0] of $ matches none of its 0 elements)")
    }

    @Test("in order: a subsequence, gaps allowed, order kept")
    func inOrder() {
        #expect(mismatch("[1,3]", "[1,2,3]", .inOrder) == nil)
        #expect(
            mismatch("[2,1]", "[1,2,3]", .inOrder)
                == "$[2]: expected 1, found 3 (expected element [1] of $ matches none of the elements from [2] on, "
                + "in order; the closest is [2])")
        #expect(
            mismatch("[3,1]", "[1,2,3]", .inOrder)
                == "$: expected 1, found [] (expected element [1] of $ matches none of the elements from [3] on, "
                + "in order)")
    }

    @Test("exact: the same count, position by position")
    func exact() {
        #expect(mismatch("[1,2]", "[1,2]", .exact) == nil)
        #expect(
            mismatch("[1,2]", "[1,2,3]", .exact)
                == "$: expected 2 elements, found 3 elements (exact order asks for the same number of elements)")
        #expect(mismatch("[2,1]", "[1,2]", .exact) == "$[0]: expected 2, found 1")
    }

    @Test("text that is not JSON is refused with the decoder's reason")
    func parseErrors() {
        #expect(throws: JSONValue.ParseError.self) { try JSONValue.parse("{\"a\":") }
        #expect(throws: JSONValue.ParseError.self) { try JSONValue.parse("") }
        #expect((try? JSONValue.parse(#"{"a":[1,2.5,"x",true,null]}"#))?.description == #"{"a":[1,2.5,"x",true,null]}"#)
    }
}
