import ArgumentParser
import COIProto
import COIWire
import Foundation
import Synchronization

/// What a load run's callers send: every call's request, and what a reply tells its caller (the
/// revision the next edit is based on).
protocol Workload: Sendable {
    /// Sets up `callers` callers (accounts, pages, a campaign) before the clock starts.
    func prepare(callers: Int) async throws
    /// The serialized ttrpc request of `caller`'s next call.
    func request(caller: Int) -> [UInt8]
    /// The payload of `caller`'s call that succeeded.
    func replied(caller: Int, payload: Data)
}

/// The workloads `--workload` names.
enum WorkloadKind: String, ExpressibleByArgument, CaseIterable {
    case echo
    case canary
    case wikiCreate = "wiki-create"
    case wikiEdit = "wiki-edit"
    case wikiSamePage = "wiki-same-page"
    case nominate

    var title: String {
        switch self {
        case .echo: Coi_Core_V1_Diagnostics.Method.echo.path
        case .canary: Coi_Core_V1_Diagnostics.Method.writeCanary.path + " (one inserted row + its audit entry)"
        case .wikiCreate: Coi_Wiki_V1_Pages.Method.save.path + " creating a new page per call (revision, links, category, search index, recent change, watch + audit entry)"
        case .wikiEdit: Coi_Wiki_V1_Pages.Method.save.path + " editing the caller's own page, based on its latest revision (+ audit entry)"
        case .wikiSamePage: Coi_Wiki_V1_Pages.Method.save.path + " of one page by every caller, each its own line, based on the revision its last save made (merged when others saved since) (+ audit entry)"
        case .nominate: Coi_Nominations_V1_Nominations.Method.submit.path + " (nomination, nominee, event + audit entry)"
        }
    }
}

/// A serialized ttrpc request.
func ttrpcRequest(service: String, method: String, payload: Data, metadata: [(String, String)]) -> [UInt8] {
    var request = Ttrpc_Request()
    request.service = service
    request.method = method
    request.payload = payload
    request.metadata = metadata.map { key, value in Ttrpc_KeyValue.with { $0.key = key; $0.value = value } }
    // Serializing a message built in memory cannot fail.
    return (try? request.serializedBytes()) ?? []
}

/// The same request on every call (Echo, WriteCanary).
struct FixedWorkload: Workload {
    let payload: [UInt8]
    func prepare(callers: Int) async throws {}
    func request(caller: Int) -> [UInt8] { payload }
    func replied(caller: Int, payload: Data) {}
}

/// Person accounts (role member) with bearer tokens, made through the socket by the local admin.
func people(_ admin: ClientConnection, count: Int, label: String) async throws -> [String] {
    var tokens: [String] = []
    for index in 0..<count {
        let id = try await admin.call(Coi_Identity_V1_Accounts.Method.create, Coi_Identity_V1_CreateAccountRequest.with {
            $0.kind = .person
            $0.fullName = "\(label) \(index) Ærø"
            $0.workplace = "Benchmark"
            $0.municipalityCode = 101
            $0.roles = ["member"]
        }).id
        tokens.append(try await admin.call(Coi_Identity_V1_Tokens.Method.issue, Coi_Identity_V1_IssueTokenRequest.with {
            $0.accountID = id
        }).secret)
    }
    return tokens
}

/// Wiki saves: new pages, edits of the caller's own page, or edits of one shared page.
final class WikiWorkload: Workload {
    enum Mode { case create, edit, samePage }
    private struct State {
        var run = 0
        var tokens: [String] = []
        /// The revision each caller's next save is based on.
        var bases: [String] = []
        /// The page's text as each caller last saw it (shared page only).
        var views: [[String]] = []
        var counts: [Int] = []
    }

    let socketPath: String
    let mode: Mode
    private let state = Mutex(State())
    /// About 600 bytes: a link, a category and Danish letters, so every save updates the derived tables.
    static let body = "Ideen går ud på at samle borgernes henvendelser ét sted, så sagsbehandlerne i kommunen ser hele forløbet. "
        + "Se også [[Borgerservice]] og [[Digital post]]. Erfaringerne fra Ærø og Åbenrå viser kortere ventetid, færre fejl og "
        + "gladere medarbejdere; projektet blev fulgt i et år med målinger før og efter, og resultaterne deles her.\n\n"
        + "[[Category:Innovation]]\n"

    init(socketPath: String, mode: Mode) {
        self.socketPath = socketPath
        self.mode = mode
    }

    var title: String { state.withLock { "Bench \($0.run)" } }

    func prepare(callers: Int) async throws {
        let admin = try await ClientConnection.connect(unixSocket: socketPath)
        defer { Task { await admin.close() } }
        let run = state.withLock { $0.run += 1; return $0.run }
        let tokens = try await people(admin, count: callers, label: "Skribent \(run)")
        var bases = [String](repeating: "", count: callers)
        var views = [[String]](repeating: [], count: callers)
        let writer = try await ClientConnection.connect(unixSocket: socketPath)
        defer { Task { await writer.close() } }
        func save(_ token: String, _ title: String, _ text: String) async throws -> Coi_Wiki_V1_SaveReply {
            try await writer.call(Coi_Wiki_V1_Pages.Method.save, Coi_Wiki_V1_SaveRequest.with {
                $0.title = title
                $0.text = text
            }, metadata: [("authorization", "Bearer \(token)")])
        }
        switch mode {
        case .create:
            break
        case .edit:
            for caller in 0..<callers {
                bases[caller] = try await save(tokens[caller], "Bench \(run) side \(caller)", Self.body).revision.id
            }
        case .samePage:
            // Unchanged lines between the callers' lines: diff3 merges changes to lines that do not touch.
            let lines = (0..<callers).flatMap { ["Linje \($0): 0", "§ \($0)"] } + [Self.body]
            let reply = try await save(tokens[0], "Bench \(run) fælles side", lines.joined(separator: "\n"))
            bases = [String](repeating: reply.revision.id, count: callers)
            views = [[String]](repeating: reply.page.text.components(separatedBy: "\n"), count: callers)
        }
        state.withLock {
            $0.tokens = tokens
            $0.bases = bases
            $0.views = views
            $0.counts = [Int](repeating: 0, count: callers)
        }
    }

    func request(caller: Int) -> [UInt8] {
        let (title, text, base, token) = state.withLock { state -> (String, String, String, String) in
            state.counts[caller] += 1
            let count = state.counts[caller]
            switch mode {
            case .create:
                return ("Bench \(state.run) side \(caller)-\(count)", Self.body + "\nUdgave \(count).", "", state.tokens[caller])
            case .edit:
                return ("Bench \(state.run) side \(caller)", Self.body + "\nUdgave \(count).", state.bases[caller], state.tokens[caller])
            case .samePage:
                var view = state.views[caller]
                if let line = view.firstIndex(where: { $0.hasPrefix("Linje \(caller): ") }) { view[line] = "Linje \(caller): \(count)" }
                return ("Bench \(state.run) fælles side", view.joined(separator: "\n"), state.bases[caller], state.tokens[caller])
            }
        }
        let payload = (try? Coi_Wiki_V1_SaveRequest.with {
            $0.title = title
            $0.text = text
            $0.baseRevisionID = base
            $0.summary = "benchmark"
        }.serializedData()) ?? Data()
        return ttrpcRequest(service: Coi_Wiki_V1_Pages.service.name, method: Coi_Wiki_V1_Pages.Method.save.method, payload: payload,
                            metadata: [("authorization", "Bearer \(token)")])
    }

    func replied(caller: Int, payload: Data) {
        guard mode != .create, let reply = try? Coi_Wiki_V1_SaveReply(serializedBytes: payload) else { return }
        state.withLock {
            $0.bases[caller] = reply.revision.id
            if mode == .samePage { $0.views[caller] = reply.page.text.components(separatedBy: "\n") }
        }
    }
}

/// Nominations submitted to a campaign open for them, each caller with its own account(s).
final class NominateWorkload: Workload {
    private struct State {
        var campaign = ""
        /// Each caller's tokens, used in turn: one account may make at most 10,000 nominations per campaign.
        var tokens: [[String]] = []
        var counts: [Int] = []
    }

    let socketPath: String
    private let state = Mutex(State())

    init(socketPath: String) { self.socketPath = socketPath }

    func prepare(callers: Int) async throws {
        let admin = try await ClientConnection.connect(unixSocket: socketPath)
        defer { Task { await admin.close() } }
        let campaign = try await admin.call(Coi_Nominations_V1_Campaigns.Method.create, Coi_Nominations_V1_CreateCampaignRequest.with {
            $0.kind = .ideaAward
            $0.year = 2026
            $0.title = "Benchmark \(callers) writers"
            $0.nominatorLimit = 10_000
        }).id
        _ = try await admin.call(Coi_Nominations_V1_Campaigns.Method.setPhase, Coi_Nominations_V1_SetPhaseRequest.with {
            $0.id = campaign
            $0.phase = .nominationsOpen
        })
        let perCaller = max(1, 8 / callers)
        let tokens = try await people(admin, count: callers * perCaller, label: "Indstiller \(callers)")
        state.withLock {
            $0.campaign = campaign
            $0.tokens = (0..<callers).map { Array(tokens[$0 * perCaller..<($0 + 1) * perCaller]) }
            $0.counts = [Int](repeating: 0, count: callers)
        }
    }

    static let municipalities: [Int32] = [851, 751, 461, 101, 265, 813, 740, 561, 147, 370]

    func request(caller: Int) -> [UInt8] {
        let (campaign, token, count) = state.withLock { state -> (String, String, Int) in
            state.counts[caller] += 1
            let count = state.counts[caller]
            let tokens = state.tokens[caller]
            return (state.campaign, tokens[count % tokens.count], count)
        }
        let number = "\(caller)-\(count)"
        let payload = (try? Coi_Nominations_V1_SubmitNominationRequest.with {
            $0.campaignID = campaign
            $0.nominees = [.with { $0.name = "Kollega \(number)" }]
            $0.workplace = "Arbejdsplads \(number)"
            $0.municipalityCode = Self.municipalities[count % Self.municipalities.count]
            $0.title = "Lille idé nummer \(number)"
            $0.idea = "En lille ændring af en daglig rutine, der sparer tid for kolleger og borgere (\(number))."
            $0.difference = "Kortere ventetid og færre fejl."
        }.serializedData()) ?? Data()
        return ttrpcRequest(service: Coi_Nominations_V1_Nominations.service.name, method: Coi_Nominations_V1_Nominations.Method.submit.method,
                            payload: payload, metadata: [("authorization", "Bearer \(token)")])
    }

    func replied(caller: Int, payload: Data) {}
}
