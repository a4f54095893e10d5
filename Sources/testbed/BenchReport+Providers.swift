import Orchestrator
import TestbedBench

extension BenchReport {
    static func image(_ timing: ProviderBench.ImageTiming) -> String {
        var text = "\n== \(timing.kind) image (\(timing.directory))\n"
        text += "found in the cache: \(s(timing.cachedSeconds))"
        text +=
            timing.coldSeconds.map { "; cold build (mmdebstrap, recorded in image.env when built): \(s($0))\n" } ?? "\n"
        return text
    }

    static func providerLabs(_ timings: [LabBench.Timing], title: String) -> String {
        var text = "\n== \(title)\n" + pad("provider", 28) + pad("nodes", 7) + pad("up", 10) + "down\n"
        for timing in timings {
            text += pad(timing.lab, 28) + pad("\(timing.nodes)", 7) + pad(s(timing.up.median), 10)
            text += s(timing.down.median) + "\n"
        }
        return text
    }

    static func providerDemo(_ rows: [(String, RunReport)]) -> String {
        var text = "\n== demo plan on LXD nodes against the namespace lab (auto schedule, state checks on)\n"
        text += pad("nodes", 18) + pad("result", 9) + pad("run", 10) + "connect + observe\n"
        for (name, report) in rows {
            text += pad(name, 18) + pad(report.succeeded ? "passed" : "FAILED", 9) + pad(s(report.seconds), 10)
            text += s(report.setupSeconds) + "\n"
        }
        return text
    }
}
