import COIPluginKit
import Foundation

/// The benchmark's wave, generated from a seed: the same frame and answers on every run.
struct BenchData {
    static let levels = ["stat", "region", "kommune", "fælles", "andet"]
    static let sectors = ["sundhed", "ældre", "børn", "skoler", "social", "kultur", "miljø", "teknik", "administration",
                          "beskæftigelse", "politi", "forsvar"]
    static let sizes = ["1-9", "10-19", "20-49", "50-99", "100-249", "250+"]

    var frameCSV = ""
    private var state: UInt64

    init(frameSize: Int, seed: UInt64) {
        state = seed
        var text = "unit_id,name,level,sector,size_class,municipality_code\n"
        for index in 0..<frameSize {
            let level = Self.levels[min(below(8), 4)]
            let municipality = Denmark.municipalities[below(Denmark.municipalities.count)].code
            text += "w\(100_000 + index),Arbejdsplads \(index),\(level),\(Self.sectors[below(12)]),\(Self.sizes[below(6)]),\(municipality)\n"
        }
        frameCSV = text
    }

    private mutating func next() -> UInt64 {
        state = state &* 6_364_136_223_846_793_005 &+ 1_442_695_040_888_963_407
        return state >> 33
    }

    private mutating func below(_ bound: Int) -> Int { Int(next() % UInt64(bound)) }

    /// What each of the 40 questions is: yes/no (with don't know), single and multiple choice, Likert,
    /// numeric, text and 3-row Likert matrices; q12 is asked only when q11 is yes.
    enum Kind { case yesNo, single, multiple, likert, numeric, text, matrix }

    static func kind(_ index: Int) -> Kind {
        switch index % 10 {
        case 0, 1: .yesNo
        case 2, 3: .single
        case 4: .multiple
        case 5, 6, 7: .likert
        case 8: .numeric
        default: index == 9 ? .text : .matrix
        }
    }

    static let questionnaire: String = {
        let options = (1...5).map { "{\"code\": \"o\($0)\", \"label\": \"Svar \($0)\"}" }.joined(separator: ", ")
        let questions = (1...40).map { index -> String in
            let head = "{\"id\": \"q\(index)\", \"text\": \"Spørgsmål \(index)\", "
            let body: String = switch kind(index) {
            case .yesNo: "\"type\": \"yes_no\", \"dont_know\": true}"
            case .single: "\"type\": \"single_choice\", \"options\": [\(options)]}"
            case .multiple: "\"type\": \"multiple_choice\", \"options\": [\(options), {\"code\": \"o6\", \"label\": \"Andet\"}]}"
            case .likert: "\"type\": \"likert\", \"scale\": 5}"
            case .numeric: "\"type\": \"numeric\", \"min\": 0, \"max\": 1000}"
            case .text: "\"type\": \"text\"}"
            case .matrix: "\"type\": \"matrix\", \"scale\": 5, \"rows\": [{\"code\": \"r1\", \"label\": \"A\"}, {\"code\": \"r2\", \"label\": \"B\"}, {\"code\": \"r3\", \"label\": \"C\"}]}"
            }
            return head + body
        }
        return "{\"questions\": [\(questions.joined(separator: ",\n"))], \"routing\": [{\"question\": \"q12\", \"when\": {\"q11\": \"yes\"}}]}"
    }()

    /// The CSV columns of the answers: a question's id, or "q.r1" … for a matrix.
    static let columns: [String] = (1...40).flatMap { index -> [String] in
        kind(index) == .matrix ? (1...3).map { "q\(index).r\($0)" } : ["q\(index)"]
    }

    /// About 45 % of the sampled units respond; 5 % of their answers are missing.
    mutating func responses(sampleRows: [[String: String]]) -> [(unit: String, cells: [String: String])] {
        var result: [(unit: String, cells: [String: String])] = []
        for row in sampleRows where below(100) < 45 {
            var cells: [String: String] = [:]
            let tilt = Self.levels.firstIndex(of: row["level"] ?? "") ?? 0
            for index in 1...40 {
                let columns = Self.kind(index) == .matrix ? (1...3).map { "q\(index).r\($0)" } : ["q\(index)"]
                for column in columns where below(100) >= 5 {
                    switch Self.kind(index) {
                    case .yesNo: cells[column] = below(100) < 70 + 4 * tilt ? "yes" : (below(10) == 0 ? "dont_know" : "no")
                    case .single: cells[column] = "o\(1 + min(below(5), below(5) + tilt % 2))"
                    case .multiple: cells[column] = (1...6).filter { _ in below(3) == 0 }.map { "o\($0)" }.joined(separator: ";")
                    case .likert, .matrix: cells[column] = String(1 + min(4, below(5) + (tilt > 2 ? 1 : 0)))
                    case .numeric: cells[column] = String(below(200) + 10 * tilt)
                    case .text: cells[column] = below(4) == 0 ? "Vi gjorde noget nyt på Ærø" : ""
                    }
                }
            }
            if cells["q11"] != "yes" { cells["q12"] = nil }
            result.append((row["unit_id"] ?? "", cells))
        }
        return result
    }

    func responsesCSV(_ responses: [(unit: String, cells: [String: String])]) -> String {
        var text = "unit_id," + Self.columns.joined(separator: ",") + "\n"
        for response in responses {
            text += response.unit + "," + Self.columns.map { response.cells[$0] ?? "" }.joined(separator: ",") + "\n"
        }
        return text
    }
}

/// A quote-aware CSV reader for the sample export.
enum BenchCSV {
    static func records(_ text: String) -> [[String: String]] {
        var rows: [[String]] = [], row: [String] = [], field = "", quoted = false
        var iterator = Array(text).makeIterator()
        var pending: Character?
        while let character = pending ?? iterator.next() {
            pending = nil
            if quoted {
                if character == "\"" {
                    let next = iterator.next()
                    if next == "\"" { field.append("\"") } else {
                        quoted = false
                        pending = next
                    }
                } else {
                    field.append(character)
                }
                continue
            }
            switch character {
            case "\"": quoted = true
            case ",":
                row.append(field)
                field = ""
            case "\r\n", "\n":
                row.append(field)
                field = ""
                rows.append(row)
                row = []
            default: field.append(character)
            }
        }
        guard let header = rows.first else { return [] }
        return rows.dropFirst().map { Dictionary(zip(header, $0), uniquingKeysWith: { first, _ in first }) }
    }
}
