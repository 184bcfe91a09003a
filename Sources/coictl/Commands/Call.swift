import ArgumentParser
import COIProto
import COIWire
import Foundation
import SwiftProtobuf

struct Call: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Call any method with a JSON request; the reply is printed as JSON.",
        discussion: """
            The method's types are fetched from the server's Reflection service, so every method \
            works without coictl knowing it. Server-streaming replies print one JSON object per \
            line. For client-streaming methods pass a JSON array of requests. Use - to read the \
            JSON from standard input.

            Example: coictl call coi.core.v1.Diagnostics/Echo '{"message":"hej"}'
            """)
    @OptionGroup var options: GlobalOptions
    @Argument(help: "SERVICE/METHOD, e.g. coi.core.v1.Diagnostics/Echo")
    var target: String
    @Argument(help: "The request as JSON (default {}), or - for standard input.")
    var request: String = "{}"

    func run() async throws {
        let parts = target.split(separator: "/", maxSplits: 1).map(String.init)
        guard parts.count == 2, !parts[0].isEmpty, !parts[1].isEmpty else {
            throw ValidationError("target must be SERVICE/METHOD, e.g. coi.core.v1.Diagnostics/Echo")
        }
        let (service, method) = (parts[0], parts[1])
        var json = request
        if json == "-" {
            json = String(decoding: FileHandle.standardInput.readDataToEndOfFile(), as: UTF8.self)
        }
        let session = try await Session.open(options)
        defer { Task { await session.close() } }
        let files = try await session.call("coi.core.v1.Reflection", "FileContainingSymbol",
                                           Coi_Core_V1_FileContainingSymbolRequest.with { $0.symbol = service },
                                           as: Coi_Core_V1_FileDescriptorReply.self)
        let descriptors = try files.fileDescriptorProto.map { try Google_Protobuf_FileDescriptorProto(serializedBytes: $0) }
        let codec = try DynamicCodec(files: descriptors)
        guard let file = descriptors.first,
              let serviceDescriptor = file.service.first(where: { (file.package.isEmpty ? "" : file.package + ".") + $0.name == service }),
              let methodDescriptor = serviceDescriptor.method.first(where: { $0.name == method }) else {
            Output.error("NOT_FOUND: method \(method) is not declared in service \(service)")
            throw ExitCode(1)
        }
        let input = methodDescriptor.inputType, output = methodDescriptor.outputType
        func render(_ bytes: [UInt8]) throws {
            print(try codec.decode(bytes, as: output, pretty: !methodDescriptor.serverStreaming))
        }
        do {
            switch (methodDescriptor.clientStreaming, methodDescriptor.serverStreaming) {
            case (false, false):
                let payload = try encode(json, codec: codec, type: input)
                try render(try await session.connection.unary(service: service, method: method, payload: payload, timeout: options.deadline))
            case (false, true):
                let payload = try encode(json, codec: codec, type: input)
                let stream = session.connection.stream(service: service, method: method, payload: payload, clientStreaming: false,
                                                       timeout: options.deadline)
                for try await reply in stream.replies { try render(reply) }
            case (true, _):
                let stream = session.connection.stream(service: service, method: method, clientStreaming: true, timeout: options.deadline)
                for element in try splitArray(json) {
                    try await stream.send(try encode(element, codec: codec, type: input))
                }
                try await stream.closeSend()
                for try await reply in stream.replies { try render(reply) }
            }
        } catch let error as RPCError {
            throw Session.fail(error)
        }
    }

    private func encode(_ json: String, codec: DynamicCodec, type: String) throws -> [UInt8] {
        do {
            return try codec.encode(json: json, as: type)
        } catch {
            throw ValidationError("request does not fit \(type.drop { $0 == "." }): \(error)")
        }
    }

    /// Splits a JSON array into the JSON text of each element.
    private func splitArray(_ json: String) throws -> [String] {
        guard let array = try? JSONSerialization.jsonObject(with: Data(json.utf8), options: [.fragmentsAllowed]) as? [Any] else {
            throw ValidationError("a client-streaming method takes a JSON array of requests")
        }
        return try array.map { String(decoding: try JSONSerialization.data(withJSONObject: $0, options: [.fragmentsAllowed]), as: UTF8.self) }
    }
}
