extension ScenarioOperation {
    /// The section heading a rendered page gives the operation: its user command and what the user decided
    /// (`enter_net entr03: 3·1·0· into gamma's network at 2·1·2·, real 2·1·0·`).
    public var headingText: String {
        switch kind {
        case .start(let systems):
            return "\(name): system start of \(systems.map(\.value).joined(separator: ", "))"
        case .addArc(let arc), .removeArc(let arc):
            let cost = arc.cost == 1 ? "" : " (cost \(arc.cost))"
            return "\(name): \(arc.ends.map(\.value).joined(separator: " – "))\(cost)"
        case .enter(let entry):
            let real = entry.real.map { ", real \($0.value)" } ?? ""
            let waits =
                entry.waitsFor.isEmpty ? "" : ", waiting for \(entry.waitsFor.map(\.value).joined(separator: ", "))"
            return "\(name) \(entry.id.value): \(Self.text(entry.gnode)) into \(entry.into.value)'s network at "
                + "\(entry.address.value)\(real)\(waits)"
        case .enterPhase2(let id):
            return "\(name) \(id.value): the entry takes its real position"
        case .migrate(let migration):
            return "\(name) \(migration.id.value): \(Self.text(migration.gnode)) to \(migration.address.value), "
                + "real \(migration.real.value)"
        case .removeOuterArcs(let references), .dismiss(let references):
            return "\(name): \(references.map(\.description).joined(separator: ", "))"
        }
    }

    private static func text(_ gnode: GNodeSelector) -> String {
        switch gnode {
        case .systems(let systems): systems.map(\.value).joined(separator: ", ")
        case .address(let address): address.value.description
        }
    }
}
