import ArgumentParser
import COIProto
import COIRPC

/// `coictl reference …`: Denmark's regions, municipalities and levels of government as coid knows
/// them (coi.core.v1.Reference; anyone may read them).
struct Reference: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Regions, municipalities and levels of government, and what a name resolves to.",
        discussion: """
            Names are accepted with or without Danish letters and in any case: "sjælland", "Sjaelland", \
            "Region Sjælland" and "1085" are the same region. coid resolves them; coictl passes the text on.
            """,
        subcommands: [Regions.self, Municipalities.self, Levels.self, Resolve.self])

    struct Regions: UnaryCommand {
        static let configuration = CommandConfiguration(abstract: "List the five regions.")
        static let rpc = Coi_Core_V1_Reference.Method.listRegions
        @OptionGroup var options: GlobalOptions

        func request() -> Coi_Core_V1_ListRegionsRequest { .init() }
        func render(_ reply: Coi_Core_V1_ListRegionsReply) { Output.list(reply.regions, options, columns: ["code", "slug", "name"]) }
    }

    struct Municipalities: UnaryCommand {
        static let configuration = CommandConfiguration(abstract: "List the 98 municipalities, or those of one region.")
        static let rpc = Coi_Core_V1_Reference.Method.listMunicipalities
        @OptionGroup var options: GlobalOptions
        @Option(help: ArgumentHelp("Only this region: a code (1085), a slug (sjaelland) or a name (\"Region Sjælland\").", valueName: "region"))
        var region = ""
        @Option(help: ArgumentHelp("Only names containing this text (æ/ae, ø/oe, å/aa alike; any case).", valueName: "text"))
        var query = ""

        func request() -> Coi_Core_V1_ListMunicipalitiesRequest {
            .with {
                $0.region = region
                $0.query = query
            }
        }

        func render(_ reply: Coi_Core_V1_ListMunicipalitiesReply) {
            if options.json { return Output.jsonLines(reply.municipalities.map(ProtoJSON.value)) }
            Output.table(["CODE", "NAME", "REGION"], reply.municipalities.map { ["\($0.code)", $0.name, $0.region.name] })
        }
    }

    struct Levels: UnaryCommand {
        static let configuration = CommandConfiguration(abstract: "List the levels of government.")
        static let rpc = Coi_Core_V1_Reference.Method.listGovernmentLevels
        @OptionGroup var options: GlobalOptions

        func request() -> Coi_Core_V1_ListGovernmentLevelsRequest { .init() }
        func render(_ reply: Coi_Core_V1_ListGovernmentLevelsReply) {
            Output.list(reply.levels, options, columns: ["slug", "name", "english_name"])
        }
    }

    struct Resolve: UnaryCommand {
        static let configuration = CommandConfiguration(
            abstract: "Say which region or municipality a text means.",
            discussion: "Exits 1 with NOT_FOUND when nothing matches, INVALID_ARGUMENT naming the candidates when it is ambiguous.")
        static let rpc = Coi_Core_V1_Reference.Method.resolve
        @OptionGroup var options: GlobalOptions
        @Argument(help: "A code, slug or name, e.g. 159, gladsaxe, \"Region Sjælland\".") var text: [String]

        func request() -> Coi_Core_V1_ResolveRequest { .with { $0.text = text.joined(separator: " ") } }

        func render(_ reply: Coi_Core_V1_ResolveReply) {
            if options.json { return Output.show(reply, options) }
            switch reply.match {
            case .region(let region):
                Output.table(["KIND", "CODE", "NAME"], [["region", "\(region.code)", region.name]])
            case .municipality(let municipality):
                Output.table(["KIND", "CODE", "NAME", "REGION"],
                             [["municipality", "\(municipality.code)", municipality.name, municipality.region.name]])
            case nil:
                Output.line("-")
            }
        }
    }
}
