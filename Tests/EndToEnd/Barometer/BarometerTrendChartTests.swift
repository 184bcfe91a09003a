import COIBarometer
import Foundation
#if canImport(FoundationXML)
import FoundationXML
#endif
import Testing

/// Issue 16 item 8 through the real coid and coictl: trends across waves for questions that share a
/// `concept` key (by domain, compared with R's survey package wave by wave), and the bar chart with
/// confidence intervals, parsed as XML and rendered to PNG by rsvg-convert.
@Suite(.serialized) struct BarometerTrendChartTests {
    static let estimateKeys: Set<String> = ["question", "by", "domain", "category", "statistic", "estimate", "se", "ci_low", "ci_high",
                                            "respondents", "suppressed"]

    @Test func aTrendByRegionGivesEachWavesEstimatesAsRSurveyDoes() async throws {
        #expect(RSurvey.available, "the trend test compares with R: install r-cran-survey (scripts/ensure-deps.sh)")
        let cli = try await IdentityCLI.start()
        defer { Task { await cli.daemon.stop() } }
        let directory = try DaemonProcess.makeDirectory()
        defer { try? FileManager.default.removeItem(at: directory) }
        // The second wave asks the same thing under another id: the concept key joins them.
        let first = try await BarometerWave.create(cli, in: directory, name: "Innovationsbarometeret 2024", period: "2023", seed: 16)
        let second = try await BarometerWave.create(cli, in: directory, name: "Innovationsbarometeret 2026 – Ærø", period: "2025", seed: 17,
                                                    rename: ["q1": "innovation"])

        // --wave sets the waves and their order.
        let lines = try await cli.array(["barometer", "trend", "innovated", "--by", "region", "--wave", "\(second.id),\(first.id)"])
        let waveOrder = lines.compactMap { $0["wave_id"] as? String }
        #expect(waveOrder == waveOrder.filter { $0 == second.id } + waveOrder.filter { $0 == first.id })
        var compared = 0
        for (wave, question, name, period) in [(first, "q1", "Innovationsbarometeret 2024", "2023"),
                                               (second, "innovation", "Innovationsbarometeret 2026 – Ærø", "2025")] {
            let mine = lines.filter { $0["wave_id"] as? String == wave.id }
            let expected = try wave.engineEstimates(question, by: "region")
            #expect(mine.count == expected.count && mine.count >= 10, "\(wave.id): \(mine.count) lines, engine \(expected.count)")
            for (line, estimate) in zip(mine, expected) {
                #expect(Set(line.keys) == Self.estimateKeys.union(["wave_id", "wave_name", "reference_period"]))
                #expect(line["wave_name"] as? String == name && line["reference_period"] as? String == period)
                #expect(line["question"] as? String == question && line["by"] as? String == "region")
                #expect(line["domain"] as? String == estimate.domain.values.first)
                #expect(line["respondents"] as? Int == estimate.respondents && line["suppressed"] as? Bool == estimate.suppressed)
                #expect((line["estimate"] as? Double).map { BarometerAcceptanceTests.close($0, estimate.value?.estimate ?? .nan) } ?? estimate.suppressed)
            }
            // R's svyciprop per region domain of this wave's own design.
            try RSurvey.check(lines: mine, respondents: wave.respondents, populations: wave.populations, question: question, by: "region")
            compared += mine.filter { $0["suppressed"] as? Bool == false }.count
        }
        #expect(compared >= 20)

        // Without --by and --wave: every wave with the concept, oldest first, overall only.
        let overall = try await cli.array(["barometer", "trend", "innovated"])
        #expect(overall.map { $0["wave_id"] as? String ?? "" } == [first.id, first.id, second.id, second.id])
        #expect(overall.allSatisfy { $0["by"] as? String == "" && $0["domain"] as? String == "" })
        let table = try await cli.ok(["barometer", "trend", "innovated", "--by", "level"])
        #expect(table.contains("Innovationsbarometeret 2026 – Ærø") && table.contains("level=stat"))

        // Wrong input is refused in words.
        try await cli.rejected(["barometer", "trend", "innovated", "--wave", first.id, "--by", "colour"], "INVALID_ARGUMENT", mentions: ["colour"])
        try await cli.rejected(["barometer", "trend", "unknown-concept", "--wave", first.id], "INVALID_ARGUMENT",
                               mentions: ["no question with concept"])
        try await cli.rejected(["barometer", "trend", "innovated", "--wave", "\(first.id),\(first.id)"], "INVALID_ARGUMENT", mentions: ["twice"])
        try await cli.rejected(["barometer", "trend", "innovated", "--wave", "wav_nonexistent"], "NOT_FOUND", mentions: ["no wave"])
        let empty = try await cli.run(["barometer", "trend", "innovated", "--wave", "\(first.id),"])
        #expect(empty.status != 0 && empty.stderr.contains("--wave"), "\(empty.stderr)")
    }

    @Test func theChartHasOneBarAndOneWhiskerPerDomainAndRendersToPNG() async throws {
        let cli = try await IdentityCLI.start()
        defer { Task { await cli.daemon.stop() } }
        let directory = try DaemonProcess.makeDirectory()
        defer { try? FileManager.default.removeItem(at: directory) }
        let wave = try await BarometerWave.create(cli, in: directory, name: "Diagram", seed: 16)
        let estimates = try await cli.array(["barometer", "estimate", wave.id, "--question", "q1", "--by", "region"])
            .filter { $0["category"] as? String == "yes" }
        #expect(estimates.count == 5 && estimates.allSatisfy { $0["suppressed"] as? Bool == false })

        let path = directory.appendingPathComponent("q1 efter region.svg").path
        try await cli.ok(["barometer", "chart", wave.id, "--question", "q1", "--by", "region", "--category", "yes", "--out", path])
        let chart = try SVGElements(contentsOf: path)
        #expect(chart.root == "svg")
        // The whole population ("All") first, then one bar per domain.
        #expect(chart.labels.count == estimates.count + 1 && chart.labels.first?.hasPrefix("All (n=") == true)
        #expect(chart.bars.count == estimates.count + 1, "one bar per domain and one overall")
        #expect(chart.whiskers.count == chart.bars.count, "one interval whisker per bar")
        #expect(chart.whiskers.allSatisfy { $0.count == 3 }, "a whisker is a span and two caps")
        // Each whisker spans its bar's end: bar and interval are drawn from the same estimate.
        for (bar, whisker) in zip(chart.bars, chart.whiskers) {
            let end = bar["x"].flatMap(Double.init).flatMap { x in bar["width"].flatMap(Double.init).map { x + $0 } }
            let span = whisker[0]
            let low = span["x1"].flatMap(Double.init), high = span["x2"].flatMap(Double.init)
            #expect(end != nil && low != nil && high != nil && low! < end! && end! < high!, "bar \(bar) whisker \(span)")
        }
        for (label, estimate) in zip(chart.labels.dropFirst(), estimates) {
            #expect(label.hasPrefix(estimate["domain"] as? String ?? "-"), "\(label)")
        }

        // rsvg-convert (librsvg2-bin, installed by scripts/ensure-deps.sh) must be there: a missing
        // renderer fails the test rather than skipping the check.
        let rsvg = ["/usr/bin/rsvg-convert", "/usr/local/bin/rsvg-convert"].first { FileManager.default.isExecutableFile(atPath: $0) }
        let renderer = try #require(rsvg, "rsvg-convert is missing: install librsvg2-bin (scripts/ensure-deps.sh)")
        let png = directory.appendingPathComponent("q1.png").path
        let rendered = try await runCommand(renderer, ["-o", png, path])
        #expect(rendered.status == 0, "rsvg-convert: \(rendered.stderr)")
        let bytes = [UInt8](try Data(contentsOf: URL(fileURLWithPath: png)))
        #expect(bytes.count > 24 && bytes.starts(with: [0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A]))
        // The PNG has the SVG's size (IHDR: width and height, big-endian, at bytes 16 and 20).
        func int(at offset: Int) -> Int { bytes[offset..<offset + 4].reduce(0) { $0 << 8 | Int($1) } }
        #expect(int(at: 16) == Int(chart.attributes["width"] ?? "") && int(at: 20) == Int(chart.attributes["height"] ?? ""))

        // A category the question does not have is refused in words, and no file is written.
        let other = directory.appendingPathComponent("none.svg").path
        let refused = try await cli.run(["barometer", "chart", wave.id, "--question", "q1", "--by", "region", "--category", "måske", "--out", other])
        #expect(refused.status == 1 && refused.stderr.contains("måske") && !FileManager.default.fileExists(atPath: other))
    }
}

/// The elements of a chart the tests count, read by Foundation's XMLParser (which also proves the
/// document is well-formed XML).
final class SVGElements: NSObject, XMLParserDelegate {
    private(set) var root = ""
    private(set) var attributes: [String: String] = [:]
    private(set) var bars: [[String: String]] = []
    /// Per whisker group, the attributes of its lines.
    private(set) var whiskers: [[[String: String]]] = []
    private(set) var labels: [String] = []
    private var inWhisker = false
    private var label: String?
    private var failure: Error?

    init(contentsOf path: String) throws {
        super.init()
        let parser = XMLParser(data: try Data(contentsOf: URL(fileURLWithPath: path)))
        parser.delegate = self
        guard parser.parse() else { throw parser.parserError ?? failure ?? CocoaError(.fileReadCorruptFile) }
    }

    func parser(_ parser: XMLParser, didStartElement name: String, namespaceURI: String?, qualifiedName: String?,
                attributes: [String: String] = [:]) {
        if root.isEmpty {
            root = name
            self.attributes = attributes
        }
        switch (name, attributes["class"]) {
        case ("rect", "bar"?): bars.append(attributes)
        case ("g", "whisker"?):
            whiskers.append([])
            inWhisker = true
        case ("line", _) where inWhisker: whiskers[whiskers.count - 1].append(attributes)
        case ("text", "label"?): label = ""
        default: break
        }
    }

    func parser(_ parser: XMLParser, foundCharacters string: String) {
        label? += string
    }

    func parser(_ parser: XMLParser, didEndElement name: String, namespaceURI: String?, qualifiedName: String?) {
        if name == "g" { inWhisker = false }
        if name == "text", let text = label {
            labels.append(text)
            label = nil
        }
    }

    func parser(_ parser: XMLParser, parseErrorOccurred error: Error) {
        failure = error
    }
}
