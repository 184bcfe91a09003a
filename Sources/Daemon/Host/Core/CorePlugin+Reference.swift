import COIPluginKit
import COIProto

extension CorePlugin {
    /// Regions, municipalities and government levels: the same reference data every plugin
    /// validates against, open to anonymous callers (it is public knowledge).
    func registerReference(_ router: inout Router) {
        router.unary(Coi_Core_V1_Reference.Method.listRegions, .open) { (_: Coi_Core_V1_ListRegionsRequest, _) in
            Coi_Core_V1_ListRegionsReply.with { $0.regions = Denmark.regions.map(Self.message) }
        }
        router.unary(Coi_Core_V1_Reference.Method.listMunicipalities, .open) { (request: Coi_Core_V1_ListMunicipalitiesRequest, _) in
            var municipalities = Denmark.municipalities
            if !request.region.isEmpty {
                guard let region = Denmark.region(matching: request.region) else {
                    throw RPCError.invalidField("region", "\"\(request.region)\" is not a region; use a code (1081–1085), a slug or a name such as \"Sjælland\"")
                }
                municipalities = Denmark.municipalities(in: region)
            }
            guard request.query.count <= 100 else { throw RPCError.invalidField("query", "must be at most 100 characters") }
            return Coi_Core_V1_ListMunicipalitiesReply.with {
                $0.municipalities = municipalities.filter { Denmark.name(of: $0, contains: request.query) }.map(Self.message)
            }
        }
        router.unary(Coi_Core_V1_Reference.Method.listGovernmentLevels, .open) { (_: Coi_Core_V1_ListGovernmentLevelsRequest, _) in
            Coi_Core_V1_ListGovernmentLevelsReply.with {
                $0.levels = GovernmentLevel.allCases.map { level in
                    .with {
                        $0.slug = level.rawValue
                        $0.name = level.danishName
                        $0.englishName = level.englishName
                    }
                }
            }
        }
        router.unary(Coi_Core_V1_Reference.Method.resolve, .open) { (request: Coi_Core_V1_ResolveRequest, _) in
            guard !request.text.trimmingCharacters(in: .whitespaces).isEmpty, request.text.count <= 100 else {
                throw RPCError.invalidField("text", "must be a code, slug or name of at most 100 characters")
            }
            if let region = Denmark.region(matching: request.text) {
                return Coi_Core_V1_ResolveReply.with { $0.region = Self.message(region) }
            }
            if let municipality = Denmark.municipality(matching: request.text) {
                return Coi_Core_V1_ResolveReply.with { $0.municipality = Self.message(municipality) }
            }
            throw RPCError(.notFound, "no region or municipality is called \"\(request.text)\"", reason: "NOT_FOUND",
                           fieldViolations: [.init(field: "text", description: "matches no region or municipality")])
        }
    }

    static func message(_ region: Region) -> Coi_Core_V1_Region {
        .with {
            $0.code = Int32(region.code)
            $0.slug = region.id
            $0.name = region.name
        }
    }

    static func message(_ municipality: Municipality) -> Coi_Core_V1_Municipality {
        .with {
            $0.code = Int32(municipality.code)
            $0.name = municipality.name
            $0.region = message(municipality.region)
        }
    }
}
