import Foundation
import Testing

/// `coictl call` against the real daemon: JSON encoded and decoded through the Reflection service.
@Suite(.serialized) struct CoictlCallTests {
    func call(_ daemon: DaemonProcess, _ arguments: [String], input: String? = nil) async throws -> (status: Int32, stdout: String, stderr: String) {
        try await runCommand(DaemonProcess.coictl, ["call", "--socket", daemon.socketPath] + arguments, input: input)
    }

    func object(_ text: String) throws -> [String: Any] {
        try #require(try JSONSerialization.jsonObject(with: Data(text.utf8)) as? [String: Any], "not a JSON object: \(text)")
    }

    @Test func callsUnaryAndStreamingMethods() async throws {
        let daemon = try await DaemonProcess()
        let echo = try await call(daemon, ["coi.core.v1.Diagnostics/Echo", #"{"message":"hej Århus"}"#])
        #expect(echo.status == 0, "\(echo.stderr)")
        #expect(try object(echo.stdout)["message"] as? String == "hej Århus")
        #expect(echo.stdout.contains("\n  "), "pretty by default")

        let compact = try await call(daemon, ["--json", "coi.core.v1.Diagnostics/Echo", #"{"message":"a/b"}"#])
        // One line, slashes unescaped, every field present (index at its default 0).
        #expect(compact.stdout == #"{"index":0,"message":"a/b"}"# + "\n")

        let health = try await call(daemon, ["grpc.health.v1.Health/Check", "{}"])
        #expect(health.status == 0, "\(health.stderr)")
        #expect(try object(health.stdout)["status"] as? String == "SERVING")

        // int64 fields print as strings; original field names are accepted on input.
        let server = try await call(daemon, ["coi.core.v1.Introspection/Server", "-"], input: "{}")
        let reply = try object(server.stdout)
        #expect(reply["pid"] as? Int != nil && reply["database_path"] as? String != nil, "\(server.stdout)")

        let stream = try await call(daemon, ["coi.core.v1.Diagnostics/EchoStream", #"{"message":"x","repeat":3}"#])
        let lines = stream.stdout.split(separator: "\n")
        #expect(lines.count == 3, "\(stream.stdout)")
        #expect(try lines.map { try object(String($0))["message"] as? String } == ["x", "x", "x"])

        let chat = try await call(daemon, ["coi.core.v1.Diagnostics/EchoChat"], input: "{\"message\":\"a\"}\n{\"message\":\"b\"}\n")
        #expect(chat.stdout.split(separator: "\n").count == 2, "\(chat.stdout) \(chat.stderr)")
        await daemon.stop()
    }

    @Test func rejectsUnknownMethodsAndBadJSON() async throws {
        let daemon = try await DaemonProcess()
        let method = try await call(daemon, ["coi.core.v1.Diagnostics/Ecco", "{}"])
        #expect(method.status == 1)
        #expect(method.stderr.contains("Ecco") && method.stderr.contains("Echo"), "\(method.stderr)")

        let service = try await call(daemon, ["coi.nope.v1.Nothing/Do", "{}"])
        #expect(service.status == 1)
        #expect(service.stderr.contains("coi.nope.v1.Nothing"), "\(service.stderr)")

        let field = try await call(daemon, ["coi.core.v1.Diagnostics/Echo", #"{"mesage":"x"}"#])
        #expect(field.status == 64)
        #expect(field.stderr.contains(#"unknown field "mesage" in coi.core.v1.EchoRequest"#), "\(field.stderr)")

        let type = try await call(daemon, ["coi.core.v1.Diagnostics/Echo", #"{"repeat":"many"}"#])
        #expect(type.status == 64 && type.stderr.contains("repeat"), "\(type.stderr)")

        let syntax = try await call(daemon, ["coi.core.v1.Diagnostics/Echo", #"{"message":"#])
        #expect(syntax.status == 64 && syntax.stderr.contains("not valid JSON"), "\(syntax.stderr)")

        let usage = try await call(daemon, ["Echo", "{}"])
        #expect(usage.status == 64)

        // A request the server refuses is a rejection, with the field named.
        let rejected = try await call(daemon, ["coi.core.v1.Diagnostics/Sleep", #"{"millis":700000}"#])
        #expect(rejected.status == 1 && rejected.stderr.contains("INVALID_ARGUMENT") && rejected.stderr.contains("millis"))
        await daemon.stop()
    }

    @Test func describesWithoutCalling() async throws {
        let daemon = try await DaemonProcess()
        let method = try await call(daemon, ["--describe", "coi.core.v1.Introspection/Plugins"])
        #expect(method.status == 0, "\(method.stderr)")
        #expect(method.stdout.contains("rpc Plugins(coi.core.v1.PluginsRequest) returns (coi.core.v1.PluginsReply);"))
        #expect(method.stdout.contains("enum coi.core.v1.PluginInfo.Status"))

        let service = try await call(daemon, ["--describe", "coi.core.v1.Diagnostics"])
        #expect(service.stdout.contains("rpc EchoStream(coi.core.v1.EchoRequest) returns (stream coi.core.v1.EchoReply);"))
        await daemon.stop()
    }
}
