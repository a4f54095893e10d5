// libFuzzer target for the page and script importers, the encoding repair and the page renderer.
//
// Each input is imported as a page and as a script. Neither may crash, and whatever imports must render into a
// page that imports back into the same plan (`import(render(plan)) == plan`); a broken round trip traps, so
// libFuzzer keeps the input as a crash artifact. Built by Fuzz/run.sh.

// Foundation: ShellLines uses `range(of:)`, visible in the package through another file's import.
import Foundation
import OrderedCollections

@_cdecl("LLVMFuzzerTestOneInput")
public func fuzzPlanImport(_ data: UnsafePointer<UInt8>, _ size: Int) -> CInt {
    let text = String(decoding: UnsafeBufferPointer(start: data, count: size), as: UTF8.self)
    let topology = FuzzTopology.netsukuku
    _ = EncodingRepairer.repair(text)
    if let page = try? PageImporter.parse(text: text, path: "fuzz.md", topology: topology, assumptions: [3: "beta"]) {
        checkRoundTrip(page.plan, topology: topology, what: "page")
    }
    if let script = try? ScriptImporter.parse(text: text, path: "fuzz.sh", topology: topology) {
        checkRoundTrip(script.plan, topology: topology, what: "script")
    }
    return 0
}

private func checkRoundTrip(_ plan: Plan, topology: Topology, what: String) {
    let page = PageRenderer.render(plan, topology: topology)
    _ = PlanYAMLWriter.write(plan, topology: topology)
    let again: ImportResult
    do {
        again = try PageImporter.parse(text: page, path: "render.md", topology: topology)
    } catch {
        fatalError("the render of an imported \(what) does not import:\n\(error)\n--- render ---\n\(page)")
    }
    guard again.plan.withoutLocations() == plan.withoutLocations() else {
        fatalError("the render of an imported \(what) imports into another plan\n--- render ---\n\(page)")
    }
}

/// The eight systems of the Netsukuku proof of concept, as topologies/netsukuku-poc/topology.yaml has them
/// (built here: the fuzz binary has no YAML loader).
enum FuzzTopology {
    static let netsukuku: Topology = {
        let systems: [(String, String, String?, String)] = [
            ("alfa", "𝛼", "00:16:3E:FD:E2:AA", "169.254.69.30"), ("beta", "𝛽", "00:16:3E:EC:A3:E1", "169.254.96.141"),
            ("gamma", "𝛾", "00:16:3E:5B:78:D5", "169.254.94.223"),
            ("delta", "𝛿", "00:16:3E:1A:C4:45", "169.254.253.216"),
            ("epsilon", "𝜀", "00:16:3E:3C:14:33", "169.254.163.36"),
            ("mu", "𝜇", "00:16:3E:2D:8D:DE", "169.254.119.176"),
            ("lambda", "𝜆", "00:16:3E:06:3E:90", "169.254.109.22"), ("rho", "𝜌", nil, "169.254.110.188"),
        ]
        var nodes: OrderedDictionary<String, TopologyNode> = [:]
        for (name, alias, mac, address) in systems {
            let interface = TopologyInterface(
                name: "eth1", mac: mac.flatMap { MACAddress($0) }, addresses: IPPrefix(address).map { [$0] } ?? [],
                assignAddresses: false)
            nodes[name] = TopologyNode(
                name: name, aliases: [alias], interfaces: ["eth1": interface],
                location: InputLocation(file: "topology.yaml", line: 1))
        }
        let endpoints = systems.map { Endpoint(node: $0.0, interface: "eth1") }
        return Topology(
            name: "netsukuku-poc", nodes: nodes, segments: [Segment(name: "air", endpoints: endpoints)],
            sourcePath: "topology.yaml", contentHash: "")
    }()
}
