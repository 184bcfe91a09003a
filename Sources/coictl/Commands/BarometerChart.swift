import ArgumentParser
import COIProto
import Foundation

extension Barometer {
    struct Chart: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Draw a bar chart with 95 % confidence intervals by domain, as SVG.",
            discussion: "Proportions of one category (--category, default the first), or means; suppressed domains are shown as such.")
        @OptionGroup var options: GlobalOptions
        @Argument(help: "The wave's id.") var wave: String
        @Option(help: "The question id.") var question: String
        @Option(help: "A frame variable: one bar per value.") var by: String
        @Option(help: "The category whose proportion is drawn (default: the first; \"mean\" for the mean).") var category: String?
        @Option(help: "Frame variables to rake to, comma-separated.") var rake: String?
        @Option(help: ArgumentHelp("The SVG file to write.", valueName: "path")) var out: String

        func run() async throws {
            try await Session.with(options) { session in
                let reply = try await session.call(Coi_Barometer_V1_Estimates.Method.estimate, .with {
                    $0.waveID = wave
                    $0.questions = [question]
                    $0.by = [by]
                    if let rake { $0.rake = rake.split(separator: ",").map { String($0).trimmingCharacters(in: .whitespaces) } }
                })
                let wanted = category ?? reply.estimates.first { $0.statistic == "proportion" }?.category ?? "mean"
                let rows = reply.estimates.filter { wanted == "mean" ? $0.statistic == "mean" : $0.category == wanted }
                guard !rows.isEmpty else {
                    Output.error("question \(question) has no \(wanted == "mean" ? "mean" : "category \(wanted)")")
                    throw ExitCode(1)
                }
                let title = "\(question): \(wanted == "mean" ? "mean" : "share answering \(wanted)") by \(by)"
                let svg = BarChart(title: title, proportion: wanted != "mean", bars: rows.map { row in
                    BarChart.Bar(label: row.by.isEmpty ? "All" : row.domain, estimate: row.hasNumbers ? row.numbers.estimate : nil,
                                 low: row.hasNumbers && row.numbers.hasCi ? row.numbers.ci.low : nil,
                                 high: row.hasNumbers && row.numbers.hasCi ? row.numbers.ci.high : nil, respondents: Int(row.respondents))
                }).svg
                guard FileManager.default.createFile(atPath: out, contents: Data(svg.utf8)) else {
                    Output.error("cannot write \(out)")
                    throw ExitCode(73)
                }
                if options.json { Output.json(["out": out, "bars": rows.count]) } else { print("wrote \(out) (\(rows.count) bars)") }
            }
        }
    }
}

/// A horizontal bar chart with confidence-interval whiskers, as a self-contained SVG document.
struct BarChart {
    struct Bar {
        var label: String
        var estimate: Double?
        var low: Double?
        var high: Double?
        var respondents: Int
    }

    var title: String
    var proportion: Bool
    var bars: [Bar]

    var svg: String {
        let rowHeight = 28.0, left = 190.0, plotWidth = 420.0, top = 50.0
        let height = top + Double(bars.count) * rowHeight + 40
        let maximum = proportion ? 1.0 : max(1e-9, bars.compactMap { $0.high ?? $0.estimate }.max() ?? 1) * 1.1
        func x(_ value: Double) -> Double { left + plotWidth * min(max(value / maximum, 0), 1) }
        func escape(_ text: String) -> String {
            text.replacingOccurrences(of: "&", with: "&amp;").replacingOccurrences(of: "<", with: "&lt;")
                .replacingOccurrences(of: ">", with: "&gt;").replacingOccurrences(of: "\"", with: "&quot;")
        }
        func format(_ value: Double) -> String { proportion ? String(format: "%.0f %%", value * 100) : String(format: "%.2f", value) }
        var out = """
            <?xml version="1.0" encoding="UTF-8"?>
            <svg xmlns="http://www.w3.org/2000/svg" width="\(Int(left + plotWidth + 90))" height="\(Int(height))" \
            font-family="sans-serif" font-size="12">
            <rect width="100%" height="100%" fill="white"/>
            <text x="10" y="24" font-size="15" font-weight="bold">\(escape(title))</text>

            """
        for (index, bar) in bars.enumerated() {
            let y = top + Double(index) * rowHeight
            out += "<text class=\"label\" x=\"\(left - 8)\" y=\"\(y + 17)\" text-anchor=\"end\">\(escape(bar.label)) (n=\(bar.respondents))</text>\n"
            guard let estimate = bar.estimate else {
                out += "<text class=\"suppressed\" x=\"\(left + 4)\" y=\"\(y + 17)\" fill=\"#777\">suppressed (too few respondents)</text>\n"
                continue
            }
            out += "<rect class=\"bar\" x=\"\(left)\" y=\"\(y + 5)\" width=\"\(x(estimate) - left)\" height=\"16\" fill=\"#4a7ab5\"/>\n"
            if let low = bar.low, let high = bar.high {
                // One group per interval, so a reader (or a test) finds each bar's whisker as one element.
                out += "<g class=\"whisker\">\n"
                out += "<line x1=\"\(x(low))\" y1=\"\(y + 13)\" x2=\"\(x(high))\" y2=\"\(y + 13)\" stroke=\"black\" stroke-width=\"1.5\"/>\n"
                out += "<line x1=\"\(x(low))\" y1=\"\(y + 8)\" x2=\"\(x(low))\" y2=\"\(y + 18)\" stroke=\"black\"/>\n"
                out += "<line x1=\"\(x(high))\" y1=\"\(y + 8)\" x2=\"\(x(high))\" y2=\"\(y + 18)\" stroke=\"black\"/>\n"
                out += "</g>\n"
            }
            out += "<text x=\"\(max(x(bar.high ?? estimate), x(estimate)) + 6)\" y=\"\(y + 17)\">\(format(estimate))</text>\n"
        }
        let axis = top + Double(bars.count) * rowHeight + 4
        out += "<line x1=\"\(left)\" y1=\"\(axis)\" x2=\"\(left + plotWidth)\" y2=\"\(axis)\" stroke=\"#333\"/>\n"
        for step in 0...4 {
            let value = maximum * Double(step) / 4
            out += "<text x=\"\(x(value))\" y=\"\(axis + 16)\" text-anchor=\"middle\" fill=\"#333\">\(format(value))</text>\n"
        }
        out += "<text x=\"10\" y=\"\(height - 6)\" fill=\"#555\" font-size=\"10\">Whiskers: 95 % confidence intervals.</text>\n</svg>\n"
        return out
    }
}
