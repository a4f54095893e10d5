import Testing

@testable import PlanModel

/// JSONSubset on kernel state captured from the real qspnclient (beta's zero-step entry into gamma's network, after
/// gamma's `add_qspn_arc` and the first ETPs; see docs/findings/qspnclient-zero-step-entry.md), compared with what
/// the documentation's blocks (topologies/netsukuku-poc/demo.yaml) predict.
@Suite struct QspnclientCaptureTests {
    /// One `## name` section of a capture file.
    static func section(_ name: String, of file: String) -> JSONValue {
        let text = ImportTestSupport.text(ImportTestSupport.fixture("sut/\(file)"))
        let lines = text.split(separator: "\n", omittingEmptySubsequences: false)
        guard let header = lines.firstIndex(of: Substring("## \(name)")), header + 1 < lines.count else {
            return .string("missing section \(name) in \(file)")
        }
        return (try? JSONValue.parse(String(lines[header + 1]))) ?? .string("unparsable section \(name)")
    }

    static let routes = section("ip -j route show table all", of: "entr02-after-etp.beta.txt")
    static let options = JSONSubset.Options(identifyingKeys: ["dst", "table"])

    /// beta's routes to gamma's five addresses in table ntk, as the documented ETP and address-change blocks leave them.
    static func documentedRoutes(gateway: String) -> String {
        let sources = [
            "10.0.0.22": "10.0.0.23", "10.0.0.86": "10.0.0.23", "10.0.0.62": "10.0.0.63",
            "10.0.0.50": "10.0.0.51", "10.0.0.40": "10.0.0.41",
        ]
        let routes = sources.keys.sorted().map { destination in
            #"{"dst":"\#(destination)","table":"ntk","gateway":"\#(gateway)","dev":"eth1","prefsrc":"\#(sources[destination] ?? "")"}"#
        }
        return "[" + routes.joined(separator: ",") + "]"
    }

    func mismatch(_ expected: String, _ actual: JSONValue) -> String? {
        guard let wanted = try? JSONValue.parse(expected) else { return "unparsable expectation" }
        return JSONSubset.firstMismatch(expected: wanted, actual: actual, options: Self.options)?.description
    }

    @Test("with the documented link-local of gamma, the first mismatch is the gateway the program chose at random")
    func documentedLinkLocal() {
        #expect(
            mismatch(Self.documentedRoutes(gateway: "169.254.94.223"), Self.routes)
                == #"$[22].gateway: expected "169.254.94.223", found "169.254.250.101" "#
                + "(expected element [0] of $ matches none of its 51 elements; the closest is [22])")
    }

    @Test("with the link-local the program chose, the documented routes are all there")
    func chosenLinkLocal() {
        #expect(mismatch(Self.documentedRoutes(gateway: "169.254.250.101"), Self.routes) == nil)
    }

    @Test("the documented ETP block writes the route without src; the program had the real address first")
    func sourceBeforeAddressChange() {
        #expect(
            mismatch(#"[{"dst":"10.0.0.22","table":"ntk","prefsrc":null}]"#, Self.routes)
                == #"$[22].prefsrc: expected absent, found "10.0.0.23" "#
                + "(expected element [0] of $ matches none of its 51 elements; the closest is [22])")
    }

    @Test("the forwarding table from gamma has its fwmark rule (250) and only unreachable routes")
    func forwardingTable() {
        let rules = Self.section("ip -j rule", of: "entr02-after-etp.beta.txt")
        #expect(mismatch(#"[{"fwmark":"0xfa","table":"ntk_from_00:16:3E:5B:78:D5","priority":32764}]"#, rules) == nil)
        let table = "ntk_from_00:16:3E:5B:78:D5"
        #expect(mismatch(#"[{"dst":"10.0.0.22","table":"\#(table)","type":"unreachable"}]"#, Self.routes) == nil)
        #expect(
            mismatch(#"[{"dst":"10.0.0.22","table":"\#(table)","type":"blackhole"}]"#, Self.routes)
                == #"$[4].type: expected "blackhole", found "unreachable" "#
                + "(expected element [0] of $ matches none of its 51 elements; the closest is [4])")
    }
}
