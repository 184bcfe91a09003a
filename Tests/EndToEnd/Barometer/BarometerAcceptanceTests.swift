import COIBarometer
import Foundation
import Testing

/// Issue 16's acceptance commands, exactly, against the real coid and coictl on a generated wave;
/// every number printed is checked against the estimation engine run in-process on the same data
/// (the engine itself is checked against R's survey package in COIBarometerTests), and against R
/// directly when Rscript with the survey package is installed.
@Suite(.serialized) struct BarometerAcceptanceTests {
    @Test func theAcceptanceCommandsGiveTheEngineAndRNumbers() async throws {
        let cli = try await IdentityCLI.start()
        defer { Task { await cli.daemon.stop() } }
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("barometer-e2e-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: directory) }
        var survey = BarometerSurvey(units: 900, seed: 16)
        let frame = directory.appendingPathComponent("frame.csv").path
        let questionnaire = directory.appendingPathComponent("spørgeskema.json").path
        try survey.frameCSV.write(toFile: frame, atomically: true, encoding: .utf8)
        try BarometerSurvey.questionnaire.write(toFile: questionnaire, atomically: true, encoding: .utf8)

        let wave = try #require(try await cli.object(["barometer", "waves", "create", "--name", "Innovationsbarometeret 2026 – Ærø"])["id"] as? String)
        #expect(wave.hasPrefix("wav_"))
        try await cli.ok(["barometer", "frame", "import", wave, frame])
        try await cli.ok(["barometer", "questionnaire", "import", wave, questionnaire])
        try await cli.ok(["barometer", "design", "set", wave, "--strata", "level,sector,size_class", "--allocation", "proportional",
                          "--sample-size", "300", "--min-per-stratum", "4", "--seed", "20260101"])
        try await cli.ok(["barometer", "sample", "draw", wave])
        let exported = SimpleCSV.parse(try await cli.ok(["barometer", "sample", "export", wave]))
        let header = try #require(exported.first)
        #expect(header.contains("unit_id") && header.contains("token") && header.contains("region"))
        let rows = exported.dropFirst().map { Dictionary(uniqueKeysWithValues: zip(header, $0)) }
        #expect(rows.count == 300)

        // The sample is the engine's reproducible draw of the same frame, design and seed.
        let engineFrame = try Frame(variables: ["level", "sector", "size_class"], units: survey.units.map {
            Frame.Unit(id: $0.id, values: [$0.level, $0.sector, $0.size])
        })
        let design = SampleDesign(strata: ["level", "sector", "size_class"], allocation: .proportional, sampleSize: 300, minimumPerStratum: 4,
                                  seed: 20_260_101)
        let sample = try Sampler.draw(engineFrame, design)
        #expect(Set(sample.unitIDs) == Set(rows.compactMap { $0["unit_id"] }))
        #expect(rows.contains { ($0["name"] ?? "").contains("Åsen, afd.") })

        let responses = survey.responses(for: rows.compactMap { $0["unit_id"] })
        let responsesFile = directory.appendingPathComponent("svar.csv").path
        try BarometerSurvey.responsesCSV(responses).write(toFile: responsesFile, atomically: true, encoding: .utf8)
        try await cli.ok(["barometer", "responses", "import", wave, responsesFile])

        // The engine on the same respondents.
        let byUnit = Dictionary(uniqueKeysWithValues: rows.map { ($0["unit_id"] ?? "", $0) })
        let parsedQuestionnaire = try Questionnaire.parse(json: BarometerSurvey.questionnaire)
        let respondents = try responses.map { response -> Respondent in
            let row = try #require(byUnit[response.unitID])
            let variables = ["level", "sector", "size_class", "region", "municipality_code"].reduce(into: [String: String]()) { $0[$1] = row[$1] ?? "" }
            var answers: [String: Answer] = [:]
            for (column, cell) in response.cells where !cell.isEmpty {
                answers[column] = switch column {
                case "q1", "q2": .choice(cell)
                case "q3", "q4": .number(Double(cell) ?? .nan)
                case "q5": .choices(cell.split(separator: ";").map(String.init))
                default: .text(cell)
                }
            }
            return Respondent(unitID: response.unitID, stratum: StratumKey([variables["level"]!, variables["sector"]!, variables["size_class"]!]),
                              variables: variables, answers: answers)
        }
        let populations = sample.populationSizes

        var checked = 0
        for (question, by, rake) in [("q1", nil, nil), ("q1", "region", nil), ("q2", "level", nil), ("q3", nil, nil), ("q4", "sector", nil),
                                     ("q5", "size_class", nil), ("q1", "region", "level,sector"), ("q4", nil, "region")] as [(String, String?, String?)] {
            var arguments = ["barometer", "estimate", wave, "--question", question]
            if let by { arguments += ["--by", by] }
            if let rake { arguments += ["--rake", rake] }
            let lines = try await cli.ok(arguments + ["--json"]).split(separator: "\n").map { line in
                try #require(try JSONSerialization.jsonObject(with: Data(line.utf8)) as? [String: Any])
            }
            #expect(!lines.isEmpty, "\(arguments)")
            let margins = try (rake?.split(separator: ",").map(String.init) ?? []).map { variable in
                RakingMargin(variable: variable, totals: try Self.totals(variable, survey: survey, rows: rows))
            }
            let estimator = try Estimator(questionnaire: parsedQuestionnaire,
                                          design: try WeightedDesign(respondents: respondents, populationSizes: populations, raking: margins))
            let expected = try estimator.estimates(breakdowns: by.map { [[$0]] } ?? [], questions: [question])
                .filter { by == nil || !$0.domain.variables.isEmpty }
            #expect(lines.count == expected.count, "\(arguments): \(lines.count) lines, engine \(expected.count)")
            for (line, estimate) in zip(lines, expected) {
                #expect(Set(line.keys) == ["question", "by", "domain", "category", "statistic", "estimate", "se", "ci_low", "ci_high",
                                           "respondents", "suppressed"])
                #expect(line["question"] as? String == question)
                #expect(line["by"] as? String == (by ?? ""))
                #expect(line["domain"] as? String == (estimate.domain.values.first ?? ""))
                if case .proportion(let category) = estimate.statistic {
                    #expect(line["category"] as? String == category && line["statistic"] as? String == "proportion")
                } else {
                    #expect(line["category"] as? String == "" && line["statistic"] as? String == "mean")
                }
                #expect(line["respondents"] as? Int == estimate.respondents)
                #expect(line["suppressed"] as? Bool == estimate.suppressed)
                if let value = estimate.value {
                    for (key, number) in [("estimate", value.estimate), ("se", value.standardError), ("ci_low", value.lower ?? .nan),
                                          ("ci_high", value.upper ?? .nan)] {
                        let printed = line[key] as? Double
                        #expect(printed.map { Self.close($0, number) } ?? number.isNaN, "\(arguments) \(key): \(String(describing: printed)) vs \(number)")
                    }
                } else {
                    #expect(line["estimate"] is NSNull && line["se"] is NSNull && line["ci_low"] is NSNull && line["ci_high"] is NSNull)
                }
                checked += 1
            }
            if RSurvey.available, rake == nil, ["q1", "q4"].contains(question) {
                try RSurvey.check(lines: lines, respondents: respondents, populations: populations, question: question, by: by)
            }
        }
        #expect(checked >= 50)

        // Chart: valid SVG, rendered to PNG by rsvg-convert.
        let svg = directory.appendingPathComponent("q1 efter region.svg").path
        try await cli.ok(["barometer", "chart", wave, "--question", "q1", "--by", "region", "--out", svg])
        let document = try String(contentsOfFile: svg, encoding: .utf8)
        #expect(document.hasPrefix("<?xml") && document.contains("<svg") && document.hasSuffix("</svg>\n"))
        if let rsvg = ["/usr/bin/rsvg-convert", "/usr/local/bin/rsvg-convert"].first(where: { FileManager.default.isExecutableFile(atPath: $0) }) {
            let png = directory.appendingPathComponent("q1.png").path
            let rendered = try await runCommand(rsvg, ["-o", png, svg])
            #expect(rendered.status == 0, "rsvg-convert: \(rendered.stderr)")
            let bytes = try Data(contentsOf: URL(fileURLWithPath: png))
            #expect(bytes.starts(with: [0x89, 0x50, 0x4E, 0x47]))
        } else {
            #expect(ProcessInfo.processInfo.environment["CI"] == nil, "CI must have rsvg-convert (librsvg2-bin, scripts/ensure-deps.sh)")
        }

        // Microdata: no names, unit ids or tokens; weights and strata kept. Codebook as JSON.
        let microdata = SimpleCSV.parse(try await cli.ok(["barometer", "export", wave, "microdata"]))
        let columns = try #require(microdata.first)
        #expect(microdata.count == responses.count + 1)
        #expect(columns.contains("weight") && columns.contains("level") && !columns.contains("unit_id") && !columns.contains("token")
                && !columns.contains("name"))
        let microText = microdata.flatMap { $0 }.joined(separator: ",")
        #expect(!microText.contains("Ærtebjerg") && !rows.contains { microText.contains($0["token"] ?? "-") })
        let codebook = try await cli.ok(["barometer", "export", wave, "codebook-json"])
        #expect(codebook.contains("Hvem samarbejdede I med?") && codebook.contains("\"routing\""))
        #expect(RSurvey.available || ProcessInfo.processInfo.environment["CI"] == nil, "CI must have r-cran-survey (scripts/ensure-deps.sh)")
    }

    @Test func wrongInputIsRefusedInWordsAndChangesNothing() async throws {
        let cli = try await IdentityCLI.start()
        defer { Task { await cli.daemon.stop() } }
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("barometer-e2e-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: directory) }
        let wave = try #require(try await cli.object(["barometer", "waves", "create", "--name", "Forkert input"])["id"] as? String)
        let bad = directory.appendingPathComponent("frame.csv").path
        try "unit_id,name,level,sector,size_class,municipality_code\nA,Ærø skole,kommune,skole,1-9,101\nB,Øens hus,kommune,skole,1-9,9999\n"
            .write(toFile: bad, atomically: true, encoding: .utf8)
        let refused = try await cli.run(["barometer", "frame", "import", wave, bad])
        #expect(refused.status == 1)
        #expect(refused.stderr.contains("line 3, column municipality_code"), "\(refused.stderr)")
        let shown = try await cli.object(["barometer", "waves", "show", wave])
        #expect(shown["frame_units"] == nil)
        let missing = try await cli.run(["barometer", "frame", "import", wave, directory.appendingPathComponent("none.csv").path])
        #expect(missing.status == 66 && missing.stderr.contains("cannot read"))
        let noFrame = try await cli.run(["barometer", "design", "set", wave, "--strata", "level", "--sample-size", "10", "--seed", "1"])
        #expect(noFrame.status == 1 && noFrame.stderr.contains("no frame"), "\(noFrame.stderr)")
        let badEstimate = try await cli.run(["barometer", "estimate", "wav_nonexistent", "--question", "q1", "--json"])
        #expect(badEstimate.status == 1 && badEstimate.stderr.contains("no wave"), "\(badEstimate.stderr)")
    }

    static func close(_ a: Double, _ b: Double) -> Bool {
        abs(a - b) <= 1e-9 * max(abs(a), abs(b)) || abs(a - b) < 1e-12
    }

    /// Frame totals of a variable (region from the export's mapping of municipalities).
    static func totals(_ variable: String, survey: BarometerSurvey, rows: [[String: String]]) throws -> [String: Double] {
        var regionOf: [String: String] = [:]
        for row in rows { regionOf[row["municipality_code"] ?? ""] = row["region"] }
        var totals: [String: Double] = [:]
        for unit in survey.units {
            let value = switch variable {
            case "level": unit.level
            case "sector": unit.sector
            case "size_class": unit.size
            default: try #require(regionOf[String(unit.municipality)])
            }
            totals[value, default: 0] += 1
        }
        return totals
    }
}

/// A quote-aware CSV splitter for the exports.
enum SimpleCSV {
    static func parse(_ text: String) -> [[String]] {
        var rows: [[String]] = [], row: [String] = [], field = "", quoted = false
        var iterator = Array(text).makeIterator()
        var pending: Character?
        while let character = pending ?? iterator.next() {
            pending = nil
            if quoted {
                if character == "\"" {
                    let next = iterator.next()
                    if next == "\"" { field.append("\"") } else { quoted = false; pending = next }
                } else { field.append(character) }
                continue
            }
            switch character {
            case "\"": quoted = true
            case ",": row.append(field); field = ""
            case "\r\n", "\n":
                row.append(field); field = ""
                rows.append(row); row = []
            case "\r": continue
            default: field.append(character)
            }
        }
        if !field.isEmpty || !row.isEmpty { row.append(field); rows.append(row) }
        return rows
    }
}
