import COIPluginKit
import COIProto
import GRDB

extension BarometerService {
    func registerEstimates(_ router: inout Router) {
        router.unary(Coi_Barometer_V1_Estimates.Method.estimate, .read("barometer.read"), cost: .heavy) { (request: Coi_Barometer_V1_EstimateRequest, _) in
            let data = try await self.data(request.waveID)
            let breakdowns = try request.by.map { try Self.breakdown($0, data, field: "by") }
            let estimator = try Self.estimator(data, rake: request.rake)
            for id in request.questions where data.questionnaire.question(id) == nil {
                throw RPCError.invalidField("questions", "\"\(id)\" is not a question of wave \(data.wave.id)")
            }
            let estimates: [Estimate]
            do throws(EstimationError) {
                estimates = try estimator.estimates(breakdowns: breakdowns, questions: request.questions.isEmpty ? nil : request.questions)
            } catch {
                throw RPCError.invalidField("by", error.description)
            }
            return Coi_Barometer_V1_EstimateReply.with { reply in
                reply.estimates = estimates.filter { !(request.omitOverall && $0.domain.variables.isEmpty && !breakdowns.isEmpty) }.map(Self.message)
                reply.respondents = Int32(data.respondents.count)
                reply.rakingRounds = Int32(estimator.design.rakingRounds ?? 0)
                reply.rakingConverged = estimator.design.rakingConverged ?? false
            }
        }
        router.unary(Coi_Barometer_V1_Estimates.Method.trend, .read("barometer.read"), cost: .heavy) { (request: Coi_Barometer_V1_TrendRequest, _) in
            try await self.trend(request)
        }
    }

    /// Estimates across waves for the questions that share a concept key, overall or by the
    /// domains of one breakdown. Waves named in the request must each have such a question and
    /// completed responses; without names, every drawn wave that has them takes part, in the
    /// order the waves were created.
    func trend(_ request: Coi_Barometer_V1_TrendRequest) async throws -> Coi_Barometer_V1_TrendReply {
        guard !request.concept.isEmpty else { throw RPCError.invalidField("concept", "is required: the concept key questions share") }
        let named = !request.waveIds.isEmpty
        if let twice = Dictionary(grouping: request.waveIds, by: { $0 }).first(where: { $0.value.count > 1 })?.key {
            throw RPCError.invalidField("wave_ids", "names \(twice) twice")
        }
        let by = request.by.trimmingCharacters(in: .whitespaces)
        let ids = try await self.read { db in
            named ? request.waveIds : try String.fetchAll(db, sql: "SELECT id FROM barometer_waves WHERE drawn_at <> '' ORDER BY seq")
        }
        var reply = Coi_Barometer_V1_TrendReply()
        for id in ids {
            let data: WaveData
            do {
                data = try await self.data(id)
            } catch let error as RPCError where error.code == .failedPrecondition && !named {
                continue
            }
            guard let question = data.questionnaire.questions.first(where: { $0.concept == request.concept }) else {
                if named { throw RPCError.invalidField("concept", "wave \(id) has no question with concept \"\(request.concept)\"") }
                continue
            }
            if data.respondents.isEmpty && !named { continue }
            let breakdowns = by.isEmpty ? [] : [try Self.breakdown(by, data, field: "by")]
            let estimator = try Self.estimator(data, rake: [])
            let estimates: [Estimate]
            do throws(EstimationError) {
                estimates = try estimator.estimates(breakdowns: breakdowns, questions: [question.id])
            } catch {
                throw RPCError.invalidField("by", error.description)
            }
            for estimate in estimates where breakdowns.isEmpty || !estimate.domain.variables.isEmpty {
                reply.points.append(.with {
                    $0.waveID = data.wave.id
                    $0.waveName = data.wave.name
                    $0.referencePeriod = data.wave.referencePeriod
                    $0.estimate = Self.message(estimate)
                })
            }
        }
        return reply
    }

    /// A wave's estimation data, from the cache or loaded.
    /// - Parameter waveID: The wave.
    /// - Returns: The data.
    func data(_ waveID: String) async throws -> WaveData {
        if let cached = cache.withLock({ $0[waveID] }) { return cached }
        let data = try await read { db in try WaveData.load(db, waveID: waveID) }
        cache.withLock { $0[waveID] = data }
        return data
    }

    /// A breakdown ("region", or "level,sector" for their crossing) checked against the frame variables.
    static func breakdown(_ text: String, _ data: WaveData, field: String) throws -> [String] {
        let variables = text.split(separator: ",").map { String($0).trimmingCharacters(in: .whitespaces) }
        guard !variables.isEmpty else { throw RPCError.invalidField(field, "is empty") }
        for variable in variables where !data.wave.frameVariables.contains(variable) {
            throw RPCError.invalidField(field, "\"\(variable)\" is not a frame variable of wave \(data.wave.id) "
                                        + "(\(data.wave.frameVariables.joined(separator: ", ")))")
        }
        return variables
    }

    /// The estimator of a wave's completed responses, raked to the frame's margins on `rake`.
    static func estimator(_ data: WaveData, rake: [String]) throws -> Estimator {
        var margins: [RakingMargin] = []
        for variable in rake.flatMap({ $0.split(separator: ",").map { String($0).trimmingCharacters(in: .whitespaces) } }) {
            guard let totals = data.totals[variable] else {
                throw RPCError.invalidField("rake", "\"\(variable)\" is not a frame variable of wave \(data.wave.id) "
                                            + "(\(data.wave.frameVariables.joined(separator: ", ")))")
            }
            if margins.contains(where: { $0.variable == variable }) { throw RPCError.invalidField("rake", "names \(variable) twice") }
            margins.append(RakingMargin(variable: variable, totals: totals))
        }
        guard !data.respondents.isEmpty else {
            throw RPCError(.failedPrecondition, "wave \(data.wave.id) has no completed responses yet", reason: "NO_RESPONSES")
        }
        do {
            let design = try WeightedDesign(respondents: data.respondents, populationSizes: data.populationSizes, raking: margins)
            return try Estimator(questionnaire: data.questionnaire, design: design, minimumRespondents: data.wave.minRespondents)
        } catch {
            throw RPCError(.failedPrecondition, error.description, reason: "ESTIMATION_IMPOSSIBLE")
        }
    }

    /// An engine estimate as sent.
    static func message(_ estimate: Estimate) -> Coi_Barometer_V1_Estimate {
        .with {
            $0.question = estimate.row.map { estimate.question + "." + $0 } ?? estimate.question
            $0.by = estimate.domain.variables.joined(separator: ",")
            $0.domain = estimate.domain.values.joined(separator: ",")
            switch estimate.statistic {
            case .proportion(let category):
                $0.category = category
                $0.statistic = "proportion"
            case .mean:
                $0.statistic = "mean"
            }
            $0.respondents = Int32(estimate.respondents)
            $0.suppressed = estimate.suppressed
            if let value = estimate.value {
                $0.df = Int32(value.degreesOfFreedom)
                $0.numbers = .with { numbers in
                    numbers.estimate = value.estimate
                    numbers.se = value.standardError
                    if let lower = value.lower, let upper = value.upper {
                        numbers.ci = .with {
                            $0.low = lower
                            $0.high = upper
                        }
                    }
                }
            }
        }
    }
}
