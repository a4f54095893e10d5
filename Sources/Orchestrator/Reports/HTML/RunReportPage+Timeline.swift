import Foundation
import PlanModel

extension RunReportPage {
    static let laneHeight = 28
    static let axisHeight = 24
    /// Pixels the whole run takes at zoom 1 (the script multiplies positions by the zoom).
    static let baseWidth = 1000.0

    /// The swimlanes: lane labels beside a scrollable SVG whose elements carry their times (`data-t`,
    /// `data-d`) so the script can zoom without re-rendering.
    var timelineSection: String {
        let timeline = input.timeline
        let scale = Self.baseWidth / max(timeline.span, 0.001)
        let height = Self.axisHeight + timeline.lanes.count * Self.laneHeight + 4
        var html = "<section id=\"timeline\">\n<h2>Timeline</h2>\n"
        html += "<p class=\"controls\">zoom <button type=\"button\" data-zoom=\"0.5\">−</button>"
        html += "<button type=\"button\" data-zoom=\"2\">+</button> <span id=\"zoom\">×1</span>"
        html += " <span class=\"legend\"><i class=\"passed\"></i>passed <i class=\"failed\"></i>failed"
        html += " <i class=\"check\"></i>check <i class=\"stage\"></i>stage</span></p>\n"
        html += "<div class=\"swimlanes\">\n<div class=\"lane-labels\" style=\"padding-top: \(Self.axisHeight)px\">\n"
        for lane in timeline.lanes {
            let kind = lane.namespace == nil ? "node" : "namespace"
            html +=
                "<div class=\"lane-label \(kind)\" data-node=\"\(lane.node)\">\(HTMLText.escape(lane.label))</div>\n"
        }
        html += "</div>\n<div class=\"lanes-scroll\">\n"
        html += "<svg id=\"swimlanes\" width=\"\(Int(Self.baseWidth) + 20)\" height=\"\(height)\""
        html += " data-scale=\"\(format(scale))\" role=\"img\" aria-label=\"swimlane timeline\">\n"
        html += stageBands(scale: scale, height: height) + axis(scale: scale, height: height)
        for index in timeline.lanes.indices {
            let y = Self.axisHeight + index * Self.laneHeight
            html +=
                "<line class=\"lane-line\" x1=\"0\" x2=\"100%\" y1=\"\(y + Self.laneHeight)\" y2=\"\(y + Self.laneHeight)\"/>\n"
        }
        for bar in timeline.bars { html += bar.isCheck ? checkMarker(bar, scale: scale) : blockBar(bar, scale: scale) }
        html += "</svg>\n</div>\n</div>\n"
        if timeline.bars.isEmpty { html += "<p class=\"note\">No unit ran.</p>\n" }
        return html + "</section>\n"
    }

    private func blockBar(_ bar: RunTimeline.Bar, scale: Double) -> String {
        let y = Self.axisHeight + bar.lane * Self.laneHeight + 5
        var html = "<rect class=\"bar \(Self.statusWord(bar.result.status))\" data-unit=\"\(bar.id)\""
        html +=
            " data-step=\"\(bar.result.unit.stepIndex)\" data-t=\"\(format(bar.start))\" data-d=\"\(format(bar.duration))\""
        html +=
            " data-min=\"3\" x=\"\(format(bar.start * scale))\" y=\"\(y)\" width=\"\(format(max(3, bar.duration * scale)))\""
        html += " height=\"\(Self.laneHeight - 10)\" rx=\"2\"><title>\(HTMLText.escape(tooltip(bar)))</title></rect>\n"
        return html
    }

    /// A check: a thin band over every lane it involves, darker on the lane it ran from.
    private func checkMarker(_ bar: RunTimeline.Bar, scale: Double) -> String {
        let top = Self.axisHeight + bar.lanes.lowerBound * Self.laneHeight + 2
        let height = bar.lanes.count * Self.laneHeight - 4
        let status = Self.statusWord(bar.result.status)
        let common =
            "data-unit=\"\(bar.id)\" data-step=\"\(bar.result.unit.stepIndex)\" data-t=\"\(format(bar.start))\""
            + " data-d=\"\(format(bar.duration))\" data-min=\"5\" x=\"\(format(bar.start * scale))\""
            + " width=\"\(format(max(5, bar.duration * scale)))\""
        var html = "<g class=\"check \(status)\" data-unit=\"\(bar.id)\">"
        html += "<rect class=\"span\" \(common) y=\"\(top)\" height=\"\(height)\"/>"
        let originY = Self.axisHeight + bar.lane * Self.laneHeight + 5
        html += "<rect class=\"origin\" \(common) y=\"\(originY)\" height=\"\(Self.laneHeight - 10)\"/>"
        html += "<title>\(HTMLText.escape(tooltip(bar)))</title></g>\n"
        return html
    }

    private func stageBands(scale: Double, height: Int) -> String {
        var html = ""
        for stage in input.timeline.stages {
            let width = max(1, (stage.end - stage.start) * scale)
            html += "<rect class=\"stage\(stage.index % 2 == 0 ? "" : " odd")\(stage.isBarrier ? " barrier" : "")\""
            html +=
                " data-stage=\"\(stage.index)\" data-t=\"\(format(stage.start))\" data-d=\"\(format(stage.end - stage.start))\""
            html +=
                " data-min=\"1\" x=\"\(format(stage.start * scale))\" y=\"0\" width=\"\(format(width))\" height=\"\(height)\">"
            html += "<title>stage \(stage.index + 1)\(stage.isBarrier ? " (check or barrier)" : ""): "
            html += "\(HTMLText.seconds(stage.start))–\(HTMLText.seconds(stage.end))</title></rect>\n"
            html +=
                "<text class=\"stage-label\" data-t=\"\(format(stage.start))\" x=\"\(format(stage.start * scale + 2))\""
            html += " y=\"10\">\(stage.index + 1)</text>\n"
        }
        return html
    }

    private func axis(scale: Double, height: Int) -> String {
        let span = max(input.timeline.span, 0.001)
        let step = Self.tickStep(span / 8)
        var html = ""
        var tick = 0.0
        while tick <= span + step / 2 {
            html +=
                "<line class=\"tick\" data-t=\"\(format(tick))\" x1=\"\(format(tick * scale))\" x2=\"\(format(tick * scale))\""
            html += " y1=\"14\" y2=\"\(height)\"/>"
            html += "<text class=\"tick-label\" data-t=\"\(format(tick))\" x=\"\(format(tick * scale + 2))\" y=\"22\">"
            html += "\(HTMLText.escape(HTMLText.seconds(tick)))</text>\n"
            tick += step
        }
        return html
    }

    /// 1, 2 or 5 times a power of ten, at least `rough`.
    static func tickStep(_ rough: Double) -> Double {
        let power = pow(10, floor(log10(max(rough, 1e-6))))
        for factor in [1.0, 2, 5, 10] where factor * power >= rough { return factor * power }
        return 10 * power
    }

    private func tooltip(_ bar: RunTimeline.Bar) -> String {
        let result = bar.result
        var text = "\(stepTitle(result.unit.stepIndex)) on \(result.unit.node): \(Self.statusWord(result.status))"
        text += ", \(HTMLText.seconds(bar.duration)) from \(HTMLText.seconds(bar.start))"
        if let stage = bar.stage { text += ", stage \(stage + 1)" }
        if let message = result.message { text += "\n\(message)" }
        return text
    }

    func format(_ value: Double) -> String { String(format: "%.3f", value) }
}
