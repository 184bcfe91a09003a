import COIProto
import COIWire
import Foundation
import SwiftProtobuf
import Testing

@Suite(.serialized) struct CoreServicesTests {
    @Test func healthCheckAndWatch() async throws {
        let daemon = try await DaemonProcess()
        let client = try await daemon.connect()
        let whole = try await client.call(Grpc_Health_V1_Health.Method.check, Grpc_Health_V1_HealthCheckRequest())
        #expect(whole.status == .serving)
        let core = try await client.call(Grpc_Health_V1_Health.Method.check, Grpc_Health_V1_HealthCheckRequest.with { $0.service = "coi.core.v1.Diagnostics" })
        #expect(core.status == .serving)
        await #expect {
            _ = try await client.call(Grpc_Health_V1_Health.Method.check, Grpc_Health_V1_HealthCheckRequest.with { $0.service = "coi.nope.v1.X" })
        } throws: { ($0 as? RPCError)?.code == .notFound }

        let watch = client.stream(service: "grpc.health.v1.Health", method: "Watch",
                                  payload: try Grpc_Health_V1_HealthCheckRequest().serializedBytes(), clientStreaming: false)
        var updates = watch.replies.makeAsyncIterator()
        #expect(try Grpc_Health_V1_HealthCheckResponse(serializedBytes: try await updates.next() ?? []).status == .serving)
        daemon.signal(SIGTERM)
        #expect(try Grpc_Health_V1_HealthCheckResponse(serializedBytes: try await updates.next() ?? []).status == .notServing)
        #expect(try await updates.next() == nil, "Watch ends cleanly on shutdown")
        #expect(await daemon.waitForExit() == 0)
    }

    @Test func introspection() async throws {
        let daemon = try await DaemonProcess()
        let client = try await daemon.connect()
        let plugins = try await client.call(Coi_Core_V1_Introspection.Method.plugins, Coi_Core_V1_PluginsRequest())
        let core = try #require(plugins.plugins.first { $0.id == "coi.core" })
        #expect(core.status == .ok)
        #expect(core.services.contains("coi.core.v1.Diagnostics"))
        #expect(core.schemaVersion == "001_canaries")
        let server = try await client.call(Coi_Core_V1_Introspection.Method.server, Coi_Core_V1_ServerRequest())
        #expect(server.pid == Int64(daemon.process.pid))
        #expect(server.listeners == ["unix:\(daemon.socketPath)"])
        #expect(server.databasePath.hasSuffix("state/coid.db"))
        #expect(server.openConnections >= 1)
        #expect(!server.sqliteVersion.isEmpty)
        await client.close()
        await daemon.stop()
    }

    @Test func reflectionDescribesEveryServedMethod() async throws {
        let daemon = try await DaemonProcess()
        let client = try await daemon.connect()
        let list = try await client.call(Coi_Core_V1_Reflection.Method.listServices, Coi_Core_V1_ListServicesRequest())
        #expect(Set(list.services.map(\.name)) == ["grpc.health.v1.Health", "coi.core.v1.Diagnostics",
                                                   "coi.core.v1.Introspection", "coi.core.v1.Reflection",
                                                   "coi.identity.v1.Accounts", "coi.identity.v1.Tokens",
                                                   "coi.identity.v1.Roles", "coi.identity.v1.Audit",
                                                   "coi.nominations.v1.Campaigns", "coi.nominations.v1.Nominations",
                                                   "coi.nominations.v1.Jury", "coi.nominations.v1.Results",
                                                   "coi.nominations.v1.IdeaStorms",
                                                   "coi.wiki.v1.Pages", "coi.wiki.v1.Discovery", "coi.wiki.v1.Feeds"])
        let watch = list.services.first { $0.name == "grpc.health.v1.Health" }?.methods.first { $0.name == "Watch" }
        #expect(watch?.serverStreaming == true && watch?.clientStreaming == false)

        let bySymbol = try await client.call(Coi_Core_V1_Reflection.Method.fileContainingSymbol, Coi_Core_V1_FileContainingSymbolRequest.with { $0.symbol = "coi.core.v1.EchoRequest" })
        let files = try bySymbol.fileDescriptorProto.map { try Google_Protobuf_FileDescriptorProto(serializedBytes: $0) }
        #expect(files.first?.name == "coi/core/v1/diagnostics.proto")
        #expect(files.first?.messageType.contains { $0.name == "EchoRequest" } == true)

        let ttrpc = try await client.call(Coi_Core_V1_Reflection.Method.fileByFilename, Coi_Core_V1_FileByFilenameRequest.with { $0.filename = "ttrpc/ttrpc.proto" })
        let names = try ttrpc.fileDescriptorProto.map { try Google_Protobuf_FileDescriptorProto(serializedBytes: $0).name }
        #expect(names == ["ttrpc/ttrpc.proto", "google/protobuf/any.proto"], "imports come along")

        await #expect {
            _ = try await client.call(Coi_Core_V1_Reflection.Method.fileContainingSymbol, Coi_Core_V1_FileContainingSymbolRequest.with { $0.symbol = "no.Such" })
        } throws: { ($0 as? RPCError)?.code == .notFound }
        await client.close()
        await daemon.stop()
    }
}
