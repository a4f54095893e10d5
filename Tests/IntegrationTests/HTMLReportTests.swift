import Foundation
import Orchestrator
import Testing

#if canImport(Glibc)
    import Glibc
#endif

/// The HTML report of real runs on the local lab, opened in headless Chromium; packet captures of the run.
extension RealKernelTests {
    @Suite(
        .serialized, .timeLimit(.minutes(10)),
        .enabled(
            if: LabTestSupport.canRunLabs && HeadlessChromium.path != nil, "needs root, the lab tools and chromium"))
    final class HTMLReportTests {
        let lab = LabTestHome()
        var home: String { lab.path }
        var topology: String { lab.netsukuku }
        var demo: String { LabTestSupport.repository + "/topologies/netsukuku-poc/demo.yaml" }
        var browser: HeadlessChromium { HeadlessChromium(profile: home + "/chromium-profile") }
        let nodes = ["alfa", "beta", "gamma", "delta", "epsilon", "mu", "lambda", "rho"]

        /// The run directory a run's summary names.
        func runDirectory(_ output: ProcessOutput) throws -> String {
            let line = try #require(output.stdoutText.split(separator: "\n").first { $0.hasPrefix("journal: ") })
            return (String(line.dropFirst("journal: ".count)) as NSString).deletingLastPathComponent
        }

        /// Processes whose command line names `text` (the captures of one run name its directory).
        func processes(naming text: String) -> [Int32] {
            ((try? FileManager.default.contentsOfDirectory(atPath: "/proc")) ?? []).compactMap { entry in
                guard let pid = Int32(entry), pid != getpid(),
                    let data = FileManager.default.contents(atPath: "/proc/\(entry)/cmdline")
                else { return nil }
                let arguments = String(decoding: data, as: UTF8.self).replacingOccurrences(of: "\0", with: " ")
                return arguments.contains(text) && arguments.contains("tcpdump") ? pid : nil
            }
        }

        /// Opens the page with `#selftest=UNIT` (the page clicks that unit's bar) and returns what it saw.
        func clickInBrowser(_ page: String, unit: String) throws -> ([String: Any], [String]) {
            let (dom, log) = try browser.dumpDOM("file://\(page)#selftest=\(unit)")
            let seen = try #require(
                HeadlessChromium.selftest(dom), "no self-test result in:\n\(dom.prefix(500))\n\(log)")
            return (seen, HeadlessChromium.consoleLines(log))
        }

        @Test("the demo's report: well formed, self-contained, every unit; in Chromium 8 lanes, a click shows commands")
        func demoReport() throws {
            let page = home + "/demo-report.html"
            let run = try LabTestSupport.testbed(
                ["run", "--fresh", "-t", topology, demo, "--html", page, "--pcap"], home: home, timeout: .seconds(300))
            #expect(run.status == .exited(0), "\(run.stdoutText)\(run.stderrText)")
            let html = try String(contentsOfFile: page, encoding: .utf8)
            let parsed = try ProcessRunner.run("/usr/bin/xmllint", ["--noout", page])
            #expect(parsed.status == .exited(0) && parsed.stderrText.isEmpty, "\(parsed.stderrText)")
            #expect(!html.contains("http:") && !html.contains("https:"))
            let directory = try runDirectory(run)
            let journal = try RunJournal.read(path: directory + "/journal.jsonl")
            #expect(journal.results.count == 24)
            for result in journal.results {
                let id = RunTimeline.id(of: result.unit)
                #expect(html.contains("id=\"\(id)\"") && html.contains("data-unit=\"\(id)\" data-step="), "\(id)")
            }
            // The identity namespace and the arc beta–gamma came from the run's recorded state changes.
            #expect(html.contains("\"g-i-beta--entr02\":["))
            #expect(html.contains("\"g-a-beta-to-gamma-eth1\":["))
            let (seen, console) = try clickInBrowser(page, unit: "u-1-1-gamma")
            #expect(seen["laneNodes"] as? [String] == nodes, "\(seen)")
            #expect((seen["lanes"] as? [String])?.contains("beta · entr02") == true, "\(seen)")
            #expect(seen["clicked"] as? Bool == true)
            #expect(seen["shown"] as? [String] == ["u-1-1-gamma"])
            let commands = seen["commands"] as? [String] ?? []
            #expect(
                commands.count == 52 && commands.first == "sysctl net.ipv4.ip_forward=1 &>/dev/null",
                "\(commands.prefix(3))")
            #expect((seen["failed"] as? [Any])?.isEmpty == true)
            #expect(seen["visibleArcs"] as? Int == 0, "after step 1 there is no arc yet: \(seen)")
            // After the arc's check, the picture shows the arc both ways.
            let (check, _) = try clickInBrowser(page, unit: "u-6-c-beta")
            #expect(check["shown"] as? [String] == ["u-6-c-beta"])
            #expect(check["commands"] as? [String] == ["ping 169.254.94.223"])
            #expect(check["visibleArcs"] as? Int == 2, "\(check)")
            #expect(seen["errors"] as? [String] == [], "\(seen)")
            #expect(console.isEmpty, "\(console)")
            let shot = home + "/demo-report.png"
            let screenshot = try browser.screenshot("file://\(page)", to: shot, width: 1280, height: 1000)
            #expect(FileManager.default.fileExists(atPath: shot), "\(screenshot.stderrText.suffix(2000))")
            Self.keep(shot, as: "report-demo.png")
            // The reach check beta → gamma is in the capture of the segment: echo request and reply.
            let pcap = directory + "/pcap/seg0-air.pcap"
            let read = try ProcessRunner.run("/usr/bin/tcpdump", ["-n", "-r", pcap, "icmp"])
            #expect(
                read.stdoutText.contains("169.254.96.141 > 169.254.94.223: ICMP echo request"), "\(read.stdoutText)")
            #expect(read.stdoutText.contains("169.254.94.223 > 169.254.96.141: ICMP echo reply"), "\(read.stdoutText)")
            #expect(html.contains("<a href=\"\(HTMLText.relativeLink(from: page, to: pcap))\">pcap/seg0-air.pcap</a>"))
            #expect(processes(naming: directory).isEmpty, "the run's tcpdump still runs")
            // `testbed report` writes the same page from the run directory; `testbed graph` the picture.
            let again = try LabTestSupport.testbed(["report", directory, "-o", home + "/again.html"], home: home)
            #expect(
                again.status == .exited(0) && again.stdoutText == "wrote \(home)/again.html\n", "\(again.stderrText)")
            let rewritten = try String(contentsOfFile: home + "/again.html", encoding: .utf8)
            #expect(journal.results.allSatisfy { rewritten.contains("id=\"\(RunTimeline.id(of: $0.unit))\"") })
            let graph = try LabTestSupport.testbed(["graph", "-t", topology, "-o", home + "/topology.svg"], home: home)
            #expect(graph.status == .exited(0), "\(graph.stderrText)")
            let svg = try ProcessRunner.run("/usr/bin/xmllint", ["--noout", home + "/topology.svg"])
            #expect(svg.status == .exited(0) && svg.stderrText.isEmpty, "\(svg.stderrText)")
            let drawn = try String(contentsOfFile: home + "/topology.svg", encoding: .utf8)
            #expect(nodes.allSatisfy { drawn.contains("<title>n:\($0)</title>") })
        }

        @Test("a failed run's report: the failed unit is a red bar; clicking it shows its commands; no script error")
        func failedReport() throws {
            let plan = try lab.write(
                "fail.yaml",
                """
                steps:
                  - {id: ok, node: alfa, run: ip link set dev eth1 up}
                  - id: broken
                    node: beta
                    run: |
                      ip link set dev eth1 up
                      ip route change 10.0.0.20/31 table 250 via 169.254.94.223 dev eth1
                      echo never
                  - {id: after, node: gamma, run: "true"}
                """)
            let page = home + "/failed.html"
            let run = try LabTestSupport.testbed(["run", "--fresh", "-t", topology, plan, "--html", page], home: home)
            #expect(run.status == .exited(1), "\(run.stdoutText)\(run.stderrText)")
            // The unit the failure skipped is in the page too (it has no bar: it never ran).
            let written = try String(contentsOfFile: page, encoding: .utf8)
            #expect(written.contains("<article class=\"unit skipped\" id=\"u-3-1-gamma\""))
            let (seen, console) = try clickInBrowser(page, unit: "u-2-1-beta")
            let failed = seen["failed"] as? [[String: Any]] ?? []
            #expect(failed.map { $0["unit"] as? String } == ["u-2-1-beta"], "\(seen)")
            #expect(failed.first?["fill"] as? String == "rgb(214, 39, 40)", "\(failed)")
            #expect(seen["shown"] as? [String] == ["u-2-1-beta"])
            #expect(
                seen["commands"] as? [String] == [
                    "ip link set dev eth1 up", "ip route change 10.0.0.20/31 table 250 via 169.254.94.223 dev eth1",
                    "echo never",
                ])
            #expect(seen["laneNodes"] as? [String] == nodes)
            #expect(seen["errors"] as? [String] == [] && console.isEmpty, "\(seen) \(console)")
            let shot = home + "/failed-report.png"
            _ = try browser.screenshot("file://\(page)", to: shot, width: 1280, height: 900)
            #expect(FileManager.default.fileExists(atPath: shot))
            Self.keep(shot, as: "report-failed.png")
            // The console check bites: a page whose script throws is caught.
            let broken = home + "/broken.html"
            let html = try String(contentsOfFile: page, encoding: .utf8)
            try html.replacingOccurrences(of: "</body>", with: "<script>noSuchFunction();</script></body>")
                .write(toFile: broken, atomically: true, encoding: .utf8)
            let (dom, log) = try browser.dumpDOM("file://\(broken)")
            #expect(
                dom.contains("<body") && HeadlessChromium.consoleLines(log).contains { $0.contains("noSuchFunction") })
        }

        /// Keeps a screenshot where `TESTBED_SCREENSHOTS` says (the README's pictures come from here).
        static func keep(_ file: String, as name: String) {
            guard let directory = ProcessEnvironment.value("TESTBED_SCREENSHOTS") else { return }
            try? FileManager.default.removeItem(atPath: directory + "/" + name)
            try? FileManager.default.copyItem(atPath: file, toPath: directory + "/" + name)
        }
    }
}
