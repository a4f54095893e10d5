public import PlanModel

/// The explanation of a failed reach check: the model's path there (and back, when it gets there), each hop's
/// own kernel asked the same question, and the first hop where the packet is dropped or misrouted. Pure.
public enum ReachExplanation {
    /// One direction: the model's trace and, per hop, what that hop's kernel said (nil: it could not be asked).
    public struct Leg: Sendable {
        public var destination: IPAddress
        public var trace: PathTracer.Trace
        public var answers: [KernelRouteQuery.Answer?]

        public init(destination: IPAddress, trace: PathTracer.Trace, answers: [KernelRouteQuery.Answer?]) {
            self.destination = destination
            self.trace = trace
            self.answers = answers
        }

        /// The first hop whose kernel decides otherwise than the model, and how.
        var disagreement: (hop: PathTracer.Hop, text: String)? {
            for (index, hop) in trace.hops.enumerated() {
                guard index < answers.count, let answer = answers[index] else { continue }
                let last = index == trace.hops.count - 1
                if let text = KernelRouteQuery.disagreement(answer, hop: hop, delivered: trace.delivered, last: last) {
                    return (hop, text)
                }
            }
            return nil
        }
    }

    /// The lines for `there` (and `back`, the reply's leg, when the packet got there).
    public static func lines(there: Leg, back: Leg?) -> [String] {
        var lines = describe(there, label: "")
        if let back { lines += describe(back, label: "reply: ") }
        for (leg, label) in [(there, "on the way there"), (back, "on the way back")] {
            guard let leg else { continue }
            if let (hop, text) = leg.disagreement {
                lines.append(
                    "first wrong hop (\(label)): \(hop.node) — the model's state differs from the node: \(text)")
                return lines
            }
            if let verdict = leg.trace.verdict {
                lines.append("first wrong hop (\(label)): \(verdict)")
                return lines
            }
        }
        lines.append(
            "the model and every hop's kernel deliver it there and back: the packet is lost outside routing "
                + "(filtering, a link down, a fault step)")
        return lines
    }

    private static func describe(_ leg: Leg, label: String) -> [String] {
        var lines = [label + leg.trace.line]
        for (index, hop) in leg.trace.hops.enumerated() {
            let command = KernelRouteQuery.command(for: hop, destination: leg.destination)
            guard index < leg.answers.count, let answer = leg.answers[index] else {
                lines.append("  \(hop.node): \(command) → not asked (no connection)")
                continue
            }
            var sysctls = "ip_forward=\(answer.forwarding ?? "?")"
            if hop.incoming != nil { sysctls += " rp_filter=\(answer.rpFilter ?? "?")" }
            lines.append("  \(hop.node): \(command) → \(answer.route) (\(sysctls))")
        }
        return lines
    }
}
