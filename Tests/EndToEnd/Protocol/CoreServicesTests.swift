import COIBuiltInPlugins
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
        let core = try await client.call(Grpc_Health_V1_Health.Method.check, Grpc_Health_V1_HealthCheckRequest.with { $0.service = Coi_Core_V1_Diagnostics.service.name })
        #expect(core.status == .serving)
        await #expect {
            _ = try await client.call(Grpc_Health_V1_Health.Method.check, Grpc_Health_V1_HealthCheckRequest.with { $0.service = "coi.nope.v1.X" })
        } throws: { ($0 as? RPCError)?.code == .notFound }

        let watch = try client.stream(Grpc_Health_V1_Health.Method.watch)
        var updates = watch.replies.makeAsyncIterator()
        #expect(try await updates.next()?.status == .serving)
        daemon.signal(SIGTERM)
        // NOT_SERVING may come first; the stream then ends with UNAVAILABLE (issue 10 item 7).
        var end: RPCError?
        do {
            while let update = try await updates.next() { #expect(update.status == .notServing) }
        } catch {
            end = error as? RPCError
        }
        #expect(end?.code == .unavailable && end?.reason == "SHUTTING_DOWN", "Watch ends UNAVAILABLE on shutdown: \(String(describing: end))")
        #expect(await daemon.waitForExit() == 0)
    }

    @Test func introspection() async throws {
        let daemon = try await DaemonProcess()
        let client = try await daemon.connect()
        let plugins = try await client.call(Coi_Core_V1_Introspection.Method.plugins, Coi_Core_V1_PluginsRequest())
        let core = try #require(plugins.plugins.first { $0.id == "coi.core" })
        #expect(core.status == .ok)
        #expect(core.services.contains(Coi_Core_V1_Diagnostics.service.name))
        // Every built-in plugin runs and serves exactly the services it declares.
        for plugin in BuiltInPlugins.all {
            let info = try #require(plugins.plugins.first { $0.id == plugin.id }, "\(plugin.id) is not listed")
            #expect(info.status == .ok, "\(plugin.id): \(info.reason)")
            #expect(info.services == plugin.services.map(\.name))
        }
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
        // Reflection lists exactly what the running plugins serve, and that includes every built-in plugin.
        let plugins = try await client.call(Coi_Core_V1_Introspection.Method.plugins, Coi_Core_V1_PluginsRequest())
        let served = Set(plugins.plugins.filter { $0.status == .ok }.flatMap(\.services))
        #expect(Set(list.services.map(\.name)) == served)
        #expect(served.isSuperset(of: BuiltInPlugins.all.flatMap(\.services).map(\.name)))
        #expect(served.isSuperset(of: [Grpc_Health_V1_Health.service.name, Coi_Core_V1_Reflection.service.name]))
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
