import ArgumentParser
import COIProto
import COIWire
import Foundation
import GRDB

/// Generates a large wiki straight into coid's database through the plugin's own schema, then
/// measures search, save and history through the socket of the real daemon.
@main
struct WikiBench: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "wiki-bench",
        abstract: "Benchmark the wiki plugin on a generated wiki.",
        discussion: """
            Starts the coid binary next to itself on --dir (creating the schema and the authors' accounts), \
            stops it, generates --pages pages with --revisions revisions in all (one page has \
            --hot-revisions of them) directly into the database, starts coid again and measures \
            through the Unix socket. --reuse skips generation when --dir already holds a generated wiki.
            """)

    @Option(help: "Pages to generate.") var pages = 100_000
    @Option(help: "Revisions in all.") var revisions = 1_000_000
    @Option(help: "Revisions of the one long-history page.") var hotRevisions = 10_000
    @Option(help: "Working directory (state, socket, database).") var dir = "/tmp/wiki-bench"
    @Option(help: "Calls measured per figure.") var samples = 500
    @Flag(help: "Reuse a wiki generated earlier in --dir.") var reuse = false
    @Option(help: "A coid config file for the measured run (e.g. to set plugins.\"coi.wiki\".search_rank_window).")
    var coidConfig: String?

    func run() async throws {
        let setupFile = dir + "/bench.json"
        var setup: Setup
        if reuse, let data = FileManager.default.contents(atPath: setupFile), let saved = try? JSONDecoder().decode(Setup.self, from: data) {
            setup = saved
            print("reusing the wiki in \(dir): \(saved.pages) pages, \(saved.revisions) revisions")
        } else {
            try? FileManager.default.removeItem(atPath: dir)
            try FileManager.default.createDirectory(atPath: dir, withIntermediateDirectories: true)
            setup = try await Self.prepareAccounts(dir: dir)
            let started = ContinuousClock.now
            try Generator(pages: pages, revisions: revisions, hotRevisions: hotRevisions, authors: setup.authors)
                .generate(databasePath: dir + "/state/coid.db")
            setup.pages = pages
            setup.revisions = revisions
            setup.generationSeconds = (ContinuousClock.now - started).seconds
            try JSONEncoder().encode(setup).write(to: URL(fileURLWithPath: setupFile))
            print(String(format: "generated %d pages, %d revisions in %.1f s", pages, revisions, setup.generationSeconds))
        }
        let size = (try? FileManager.default.attributesOfItem(atPath: dir + "/state/coid.db")[.size] as? Int) ?? 0
        print(String(format: "database: %.0f MiB", Double(size) / 1_048_576))

        let daemon = try Daemon(dir: dir, config: coidConfig)
        defer { daemon.stop() }
        try await daemon.waitUntilServing()
        let connection = try await ClientConnection.connect(unixSocket: daemon.socket)
        if let coidConfig { print("coid config: \(coidConfig)") }
        let measure = Measurements(connection: connection, token: setup.token, pages: setup.pages, samples: samples)
        print("machine: \(ProcessInfo.processInfo.activeProcessorCount) cores; \(samples) calls per figure, one caller")
        print("")
        try await measure.report("search (Discovery/Search, 10 hits)", target: "p95 <= 20 ms", try await measure.search())
        try await measure.report("save (Pages/Save, latest base)", target: "p50 <= 2 ms", try await measure.save())
        try await measure.report("history, first page of 100 (10,000-revision page)", target: "<= 10 ms",
                                 try await measure.history(deep: false))
        try await measure.report("history, page 50 of 100 (10,000-revision page)", target: "<= 10 ms",
                                 try await measure.history(deep: true))
        await connection.close()
    }

    /// What the first run records for --reuse.
    struct Setup: Codable {
        var token: String
        var authors: [String]
        var pages = 0
        var revisions = 0
        var generationSeconds = 0.0
    }

    /// Starts coid once to create the schema and the authors, then stops it.
    static func prepareAccounts(dir: String) async throws -> Setup {
        let daemon = try Daemon(dir: dir)
        defer { daemon.stop() }
        try await daemon.waitUntilServing()
        let connection = try await ClientConnection.connect(unixSocket: daemon.socket)
        var authors: [String] = []
        for name in ["Mette Hansen", "Søren Østergaard", "Åse Brænderup", "Jens Kjær", "Anne Ærø"] {
            authors.append(try await connection.call(Coi_Identity_V1_Accounts.Method.create, Coi_Identity_V1_CreateAccountRequest.with {
                $0.kind = .person
                $0.fullName = name
                $0.roles = ["member"]
            }).id)
        }
        let token = try await connection.call(Coi_Identity_V1_Tokens.Method.issue, Coi_Identity_V1_IssueTokenRequest.with {
            $0.accountID = authors[0]
        }).secret
        await connection.close()
        return Setup(token: token, authors: authors)
    }
}

extension Duration {
    var seconds: Double { Double(components.seconds) + Double(components.attoseconds) / 1e18 }
    var milliseconds: Double { seconds * 1000 }
}
