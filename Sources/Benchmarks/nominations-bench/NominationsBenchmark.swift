import ArgumentParser
import COINominations
import COIProto
import COIWire
import Foundation

/// Submits nominations through the socket from many concurrent clients, then scores them with a
/// jury and times the results, against the real coid.
@main
struct NominationsBenchmark: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "nominations-bench",
        abstract: "Benchmark coi.nominations: durable submissions per second and results computation.",
        discussion: "Without --socket it starts the coid binary next to itself on a temporary state directory (synchronous = FULL).")

    @Option(help: "Socket of a running coid, called as the local admin (default: start one).") var socket: String?
    @Option(help: "Nominations to submit.") var nominations = 10_000
    @Option(help: "Concurrent clients, each on its own connection with its own account.") var clients = 64
    @Option(help: "Jurors scoring every nomination (0 skips the results part).") var jurors = 20
    @Option(help: "Times Results/Compute is run; the median is reported.") var repeats = 5

    func run() async throws {
        var daemon: Process?
        var socketPath = socket ?? ""
        if socket == nil {
            let dir = "/tmp/nominations-bench-\(getpid())"
            try? FileManager.default.removeItem(atPath: dir)
            socketPath = dir + "/coid.sock"
            let bin = URL(fileURLWithPath: CommandLine.arguments[0]).resolvingSymlinksInPath().deletingLastPathComponent()
            let process = Process()
            process.executableURL = bin.appendingPathComponent("coid")
            process.arguments = ["--state-dir", dir, "--socket", socketPath, "--log-level", "warning"]
            try process.run()
            daemon = process
        }
        defer { daemon?.terminate() }
        try await waitForSocket(socketPath)

        let admin = try await ClientConnection.connect(unixSocket: socketPath)
        defer { Task { await admin.close() } }
        print("# nominations-bench: \(nominations) nominations, \(clients) clients, \(jurors) jurors; "
              + "\(ProcessInfo.processInfo.activeProcessorCount) cores")

        let campaign = try await admin.call(Coi_Nominations_V1_Campaigns.Method.create, Coi_Nominations_V1_CreateCampaignRequest.with {
            $0.kind = .ideaAward
            $0.year = 2026
            $0.title = "Benchmark campaign"
            $0.nominatorLimit = Int32(min(10_000, nominations / max(clients, 1) + 1))
        }).id
        try await setPhase(admin, campaign, .nominationsOpen)

        var tokens: [String] = []
        for index in 0..<clients {
            tokens.append(try await account(admin, name: "Nominator \(index)", workplace: "Benchmark nominators"))
        }
        let submitted = try await submit(socketPath, campaign: campaign, tokens: tokens)
        print(String(format: "submit: %d nominations in %.2f s = %.0f nominations/s (durable: WAL, synchronous FULL)",
                     submitted.ids.count, submitted.seconds, Double(submitted.ids.count) / submitted.seconds))
        guard jurors > 0 else { return }

        try await setPhase(admin, campaign, .screening)
        for decision in [Coi_Nominations_V1_ScreeningDecision.markEligible, .shortlist] {
            for start in stride(from: 0, to: submitted.ids.count, by: 1000) {
                _ = try await admin.call(Coi_Nominations_V1_Nominations.Method.screen, Coi_Nominations_V1_ScreenRequest.with {
                    $0.campaignID = campaign
                    $0.decision = decision
                    $0.nominationIds = Array(submitted.ids[start..<min(start + 1000, submitted.ids.count)])
                })
            }
        }
        var jurorTokens: [String] = []
        for index in 0..<jurors {
            let (id, token) = try await accountWithID(admin, name: "Juror \(index)", workplace: "Jury \(index)")
            _ = try await admin.call(Coi_Identity_V1_Roles.Method.bind, Coi_Identity_V1_BindRoleRequest.with {
                $0.accountID = id
                $0.role = "nominations.juror"
                $0.scope = "campaign:\(campaign)"
            })
            _ = try await admin.call(Coi_Nominations_V1_Jury.Method.addJuror, Coi_Nominations_V1_AddJurorRequest.with {
                $0.campaignID = campaign
                $0.accountID = id
            })
            jurorTokens.append(token)
        }
        try await setPhase(admin, campaign, .jury)
        let scoring = try await score(socketPath, campaign: campaign, ids: submitted.ids, tokens: jurorTokens)
        print(String(format: "score: %d sheets in %.2f s (1,000 per call)", submitted.ids.count * jurors, scoring))

        var times: [Double] = []
        var winner = ""
        for _ in 0..<max(repeats, 1) {
            let start = ContinuousClock.now
            let results = try await admin.call(Coi_Nominations_V1_Results.Method.compute, Coi_Nominations_V1_ComputeResultsRequest.with {
                $0.campaignID = campaign
            }, timeout: .seconds(120))
            times.append(Self.seconds(ContinuousClock.now - start))
            winner = results.nationalWinnerID
        }
        times.sort()
        print(String(format: "results (Results/Compute through the socket, %d × %d sheets): median %.3f s, min %.3f s, max %.3f s; national winner %@",
                     submitted.ids.count, jurors, times[times.count / 2], times[0], times[times.count - 1], winner))
        print(String(format: "results (engine alone, in process, same size): %.3f s", engineSeconds(nominations: submitted.ids.count)))
    }

    /// Each client submits its share on its own connection, one call at a time.
    func submit(_ socketPath: String, campaign: String, tokens: [String]) async throws -> (ids: [String], seconds: Double) {
        let perClient = (nominations + tokens.count - 1) / tokens.count
        let start = ContinuousClock.now
        let ids = try await withThrowingTaskGroup(of: [String].self) { group in
            for (client, token) in tokens.enumerated() {
                let count = min(perClient, nominations - client * perClient)
                guard count > 0 else { continue }
                group.addTask {
                    let connection = try await ClientConnection.connect(unixSocket: socketPath)
                    defer { Task { await connection.close() } }
                    var ids: [String] = []
                    for index in 0..<count {
                        let number = client * perClient + index
                        let municipality = Self.municipalities[number % Self.municipalities.count]
                        let reply = try await connection.call(Coi_Nominations_V1_Nominations.Method.submit, Coi_Nominations_V1_SubmitNominationRequest.with {
                            $0.campaignID = campaign
                            $0.nominees = [.with { $0.name = "Colleague \(number)" }]
                            $0.workplace = "Workplace \(number)"
                            $0.municipalityCode = municipality
                            $0.title = "Small idea number \(number)"
                            $0.idea = "A small change to a daily routine that saves time for colleagues and citizens (\(number))."
                            $0.difference = "Shorter waiting times and fewer mistakes."
                        }, metadata: [("authorization", "Bearer \(token)")])
                        ids.append(reply.id)
                    }
                    return ids
                }
            }
            var all: [String] = []
            for try await ids in group { all += ids }
            return all
        }
        return (ids, Self.seconds(ContinuousClock.now - start))
    }

    /// Every juror scores every nomination, 1,000 sheets per call, jurors in parallel.
    func score(_ socketPath: String, campaign: String, ids: [String], tokens: [String]) async throws -> Double {
        let start = ContinuousClock.now
        try await withThrowingTaskGroup(of: Void.self) { group in
            for (juror, token) in tokens.enumerated() {
                group.addTask {
                    let connection = try await ClientConnection.connect(unixSocket: socketPath)
                    defer { Task { await connection.close() } }
                    for first in stride(from: 0, to: ids.count, by: 1000) {
                        let sheets = ids[first..<min(first + 1000, ids.count)].enumerated().map { offset, id in
                            Coi_Nominations_V1_ScoreSheet.with {
                                $0.nominationID = id
                                $0.scores = (0..<4).map { Int32(1 + (first + offset + juror * 7 + $0 * 3) % 5) }
                            }
                        }
                        _ = try await connection.call(Coi_Nominations_V1_Jury.Method.score, Coi_Nominations_V1_ScoreRequest.with {
                            $0.campaignID = campaign
                            $0.sheets = sheets
                        }, metadata: [("authorization", "Bearer \(token)")], timeout: .seconds(120))
                    }
                }
            }
            try await group.waitForAll()
        }
        return Self.seconds(ContinuousClock.now - start)
    }

    /// The ranking engine alone on synthetic data of the same size.
    func engineSeconds(nominations: Int) -> Double {
        let regions = [1081, 1082, 1083, 1084, 1085]
        let entries = (0..<nominations).map { index in
            ResultsEngine.Entry(id: "nom_\(index)", regionCode: regions[index % 5], endorsements: index % 13,
                                submittedAt: String(format: "2026-03-01T00:00:%06dZ", index), nomineeKeys: ["colleague \(index)|workplace"])
        }
        var sheets: [ResultsEngine.Sheet] = []
        sheets.reserveCapacity(nominations * jurors)
        for juror in 0..<jurors {
            for index in 0..<nominations {
                sheets.append(ResultsEngine.Sheet(juror: "juror_\(juror)", nomination: "nom_\(index)",
                                                  value: Double(1 + (index * 31 + juror * 7) % 17) / 4))
            }
        }
        let start = ContinuousClock.now
        let outcome = ResultsEngine.compute(entries: entries, sheets: sheets, regionCodes: regions, normalise: true, alternates: 2,
                                            previousWinners: [])
        let elapsed = Self.seconds(ContinuousClock.now - start)
        precondition(outcome.nationalWinner != nil)
        return elapsed
    }

    func setPhase(_ admin: ClientConnection, _ campaign: String, _ phase: Coi_Nominations_V1_Phase) async throws {
        _ = try await admin.call(Coi_Nominations_V1_Campaigns.Method.setPhase, Coi_Nominations_V1_SetPhaseRequest.with {
            $0.id = campaign
            $0.phase = phase
        })
    }

    func account(_ admin: ClientConnection, name: String, workplace: String) async throws -> String {
        try await accountWithID(admin, name: name, workplace: workplace).token
    }

    func accountWithID(_ admin: ClientConnection, name: String, workplace: String) async throws -> (id: String, token: String) {
        let id = try await admin.call(Coi_Identity_V1_Accounts.Method.create, Coi_Identity_V1_CreateAccountRequest.with {
            $0.kind = .person
            $0.fullName = name
            $0.workplace = workplace
            $0.municipalityCode = 101
        }).id
        let token = try await admin.call(Coi_Identity_V1_Tokens.Method.issue, Coi_Identity_V1_IssueTokenRequest.with {
            $0.accountID = id
        }).secret
        return (id, token)
    }

    func waitForSocket(_ path: String) async throws {
        for _ in 0..<1000 {
            if let connection = try? await ClientConnection.connect(unixSocket: path) {
                await connection.close()
                return
            }
            try await Task.sleep(for: .milliseconds(20))
        }
        throw ValidationError("coid did not come up on \(path)")
    }

    static func seconds(_ duration: Duration) -> Double {
        Double(duration.components.seconds) + Double(duration.components.attoseconds) / 1e18
    }

    /// One municipality per region and more, so all five regions get nominations.
    static let municipalities: [Int32] = [851, 751, 461, 101, 265, 813, 740, 561, 147, 370]
}
