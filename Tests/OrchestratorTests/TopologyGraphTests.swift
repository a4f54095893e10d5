import Foundation
import FoundationXML
import PlanModel
import Testing

@testable import Orchestrator

/// `testbed graph`: the topology laid out by Graphviz as SVG.
@Suite("the topology picture") struct TopologyGraphTests {
    static let repository: String = {
        var url = URL(fileURLWithPath: #filePath).deletingLastPathComponent()
        while url.path != "/"
            && !FileManager.default.fileExists(atPath: url.appendingPathComponent("Package.swift").path)
        {
            url = url.deletingLastPathComponent()
        }
        return url.path
    }()

    func titles(_ svg: String, of kind: String) throws -> [String] {
        let document = try XMLDocument(data: Data(svg.utf8), options: [])
        let nodes = try document.nodes(forXPath: "//*[local-name()='g'][@class='\(kind)']/*[local-name()='title']")
        return nodes.compactMap(\.stringValue)
    }

    @Test("the netsukuku topology is valid SVG with every node, its segment and one edge per interface")
    func netsukuku() throws {
        let topology = try TopologyLoader.load(path: Self.repository + "/topologies/netsukuku-poc/topology.yaml")
        let svg = try Graphviz.svg(TopologyPicture(topology: topology).dot)
        let nodes = try titles(svg, of: "node")
        #expect(Set(nodes) == Set(topology.nodes.keys.map { "n:\($0)" } + ["s0"]))
        #expect(try titles(svg, of: "edge").count == 8)
        #expect(svg.contains(">air</text>") && svg.contains(">seg0</text>"))
        #expect(svg.contains(">beta &#160;𝛽</text>") || svg.contains(">beta  𝛽</text>"), "\(svg.prefix(3000))")
    }

    @Test("frames add namespaces as boxes inside their node and arcs between identities; ids say which is which")
    func frames() throws {
        let topology = try TopologyLoader.parse(
            text:
                "name: two\nnodes: {a: {interfaces: {eth1: {}}}, b: {interfaces: {eth1: {}}}}\nlinks: [{endpoints: [a:eth1, b:eth1]}]\n",
            path: "two.yaml")
        let a = TopologyFrame.Identity(node: "a")
        let inner = TopologyFrame.Identity(node: "b", namespace: "n1")
        let frames = [
            TopologyFrame(label: "one", identities: [a: ["169.254.1.1"]]),
            TopologyFrame(
                label: "two", identities: [a: ["169.254.1.1"], inner: ["169.254.2.2"]],
                arcs: [TopologyFrame.Arc(from: a, to: inner, device: "eth1")]),
        ]
        let picture = TopologyPicture(topology: topology, frames: frames)
        #expect(picture.presence == ["g-i-b--n1": [false, true], "g-a-a-to-b--n1-eth1": [false, true]])
        let svg = try Graphviz.svg(picture.dot)
        #expect(try titles(svg, of: "cluster").contains("cluster_b"))
        #expect(try titles(svg, of: "node").contains("i:b/n1"))
        #expect(
            try titles(svg, of: "edge arc") == ["n:a&#45;&gt;i:b/n1"] || titles(svg, of: "edge arc") == ["n:a->i:b/n1"])
        // Inlined in a page it keeps no URL: no DOCTYPE with its DTD, no namespace declarations.
        let inline = Graphviz.inline(svg)
        #expect(inline.hasPrefix("<svg"))
        #expect(!inline.contains("http"))
        #expect(svg.contains("http://www.w3.org/2000/svg"), "the standalone file keeps its namespace")
    }

    @Test("names with quotes and backslashes stay inside their DOT strings")
    func quoting() {
        let picture = TopologyPicture(
            topology: Topology(name: "q\"x\\y", nodes: [:], segments: [], sourcePath: "q.yaml", contentHash: ""))
        #expect(picture.dot.hasPrefix(#"digraph "q\"x\\y" {"#))
    }
}
