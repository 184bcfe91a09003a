import COIProto
import COIWire
import Foundation

/// Timed calls through the socket, one at a time, as a person's client makes them.
struct Measurements {
    let connection: ClientConnection
    let token: String
    let pages: Int
    let samples: Int

    var metadata: ClientConnection.Metadata { [(key: "authorization", value: "Bearer \(token)")] }

    func timed(_ body: () async throws -> Void) async throws -> Double {
        let start = ContinuousClock.now
        try await body()
        return (ContinuousClock.now - start).milliseconds
    }

    func report(_ name: String, target: String, _ millis: [Double]) async throws {
        let sorted = millis.sorted()
        func percentile(_ p: Double) -> Double { sorted[min(sorted.count - 1, Int(Double(sorted.count) * p))] }
        print(String(format: "%@: p50 %.2f ms, p95 %.2f ms, p99 %.2f ms, max %.2f ms (n=%d; target %@)",
                     name, percentile(0.5), percentile(0.95), percentile(0.99), sorted.last ?? 0, sorted.count, target))
    }

    /// Half the queries from a fixed list (Danish spellings, two-word queries, one prefix query),
    /// half single words drawn from the generator's vocabulary. Besides the overall figures, each
    /// kind is reported alone: a prefix matching most pages costs far more to rank than a word.
    func search() async throws -> [Double] {
        var random = Generator.Random(state: 7)
        let queries = ["aarhus", "koebenhavn", "Århus kommune", "velfærd innovation", "aeroe", "sønderborg", "klima*", "borger budget",
                       "ældrepleje", "digitalisering samarbejde", "grøn omstilling", "plejehjem data"]
        var hits = 0
        for query in queries.prefix(5) { _ = try await call(query) }
        var times: [Double] = []
        var byKind: [String: [Double]] = [:]
        for index in 0..<samples {
            let query = index % 2 == 0 ? queries[random.below(queries.count)]
                : Generator.vocabulary[random.below(Generator.vocabulary.count)]
            let time = try await timed { hits += try await call(query).hits.count }
            times.append(time)
            let kind = query.hasSuffix("*") ? "prefix (klima*)" : query.contains(" ") ? "two words" : "one word"
            byKind[kind, default: []].append(time)
        }
        print("  search: \(hits) hits over \(samples) queries")
        for (kind, kindTimes) in byKind.sorted(by: { $0.key < $1.key }) {
            let sorted = kindTimes.sorted()
            func percentile(_ p: Double) -> Double { sorted[min(sorted.count - 1, Int(Double(sorted.count) * p))] }
            print(String(format: "    %@: p50 %.2f ms, p95 %.2f ms (n=%d)", kind, percentile(0.5), percentile(0.95), sorted.count))
        }
        return times
    }

    private func call(_ query: String) async throws -> Coi_Wiki_V1_SearchReply {
        try await connection.call(Coi_Wiki_V1_Discovery.Method.search, Coi_Wiki_V1_SearchRequest.with {
            $0.query = query
            $0.pageSize = 10
        }, metadata: metadata)
    }

    func save() async throws -> [Double] {
        var random = Generator.Random(state: 11)
        var times: [Double] = []
        var merged = 0
        for _ in 0..<samples {
            let title = Generator.title(1 + random.below(pages - 1))
            let page = try await connection.call(Coi_Wiki_V1_Pages.Method.get, Coi_Wiki_V1_GetPageRequest.with { $0.title = title }, metadata: metadata)
            let text = page.text.replacingOccurrences(of: "\n\nSe ", with: "\n\nRettet \(random.next() % 1000). Se ")
            times.append(try await timed {
                let reply = try await connection.call(Coi_Wiki_V1_Pages.Method.save, Coi_Wiki_V1_SaveRequest.with {
                    $0.title = title
                    $0.text = text
                    $0.baseRevisionID = page.revision.id
                    $0.summary = "benchmark edit"
                }, metadata: metadata)
                if reply.merged { merged += 1 }
            })
        }
        return times
    }

    func history(deep: Bool) async throws -> [Double] {
        var request = Coi_Wiki_V1_HistoryRequest.with {
            $0.title = Generator.title(0)
            $0.pageSize = 100
        }
        if deep {
            for _ in 0..<49 {
                request.pageToken = try await connection.call(Coi_Wiki_V1_Pages.Method.history, request,
                                                              metadata: metadata).nextPageToken
            }
        }
        var times: [Double] = []
        var count = 0
        for _ in 0..<samples {
            times.append(try await timed {
                count = try await connection.call(Coi_Wiki_V1_Pages.Method.history, request,
                                                  metadata: metadata).revisions.count
            })
        }
        guard count == 100 else { throw BenchError("history page had \(count) revisions, not 100") }
        return times
    }
}
