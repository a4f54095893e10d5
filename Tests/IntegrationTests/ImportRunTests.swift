import Foundation
import Orchestrator
import Testing

extension RealKernelTests {
    /// Documentation in its own formats, run on the lab: an LXC replay script and a page, through the CLI.
    @Suite(.serialized, .timeLimit(.minutes(5)), .enabled(if: LabTestSupport.canRunLabs, LabTestSupport.skipReason))
    final class ImportRunTests {
        let lab = LabTestHome()
        var home: String { lab.path }
        var topology: String { lab.netsukuku }

        func write(_ name: String, _ text: String) throws -> String { try lab.write(name, text) }

        /// A replay script in the author's style: heredocs piped into `lxc exec`, one-liners, echo titles,
        /// ### sections, and the ping idiom in both polarities.
        static let script = #"""
            #!/bin/bash
            ### Systems start

            echo "beta starts"
            cat <<EOF | lxc exec beta bash
            set -e
            sysctl net.ipv4.ip_forward=1 &>/dev/null
            ip link set dev eth1 up
            ip address add 169.254.96.141 dev eth1
            EOF
            echo "gamma starts"
            lxc exec gamma -- ip address add 169.254.94.223 dev eth1

            ### Arc beta-gamma

            echo "beta and gamma form an arc"
            cat <<EOF | lxc exec beta bash
            set -e
            ip route add 169.254.94.223 dev eth1 src 169.254.96.141
            EOF
            lxc exec gamma -- ip route add 169.254.96.141 dev eth1 src 169.254.94.223
            lxc exec beta -- ping -q -n -c 1 169.254.94.223 -W 1 &>/dev/null || (echo "beta cannot reach gamma"; exit 1)
            lxc exec gamma -- ping -q -n -c 1 169.254.96.141 -W 1 &>/dev/null || (echo "gamma cannot reach beta"; exit 1)

            echo "alfa has no arc"
            lxc exec alfa -- ping -q -n -c 1 169.254.94.223 -W 1 &>/dev/null && (echo "alfa reaches gamma"; exit 1)
            """#

        @Test("an LXC-style replay script imports and runs on the lab, its ping idioms as reach checks")
        func scriptRuns() throws {
            let path = try write("replay.sh", Self.script)
            let imported = try LabTestSupport.testbed(
                ["import", "-t", topology, path, "-o", home + "/replay.yaml"], home: home)
            #expect(imported.status == .exited(0), "\(imported.stderrText)")
            let plan = try String(contentsOfFile: home + "/replay.yaml", encoding: .utf8)
            #expect(plan.contains("reach:"))
            #expect(plan.contains("expect: unreachable"))
            let run = try LabTestSupport.testbed(["run", "--fresh", "-t", topology, path, "--json"], home: home)
            #expect(run.status == .exited(0), "\(run.stdoutText)\(run.stderrText)")
            let kinds = run.stdout.split(separator: UInt8(ascii: "\n")).compactMap {
                (try? JSONSerialization.jsonObject(with: Data($0)) as? [String: Any])?["result"] as? [String: Any]
            }.compactMap { $0["kind"] as? String }
            #expect(kinds.filter { $0 == "reach" }.count == 3)
            #expect(kinds.filter { $0 == "block" }.count == 4)
            // The imported YAML plan runs the same way.
            let yaml = try LabTestSupport.testbed(
                ["run", "--fresh", "-t", topology, home + "/replay.yaml"], home: home)
            #expect(yaml.status == .exited(0), "\(yaml.stdoutText)")
        }

        @Test("a script whose ping check fails stops the run there, naming the silent address")
        func failingPingIdiom() throws {
            let broken = Self.script.replacingOccurrences(
                of: "lxc exec gamma -- ip route add 169.254.96.141 dev eth1 src 169.254.94.223\n", with: "")
            let path = try write("broken.sh", broken)
            let run = try LabTestSupport.testbed(["run", "--fresh", "-t", topology, path], home: home)
            #expect(run.status == .exited(1))
            #expect(run.stdoutText.contains("from gamma: no answer from 169.254.96.141"), "\(run.stdoutText)")
        }

        @Test("a damaged page imports with its repair reported; render writes it back with the same command blocks")
        func pageImportAndRender() throws {
            let page = """
                # Arc between beta and gamma

                ## Formazione dell'arco

                **sistema 𝛽**
                ```
                ip address add 169.254.96.141 dev eth1
                ip route add 169.254.94.223 dev eth1 src 169.254.96.141
                ```

                **sistema 𝛾**
                ```
                ip address add 169.254.94.223 dev eth1
                ip route add 169.254.96.141 dev eth1 src 169.254.94.223
                ```
                """
            // Mac Roman mojibake of the UTF-8 page, as one of the seeds has it.
            let damaged = String(decoding: page.utf8.map { $0 }, as: UTF8.self).macRomanMojibake
            let path = try write("arc.md", damaged)
            let imported = try LabTestSupport.testbed(
                ["import", "-t", topology, path, "-o", home + "/arc.yaml"], home: home)
            #expect(imported.status == .exited(0), "\(imported.stderrText)")
            #expect(imported.stderrText.contains("Mac Roman"), "\(imported.stderrText)")
            let rendered = try LabTestSupport.testbed(["render", "-t", topology, path], home: home)
            #expect(
                rendered.stdoutText.contains(
                    "**sistema 𝛽**\n```\nip address add 169.254.96.141 dev eth1\nip route add 169.254.94.223 dev eth1 src 169.254.96.141\n```"
                ))
            let run = try LabTestSupport.testbed(["run", "--fresh", "-t", topology, path], home: home)
            #expect(run.status == .exited(0), "\(run.stdoutText)\(run.stderrText)")
        }
    }
}

extension String {
    /// The text's UTF-8 bytes read as Mac Roman (how one of the seed pages was damaged).
    var macRomanMojibake: String {
        let table: [UInt8: String] = [
            0xF0: "\u{F8FF}", 0x9D: "ù", 0x9B: "õ", 0x9C: "ú", 0xBD: "Ω", 0xBE: "æ", 0xBC: "º", 0xFE: "˛", 0xC3: "√",
            0xA0: "†",
            0xB7: "∑", 0xC2: "¬",
        ]
        var out = ""
        for byte in utf8 {
            if byte < 0x80 { out.unicodeScalars.append(Unicode.Scalar(byte)) } else { out += table[byte] ?? "?" }
        }
        return out
    }
}
