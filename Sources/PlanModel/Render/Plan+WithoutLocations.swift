extension Plan {
    /// The plan's content without any trace of where it was read from: every source location cleared, the
    /// source path empty and the source kind `.yaml`. Two plans equal after this say the same thing, whatever
    /// file and format they came from — what `import(render(plan)) == plan` compares.
    public func withoutLocations() -> Plan {
        var plan = self
        plan.sourcePath = ""
        plan.sourceKind = .yaml
        plan.notes = notes.map(\.withoutLocation)
        plan.steps = steps.map { step in
            var step = step
            step.location = .cleared
            step.heading?.location = nil
            step.notes = step.notes.map(\.withoutLocation)
            switch step.action {
            case .blocks(let blocks): step.action = .blocks(blocks.map(\.withoutLocations))
            case .reach(var check):
                check.originalLines = check.originalLines.map(\.withoutLocation)
                step.action = .reach(check)
            case .expect(var check):
                check.block = check.block.withoutLocations
                step.action = .expect(check)
            case .service(var service):
                if case .start(let command, let environment, var ready?) = service.action {
                    ready.block = ready.block.withoutLocations
                    service.action = .start(command: command, environment: environment, ready: ready)
                }
                step.action = .service(service)
            case .conform(var check):
                check.documented = check.documented.map(\.withoutLocations)
                step.action = .conform(check)
            case .wait, .fault:
                break
            }
            return step
        }
        return plan
    }
}

extension InputLocation {
    /// The location `withoutLocations()` puts everywhere.
    static let cleared = InputLocation(file: "", line: 0, column: 0)
}

extension Note {
    var withoutLocation: Note {
        var note = self
        note.location = nil
        return note
    }
}

extension ScriptLine {
    var withoutLocation: ScriptLine { ScriptLine(text, at: .cleared) }
}

extension NodeBlock {
    var withoutLocations: NodeBlock {
        var block = self
        block.location = .cleared
        block.lines = lines.map(\.withoutLocation)
        return block
    }
}
