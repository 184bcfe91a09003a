import COIBuiltInPlugins
import COIHostTesting
import COIPluginKit
import COIRPC
import COIProto
import Foundation
import SwiftProtobuf
import Testing

/// A plugin that is not part of the product, started beside every built-in plugin from nothing but
/// its own folder, its test target in Package.swift and this list: its routes are checked against its
/// own protos, its requests screened by them, its permission namespaced and Reflection serves it.
@Suite struct NotesPluginTests {
    /// The plugin list of these tests: the product's and the test-only plugin.
    static let plugins: [any Plugin] = BuiltInPlugins.all + [NotesPlugin()]

    @Test func startsBesideEveryBuiltInPluginAndServesItsCalls() async throws {
        let bench = try await PluginTestHost(plugins: Self.plugins)
        let state = try await bench.call(Coi_Core_V1_Introspection.Method.plugins, .init()).plugins.first { $0.id == "coi.demo" }
        #expect(state?.status == .ok, "\(String(describing: state))")
        #expect(state?.services == ["coi.demo.v1.Notes"])

        let writer = try await bench.person("Åse Ærø", roles: ["demo.writer"])
        let note = try await bench.call(Coi_Demo_V1_Notes.Method.add, .with { $0.text = "Små idéer rejser langt" }, token: writer.token)
        #expect(note.authorID == writer.id)
        let member = try await bench.person("Mette Member")
        let refused = await rpcError {
            _ = try await bench.call(Coi_Demo_V1_Notes.Method.add, .with { $0.text = "nej" }, token: member.token)
        }
        #expect(refused?.code == .permissionDenied)
        let listed = try await bench.stream(Coi_Demo_V1_Notes.Method.list, .init(), token: member.token)
        #expect(listed.map(\.text) == ["Små idéer rejser langt"])
    }

    /// The request screen knows the plugin's own message types: a NUL is refused by the screen (its
    /// words), before the handler's own text rule could see it.
    @Test func requestsAreScreenedByThePluginsOwnDescriptors() async throws {
        let bench = try await PluginTestHost(plugins: Self.plugins)
        let writer = try await bench.person("Bo Writer", roles: ["demo.writer"])
        let error = await rpcError {
            _ = try await bench.call(Coi_Demo_V1_Notes.Method.add, .with { $0.text = "a\u{0}b" }, token: writer.token)
        }
        #expect(error?.code == .invalidArgument)
        #expect(error?.message == "text: must not contain NUL (U+0000)")
    }

    @Test func reflectionServesThePluginsProtos() async throws {
        let bench = try await PluginTestHost(plugins: Self.plugins)
        let services = try await bench.call(Coi_Core_V1_Reflection.Method.listServices, .init()).services
        let notes = services.first { $0.name == "coi.demo.v1.Notes" }
        #expect(notes?.file == "coi/demo/v1/notes.proto")
        #expect(notes?.methods.map(\.name) == ["Add", "List"])
        let files = try await bench.call(Coi_Core_V1_Reflection.Method.fileContainingSymbol, .with { $0.symbol = "coi.demo.v1.Note" })
        let first = try Google_Protobuf_FileDescriptorProto(serializedBytes: try #require(files.fileDescriptorProto.first))
        #expect(first.name == "coi/demo/v1/notes.proto")
    }

    /// A descriptor set that does not decode is a start-up error that names the plugin.
    @Test func aBrokenDescriptorSetIsNamed() async throws {
        struct Broken: Plugin {
            var id: String { "coi.broken" }
            var services: [RPCService] { [] }
            var descriptorSet: [UInt8] { [0xFF, 0xFF, 0xFF] }
            func start(context: PluginContext, router: inout Router) async throws {}
        }
        let error = await #expect(throws: (any Error).self) { _ = try await PluginTestHost(plugins: [Broken()]) }
        #expect("\(String(describing: error))".contains("coi.broken"))
    }
}
