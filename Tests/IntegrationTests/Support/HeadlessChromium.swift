import Foundation
import Orchestrator

/// Debian's `chromium`, headless, for tests that look at a page as a person's browser renders it.
///
/// No network: every host name resolves to nothing, no proxy, no background fetches (component updates,
/// first-run and default-browser checks), a fresh profile in `profile`. Run as root it needs `--no-sandbox`.
struct HeadlessChromium {
    static let path = ProcessEnvironment.which("chromium")
    let profile: String

    var flags: [String] {
        [
            "--headless", "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage", "--no-first-run",
            "--no-default-browser-check", "--disable-background-networking", "--disable-component-update",
            "--disable-sync", "--disable-extensions", "--no-proxy-server", "--host-resolver-rules=MAP * ~NOTFOUND",
            "--user-data-dir=\(profile)", "--hide-scrollbars", "--enable-logging=stderr", "--v=0",
        ]
    }

    /// The DOM after the page's scripts ran, and what the browser logged (console messages among it).
    func dumpDOM(_ url: String) throws -> (dom: String, log: String) {
        let output = try ProcessRunner.run(
            Self.path ?? "/usr/bin/chromium", flags + ["--virtual-time-budget=3000", "--dump-dom", url],
            timeout: .seconds(120))
        return (output.stdoutText, output.stderrText)
    }

    /// A PNG of the page at `width`×`height`.
    func screenshot(_ url: String, to file: String, width: Int = 1280, height: Int = 900) throws -> ProcessOutput {
        try ProcessRunner.run(
            Self.path ?? "/usr/bin/chromium",
            flags + ["--window-size=\(width),\(height)", "--virtual-time-budget=3000", "--screenshot=\(file)", url],
            timeout: .seconds(120))
    }

    /// What the page's self-test wrote into `body[data-selftest]` (see the report's script), decoded.
    static func selftest(_ dom: String) -> [String: Any]? {
        guard let range = dom.range(of: #"data-selftest="[^"]*""#, options: .regularExpression) else { return nil }
        let quoted = dom[range].dropFirst("data-selftest=\"".count).dropLast()
        let json = quoted.replacingOccurrences(of: "&quot;", with: "\"").replacingOccurrences(of: "&lt;", with: "<")
            .replacingOccurrences(of: "&gt;", with: ">").replacingOccurrences(of: "&amp;", with: "&")
        return (try? JSONSerialization.jsonObject(with: Data(json.utf8))) as? [String: Any]
    }

    /// Console lines the browser logged (`INFO:CONSOLE…`).
    static func consoleLines(_ log: String) -> [String] {
        log.split(separator: "\n").filter { $0.contains(":CONSOLE") }.map(String.init)
    }
}
