/// The report page's style and script, inlined in every page (a report fetches nothing).
///
/// The script only shows and hides what the page already holds, and zooms the timeline; `#selftest=UNIT`
/// in the URL clicks that unit's bar and writes what the page then shows into `body[data-selftest]`, which is
/// how the browser tests read a rendered page through `chromium --dump-dom`.
enum RunReportAssets {
    /// Runs first, so an error anywhere later in the page is kept.
    static let errorTrap = """
        window.__testbedErrors = [];
        window.addEventListener("error", function (e) { window.__testbedErrors.push(String(e.message)); });
        (function () {
          var original = console.error;
          console.error = function () {
            window.__testbedErrors.push(Array.prototype.join.call(arguments, " "));
            return original.apply(console, arguments);
          };
        })();
        """

    static let css = """
        :root { --ok: #2f8f57; --bad: #d62728; --skip: #9aa3ad; --check: #7a5cc7; --ink: #1d2733; --line: #d9dee5; }
        * { box-sizing: border-box; }
        body { font: 14px/1.4 system-ui, -apple-system, "Segoe UI", sans-serif; color: var(--ink); margin: 0 1.5em 2em; }
        h1 { font-size: 1.5em; margin: 0.6em 0 0.2em; }
        h2 { font-size: 1.15em; border-bottom: 1px solid var(--line); padding-bottom: 0.2em; margin-top: 1.4em; }
        h3 { font-size: 1em; margin: 0.6em 0 0.3em; }
        h4 { font-size: 0.92em; margin: 0.8em 0 0.2em; }
        h5 { font-size: 0.85em; margin: 0.4em 0 0.1em; color: #4a5664; font-weight: 600; }
        code, pre { font: 12px/1.35 ui-monospace, "DejaVu Sans Mono", monospace; }
        pre { background: #f5f7fa; border: 1px solid var(--line); padding: 0.5em; overflow: auto; max-height: 22em; }
        .verdict { display: inline-block; font-weight: 700; padding: 0.15em 0.7em; border-radius: 1em; color: #fff; }
        .verdict.passed { background: var(--ok); } .verdict.failed, .verdict.incomplete { background: var(--bad); }
        .verdict.interrupted { background: #c98a12; }
        .figures { display: flex; flex-wrap: wrap; gap: 0.4em 1.6em; margin: 0.6em 0; }
        .figures div { min-width: 6em; } .figures dt { font-size: 0.78em; color: #5c6875; } .figures dd { margin: 0; font-weight: 600; }
        .stopping { color: #9a5b00; }
        .failure { border-left: 4px solid var(--bad); padding: 0.1em 0.8em; margin: 0.6em 0; background: #fff6f6; }
        .explanation { border: 1px dashed #c9a3a3; padding: 0.3em 0.6em; margin: 0.4em 0; }
        .explanation.none { color: #7b8591; font-style: italic; }
        .where { color: #5c6875; font-size: 0.9em; white-space: nowrap; }
        .note { color: #5c6875; }
        .controls button { font: inherit; width: 2em; margin-right: 0.2em; }
        .legend i { display: inline-block; width: 1.4em; height: 0.8em; margin: 0 0.3em 0 0.9em; vertical-align: middle; }
        .legend i.passed { background: var(--ok); } .legend i.failed { background: var(--bad); }
        .legend i.check { background: var(--check); opacity: 0.6; } .legend i.stage { background: #eef1f6; border: 1px solid var(--line); }
        .swimlanes { display: flex; border: 1px solid var(--line); }
        .lane-labels { flex: none; width: 11em; border-right: 1px solid var(--line); background: #fafbfc; }
        .lane-label { height: 28px; line-height: 28px; padding: 0 0.6em; white-space: nowrap; overflow: hidden; }
        .lane-label.namespace { padding-left: 1.6em; color: #3d6b3d; font-size: 0.9em; }
        .lanes-scroll { overflow-x: auto; flex: 1; }
        #swimlanes { display: block; }
        #swimlanes .stage { fill: #f7f8fb; } #swimlanes .stage.odd { fill: #eef1f6; }
        #swimlanes .stage.barrier { fill: #f3eefb; }
        #swimlanes .stage-label, #swimlanes .tick-label { font-size: 10px; fill: #6a7582; }
        #swimlanes .tick { stroke: #e3e7ec; } #swimlanes .lane-line { stroke: #e9ecf0; }
        #swimlanes .bar { cursor: pointer; stroke: rgba(0, 0, 0, 0.25); stroke-width: 0.5; }
        #swimlanes .bar.passed { fill: var(--ok); } #swimlanes .bar.failed { fill: var(--bad); }
        #swimlanes .check { cursor: pointer; }
        #swimlanes .check .span { fill: var(--check); fill-opacity: 0.18; stroke: var(--check); stroke-opacity: 0.5; }
        #swimlanes .check .origin { fill: var(--check); }
        #swimlanes .check.failed .span { fill: var(--bad); stroke: var(--bad); } #swimlanes .check.failed .origin { fill: var(--bad); }
        #swimlanes .selected, #swimlanes .selected rect { stroke: #000; stroke-width: 2; stroke-opacity: 1; }
        .columns { display: flex; flex-wrap: wrap; gap: 0 2em; }
        #units { flex: 3 1 36em; min-width: 0; } #steps { flex: 2 1 28em; min-width: 0; }
        .badge { font-size: 0.8em; padding: 0 0.5em; border-radius: 0.8em; color: #fff; background: var(--skip); }
        .badge.passed { background: var(--ok); } .badge.failed { background: var(--bad); }
        table { border-collapse: collapse; width: 100%; }
        th, td { text-align: left; vertical-align: top; padding: 0.15em 0.5em; border-bottom: 1px solid #eef0f3; }
        th { font-size: 0.8em; color: #5c6875; font-weight: 600; }
        table.commands tr.failed td { background: #fde7e7; } table.commands tr.not-run td { color: #9aa3ad; }
        table.commands code { white-space: pre-wrap; word-break: break-word; }
        table.steps tr.step { cursor: pointer; } table.steps tr.step:hover td { background: #f3f6fb; }
        table.steps tr.selected td { background: #e6eefb; } table.steps tr.failed td:nth-child(5) { color: var(--bad); font-weight: 700; }
        table.steps tr.skipped td, table.steps tr.not-run td { color: #9aa3ad; }
        ul.differences li { color: var(--bad); }
        ul.changes { list-style: none; padding-left: 0.6em; margin: 0.1em 0; font: 12px/1.35 ui-monospace, monospace; }
        ul.changes li.added .sign { color: var(--ok); font-weight: 700; } ul.changes li.removed { color: #8b2f2f; }
        ul.changes li.removed .sign { color: var(--bad); font-weight: 700; }
        .picture { overflow: auto; border: 1px solid var(--line); padding: 0.5em; background: #fff; }
        .picture svg { max-width: 100%; height: auto; }
        footer { margin-top: 2em; color: #7b8591; font-size: 0.85em; }
        """

    static let script = #"""
        (function () {
          "use strict";
          var doc = document;
          function all(selector, root) { return Array.prototype.slice.call((root || doc).querySelectorAll(selector)); }
          function json(id, fallback) {
            var element = doc.getElementById(id);
            return element ? JSON.parse(element.textContent) : fallback;
          }
          var presence = json("presence", {});
          var frames = json("frames", []);
          var svg = doc.getElementById("swimlanes");
          var scale = svg ? parseFloat(svg.getAttribute("data-scale")) : 1;
          var zoom = 1;

          function place() {
            all("[data-t]", svg).forEach(function (element) {
              var x = parseFloat(element.getAttribute("data-t")) * scale * zoom;
              var tag = element.tagName.toLowerCase();
              if (tag === "line") { element.setAttribute("x1", x); element.setAttribute("x2", x); return; }
              if (tag === "text") { element.setAttribute("x", x + 2); return; }
              element.setAttribute("x", x);
              var width = parseFloat(element.getAttribute("data-d")) * scale * zoom;
              element.setAttribute("width", Math.max(parseFloat(element.getAttribute("data-min") || "1"), width));
            });
            svg.setAttribute("width", Math.ceil(1000 * zoom + 20));
            doc.getElementById("zoom").textContent = "\u00d7" + zoom;
          }

          function selectStep(index) {
            all("article.step-state").forEach(function (element) {
              element.hidden = element.getAttribute("data-step") !== String(index);
            });
            all("tr.step").forEach(function (row) {
              row.classList.toggle("selected", row.getAttribute("data-step") === String(index));
            });
            Object.keys(presence).forEach(function (id) {
              var element = doc.getElementById(id);
              if (element) { element.style.display = presence[id][index] ? "" : "none"; }
            });
            var label = doc.getElementById("frame-label");
            if (label) { label.textContent = frames[index] ? "\u2014 " + frames[index] : ""; }
          }

          function selectUnit(id) {
            var panel = doc.getElementById(id);
            if (!panel || !panel.classList.contains("unit")) { return; }
            all("article.unit").forEach(function (element) { element.hidden = element !== panel; });
            var hint = doc.getElementById("no-unit");
            if (hint) { hint.hidden = true; }
            if (svg) {
              all(".selected", svg).forEach(function (element) { element.classList.remove("selected"); });
              all("[data-unit=\"" + id + "\"]", svg).forEach(function (element) { element.classList.add("selected"); });
            }
            selectStep(parseInt(panel.getAttribute("data-step"), 10));
          }

          doc.addEventListener("click", function (event) {
            for (var target = event.target; target && target !== doc; target = target.parentNode) {
              if (!target.getAttribute) { continue; }
              var unit = target.getAttribute("data-unit");
              if (unit) { event.preventDefault(); selectUnit(unit); return; }
              var factor = target.getAttribute("data-zoom");
              if (factor) { zoom = Math.min(256, Math.max(1, zoom * parseFloat(factor))); place(); return; }
              if (target.tagName === "TR" && target.hasAttribute("data-step")) {
                selectStep(parseInt(target.getAttribute("data-step"), 10));
                return;
              }
            }
          });

          function selftest(id) {
            var report = { clicked: false };
            var bar = svg ? svg.querySelector(".bar[data-unit=\"" + id + "\"], .check[data-unit=\"" + id + "\"] rect") : null;
            if (bar) {
              report.clicked = true;
              bar.dispatchEvent(new MouseEvent("click", { bubbles: true, cancelable: true }));
            }
            var shown = all("article.unit").filter(function (element) { return !element.hidden && element.offsetHeight > 0; });
            report.shown = shown.map(function (element) { return element.id; });
            report.commands = shown.length ? all("table.commands code", shown[0]).map(function (c) { return c.textContent; }) : [];
            report.lanes = all(".lane-label").map(function (element) { return element.textContent; });
            report.laneNodes = all(".lane-label.node").map(function (element) { return element.getAttribute("data-node"); });
            report.failed = all(".bar.failed, g.check.failed").map(function (element) {
              var shape = element.tagName.toLowerCase() === "g" ? element.querySelector("rect") : element;
              return { unit: element.getAttribute("data-unit"), fill: getComputedStyle(shape).fill };
            });
            report.bars = all(".bar, g.check").length;
            report.visibleArcs = all("g.arc").filter(function (element) { return element.style.display !== "none"; }).length;
            report.errors = window.__testbedErrors.slice();
            doc.body.setAttribute("data-selftest", JSON.stringify(report));
          }

          var hash = decodeURIComponent(location.hash.slice(1));
          if (svg) { place(); }
          if (hash.indexOf("selftest=") === 0) {
            selftest(hash.slice("selftest=".length));
          } else if (hash && doc.getElementById(hash)) {
            selectUnit(hash);
          } else {
            var failed = doc.querySelector("article.unit.failed");
            var ran = all("tr.step").filter(function (row) { return !/not-run|skipped/.test(row.className); });
            if (failed) { selectUnit(failed.id); }
            else if (ran.length) { selectStep(parseInt(ran[ran.length - 1].getAttribute("data-step"), 10)); }
          }
        })();
        """#
}
