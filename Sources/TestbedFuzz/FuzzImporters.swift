import PlanModel

/// The documentation-page and replay-script importers. Whatever imports must render into a page that imports
/// back into the same plan (`import(render(plan)) == plan`); a broken round trip traps.
enum FuzzImporters {
    static func page(_ bytes: [UInt8]) {
        let text = String(decoding: bytes, as: UTF8.self)
        let topology = FuzzTopology.netsukuku
        if let page = try? PageImporter.parse(text: text, path: "fuzz.md", topology: topology, assumptions: [3: "beta"])
        {
            checkRoundTrip(page.plan, topology: topology, what: "page")
        }
    }

    static func script(_ bytes: [UInt8]) {
        let text = String(decoding: bytes, as: UTF8.self)
        let topology = FuzzTopology.netsukuku
        if let script = try? ScriptImporter.parse(text: text, path: "fuzz.sh", topology: topology) {
            checkRoundTrip(script.plan, topology: topology, what: "script")
        }
    }

    private static func checkRoundTrip(_ plan: Plan, topology: Topology, what: String) {
        _ = PlanChecker(topology: topology).check(plan)
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
}
