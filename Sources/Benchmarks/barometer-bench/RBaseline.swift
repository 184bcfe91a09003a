import Foundation

/// The same table computed by R's survey package: `svydesign(ids = ~1, strata = ~stratum, fpc = ~fpc)`
/// over the completed respondents with `survey.lonely.psu = "adjust"`, and per domain
/// (`design[rows, ]`, as `subset()`) `svyciprop(method = "logit", na.rm = TRUE)` for every category
/// and `confint(svymean(na.rm = TRUE), df = degf(domain))` for every mean.
struct RBaseline {
    let directory: String

    static func key(_ question: String, _ by: String, _ domain: String, _ category: String) -> String {
        [question, by, domain, category].joined(separator: "\u{1F}")
    }

    init(directory: String, data: BenchData, sampleRows: [[String: String]], responses: [(unit: String, cells: [String: String])]) throws {
        self.directory = directory
        var population: [String: Int] = [:]
        for row in BenchCSV.records(data.frameCSV) { population["\(row["level"] ?? "")/\(row["size_class"] ?? "")", default: 0] += 1 }
        let byUnit = Dictionary(sampleRows.map { ($0["unit_id"] ?? "", $0) }, uniquingKeysWith: { first, _ in first })
        // One numeric column per estimate item: a category's 0/1 indicator, or the value a mean is taken of.
        var items: [(column: String, question: String, category: String)] = []
        for index in 1...40 {
            let columns = BenchData.kind(index) == .matrix ? (1...3).map { "q\(index).r\($0)" } : ["q\(index)"]
            for column in columns {
                switch BenchData.kind(index) {
                case .yesNo: items += ["yes", "no", "dont_know"].map { (column, column, $0) }
                case .single, .multiple: items += (1...(BenchData.kind(index) == .single ? 5 : 6)).map { (column, column, "o\($0)") }
                case .likert, .matrix: items += (1...5).map { (column, column, String($0)) } + [(column, column, "")]
                case .numeric: items.append((column, column, ""))
                case .text: break
                }
            }
        }
        var csv = "stratum,fpc,level,sector,size_class,region," + items.indices.map { "c\($0)" }.joined(separator: ",") + "\n"
        for response in responses {
            let row = byUnit[response.unit] ?? [:]
            let stratum = "\(row["level"] ?? "")/\(row["size_class"] ?? "")"
            var fields = [stratum, String(population[stratum] ?? 0), row["level"] ?? "", row["sector"] ?? "", row["size_class"] ?? "", row["region"] ?? ""]
            for item in items {
                let cell = response.cells[item.column] ?? ""
                // Empty = not answered (an empty multiple-choice cell too, as the import reads it).
                if cell.isEmpty {
                    fields.append("")
                } else if item.category.isEmpty {
                    fields.append(cell)
                } else {
                    fields.append(cell.split(separator: ";").contains { String($0) == item.category } ? "1" : "0")
                }
            }
            csv += fields.map { "\"\($0)\"" }.joined(separator: ",") + "\n"
        }
        try csv.write(toFile: directory + "/r-data.csv", atomically: true, encoding: .utf8)
        var spec = "column,question,category\n"
        for (index, item) in items.enumerated() { spec += "c\(index),\(item.question),\(item.category)\n" }
        try spec.write(toFile: directory + "/r-spec.csv", atomically: true, encoding: .utf8)
        try Self.script.write(toFile: directory + "/r-table.R", atomically: true, encoding: .utf8)
    }

    /// Runs R and reads its table: key → [estimate, se, ci_low, ci_high].
    func run() throws -> [String: [Double]] {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        process.arguments = ["Rscript", "--vanilla", directory + "/r-table.R", directory]
        process.standardError = FileHandle.nullDevice
        try process.run()
        process.waitUntilExit()
        guard process.terminationStatus == 0, let text = try? String(contentsOfFile: directory + "/r-out.tsv", encoding: .utf8) else {
            throw RFailure(message: "Rscript failed (is r-cran-survey installed? scripts/ensure-deps.sh)")
        }
        var table: [String: [Double]] = [:]
        for line in text.split(separator: "\n") {
            let fields = line.split(separator: "\t", omittingEmptySubsequences: false).map(String.init)
            guard fields.count == 8 else { continue }
            table[Self.key(fields[0], fields[1], fields[2], fields[3])] = fields[4...].map { Double($0) ?? .nan }
        }
        return table
    }

    struct RFailure: Error, CustomStringConvertible {
        var message: String
        var description: String { message }
    }

    static let script = """
        suppressPackageStartupMessages(library(survey))
        options(survey.lonely.psu = "adjust")
        dir <- commandArgs(trailingOnly = TRUE)[1]
        d <- read.csv(file.path(dir, "r-data.csv"), colClasses = "character", na.strings = "", encoding = "UTF-8")
        spec <- read.csv(file.path(dir, "r-spec.csv"), colClasses = "character", na.strings = character(0), encoding = "UTF-8")
        d$fpc <- as.numeric(d$fpc)
        for (column in spec$column) d[[column]] <- as.numeric(d[[column]])
        des <- svydesign(ids = ~1, strata = ~stratum, fpc = ~fpc, data = d)
        out <- file(file.path(dir, "r-out.tsv"), "w")
        for (by in c("", "level", "sector", "size_class", "region")) {
            values <- if (by == "") "" else sort(unique(d[[by]]))
            for (v in values) {
                dd <- if (by == "") des else des[d[[by]] == v, ]
                for (i in seq_len(nrow(spec))) {
                    f <- as.formula(paste0("~", spec$column[i]))
                    r <- tryCatch({
                        if (spec$category[i] == "") {
                            m <- svymean(f, dd, na.rm = TRUE)
                            ci <- confint(m, df = degf(dd))
                            c(coef(m)[[1]], SE(m)[[1]], ci[1], ci[2])
                        } else {
                            p <- suppressWarnings(svyciprop(f, dd, method = "logit", na.rm = TRUE))
                            ci <- attr(p, "ci")
                            c(coef(p)[[1]], SE(p)[[1]], ci[[1]], ci[[2]])
                        }
                    }, error = function(e) NULL)
                    if (!is.null(r)) cat(spec$question[i], by, v, spec$category[i], format(r, digits = 17), sep = "\\t", file = out, fill = FALSE)
                    if (!is.null(r)) cat("\\n", file = out)
                }
            }
        }
        close(out)
        """
}
