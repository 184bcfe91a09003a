import ArgumentParser
import COIProto
import COIJSON
import COIWire
import Foundation
import SwiftProtobuf

/// `coictl call SERVICE/METHOD [JSON]`: any method of the running daemon, JSON in and out. The message
/// types come from the daemon's `coi.core.v1.Reflection`, so coictl need not have been built with them.
struct Call: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Call any method with a JSON request and print the reply as JSON.",
        discussion: """
            TARGET is SERVICE/METHOD, e.g. coi.core.v1.Diagnostics/Echo. The request is JSON in the proto3 \
            mapping (field names as in the .proto or in lowerCamelCase, 64-bit integers as numbers or strings, \
            enums by name); give it as an argument, or as - or not at all to read it from stdin ({} when stdin \
            is a terminal). Client-streaming methods take a JSON list of requests (or one per line).

            The reply prints as pretty JSON with sorted keys; with --json as one compact line. Server-streaming \
            methods print each reply as one line as it arrives. Replies follow coictl's JSON rules: the .proto's \
            field names, 64-bit integers as numbers, enums by name, fields at their default included. The call's deadline (--timeout) covers the \
            whole stream.

            --describe prints the method and its message types instead of calling it; with TARGET just \
            SERVICE it lists the service's methods.

            Exit codes: 0 success; 1 the server rejected the request or there is no such service or method; \
            64 the request is not valid JSON for the method's request type; 69 cannot connect to coid.
            """)

    @OptionGroup var options: GlobalOptions

    @Argument(help: ArgumentHelp("The method to call, e.g. coi.core.v1.Diagnostics/Echo.", valueName: "service/method"))
    var target: String

    @Argument(help: ArgumentHelp("The request as JSON; - or absent reads stdin.", valueName: "json"))
    var request: String?

    @Flag(help: "Print the method's request and reply types instead of calling it.")
    var describe = false

    func validate() throws {
        let parts = target.split(separator: "/", omittingEmptySubsequences: false)
        guard parts.count <= 2, !parts[0].isEmpty, parts.count == 2 ? !parts[1].isEmpty : describe else {
            throw ValidationError("expected SERVICE/METHOD, e.g. coi.core.v1.Diagnostics/Echo, not \"\(target)\"")
        }
    }

    func run() async throws {
        let parts = target.split(separator: "/", omittingEmptySubsequences: false).map(String.init)
        try await Session.with(options) { try await call(parts, $0) }
    }

    private func call(_ parts: [String], _ session: Session) async throws {
        let serviceName = parts[0]
        let pool = try await descriptors(of: serviceName, session)
        guard let service = pool.service(named: serviceName) else {
            Output.failure(code: "NOT_FOUND", message: "unknown service \"\(serviceName)\": the daemon's descriptors do not declare it")
            throw ExitCode(1)
        }
        guard parts.count == 2 else {
            printMethods(of: service)
            return
        }
        guard let method = service.method(named: parts[1]) else {
            Output.failure(code: "NOT_FOUND", message: "unknown method \"\(parts[1])\": service \(serviceName) has \(service.methods.map(\.name).joined(separator: ", "))")
            throw ExitCode(1)
        }
        if describe {
            printDescription(of: method, in: service, pool)
            return
        }

        let payloads = try encodeRequests(for: method, pool)
        let json = ProtoJSON(pool: pool)
        let connection = session.connection
        do {
            if !method.clientStreaming && !method.serverStreaming {
                let reply = try await connection.unary(service: service.fullName, method: method.name, payload: payloads[0],
                                                       metadata: options.metadata, timeout: options.deadline)
                try emit(reply, as: method.outputType, json, pretty: !options.json)
                return
            }
            let stream = connection.stream(service: service.fullName, method: method.name,
                                           payload: method.clientStreaming ? [] : payloads[0],
                                           clientStreaming: method.clientStreaming,
                                           metadata: options.metadata, timeout: options.deadline)
            if method.clientStreaming {
                if payloads.isEmpty { try await stream.closeSend() }
                for (index, payload) in payloads.enumerated() {
                    try await stream.send(payload, end: index == payloads.count - 1)
                }
            }
            for try await reply in stream.replies {
                try emit(reply, as: method.outputType, json, pretty: !options.json && !method.serverStreaming)
            }
        } catch let error as RPCError {
            throw session.fail(error)
        }
    }

    // MARK: - Descriptors

    /// The file declaring the service and everything it imports, from Reflection.
    private func descriptors(of serviceName: String, _ session: Session) async throws -> DescriptorPool {
        let reply: Coi_Core_V1_FileDescriptorReply
        do {
            reply = try await session.connection.call(Coi_Core_V1_Reflection.Method.fileContainingSymbol, Coi_Core_V1_FileContainingSymbolRequest.with { $0.symbol = serviceName },
                                                      metadata: options.metadata, timeout: options.deadline)
        } catch let error as RPCError where error.code == .notFound {
            var message = "unknown service \"\(serviceName)\""
            if let served = try? await session.connection.call(Coi_Core_V1_Reflection.Method.listServices, Coi_Core_V1_ListServicesRequest(),
                                                                metadata: options.metadata, timeout: options.deadline) {
                message += "; coid serves " + served.services.map(\.name).joined(separator: ", ")
            }
            Output.failure(code: "NOT_FOUND", message: message)
            throw ExitCode(1)
        } catch let error as RPCError {
            throw session.fail(error)
        }
        do {
            return try DescriptorPool(serializedFiles: reply.fileDescriptorProto)
        } catch {
            Output.failure(code: "INTERNAL", message: "the daemon's descriptors for \(serviceName) do not decode: \(error)")
            throw ExitCode(1)
        }
    }

    // MARK: - Requests and replies

    /// The serialized requests: exactly one, or any number for client streaming. Bad JSON exits 64.
    private func encodeRequests(for method: ServiceDescriptor.Method, _ pool: DescriptorPool) throws -> [[UInt8]] {
        let text = try requestText()
        let trimmed = text.trimmingCharacters(in: .whitespacesAndNewlines)
        let encoder = DynamicJSONEncoder(pool: pool)
        var messages: [Any]
        if trimmed.isEmpty {
            messages = method.clientStreaming ? [] : [[String: Any]()]
        } else {
            do {
                messages = [try DynamicJSONEncoder.parse(Data(trimmed.utf8))]
            } catch {
                guard method.clientStreaming, trimmed.contains("\n") else { throw usage("the request is \(error.description)") }
                // Not one JSON value: one request per line.
                messages = []
                for (number, line) in trimmed.split(separator: "\n").enumerated() where !line.allSatisfy(\.isWhitespace) {
                    do {
                        messages.append(try DynamicJSONEncoder.parse(Data(line.utf8)))
                    } catch {
                        throw usage("request line \(number + 1) is \(error.description)")
                    }
                }
            }
            if method.clientStreaming, messages.count == 1, let list = messages[0] as? [Any] { messages = list }
        }
        var payloads: [[UInt8]] = []
        for (index, message) in messages.enumerated() {
            do {
                payloads.append(try encoder.encode(message, as: method.inputType))
            } catch {
                let which = messages.count > 1 || method.clientStreaming ? "request \(index + 1)" : "request"
                throw usage("\(which) does not fit \(method.inputType): \(error.description)")
            }
        }
        return payloads
    }

    /// The JSON argument, or stdin for `-` or no argument ("{}" when stdin is a terminal).
    private func requestText() throws -> String {
        if let request, request != "-" { return request }
        if request == nil && isatty(FileHandle.standardInput.fileDescriptor) != 0 { return "{}" }
        let data = FileHandle.standardInput.readDataToEndOfFile()
        guard let text = String(data: data, encoding: .utf8) else { throw usage("stdin is not UTF-8 text") }
        return text
    }

    private func usage(_ message: String) -> ExitCode {
        Output.failure(code: "USAGE", message: message)
        return ExitCode(64)
    }

    /// Prints one reply as JSON: pretty, or on one line. Flushed so streamed lines show as they come.
    private func emit(_ reply: [UInt8], as type: String, _ json: ProtoJSON, pretty: Bool) throws {
        do {
            Output.json(try json.value(reply, as: type), pretty: pretty, flush: true)
        } catch {
            Output.failure(code: "INTERNAL", message: "cannot decode the reply as \(type): \(error.description)")
            throw ExitCode(1)
        }
    }

    // MARK: - --describe

    private func printMethods(of service: ServiceDescriptor) {
        if options.json {
            Output.json(["service": service.fullName, "file": service.file, "methods": service.methods.map(Self.json)])
            return
        }
        Output.line("service \(service.fullName) {  // \(service.file)")
        for method in service.methods { Output.line("  " + Self.signature(method)) }
        Output.line("}")
    }

    private func printDescription(of method: ServiceDescriptor.Method, in service: ServiceDescriptor, _ pool: DescriptorPool) {
        var messages: [MessageDescriptor] = []
        var enums: [EnumDescriptor] = []
        var pending = [method.inputType, method.outputType]
        var seen: Set<String> = []
        while let name = pending.first {
            pending.removeFirst()
            guard seen.insert(name).inserted else { continue }
            if let message = pool.message(named: name) {
                messages.append(message)
                pending += message.fields.filter { $0.kind == .message || $0.kind == .enum }.map(\.typeName)
            } else if let enumType = pool.enumType(named: name) {
                enums.append(enumType)
            }
        }
        if options.json {
            var object = Self.json(method)
            object["service"] = service.fullName
            object["messages"] = Dictionary(uniqueKeysWithValues: messages.map { message in
                (message.fullName, message.fields.map { field -> [String: Any] in
                    ["name": field.name, "json_name": field.jsonName, "number": Int(field.number), "type": field.typeDisplayName,
                     "repeated": field.isRepeated, "map": field.isMap]
                })
            })
            object["enums"] = Dictionary(uniqueKeysWithValues: enums.map { enumType in
                (enumType.fullName, Dictionary(enumType.values.map { ($0.name, Int($0.number)) }) { first, _ in first })
            })
            Output.json(object)
            return
        }
        Output.line("\(service.fullName)/\(method.name)")
        Output.line(Self.signature(method))
        for message in messages where !message.isMapEntry {
            Output.line("")
            Output.line("message \(message.fullName) {")
            for field in message.fields { Output.line("  " + Self.declaration(field, in: message, pool)) }
            Output.line("}")
        }
        for enumType in enums {
            Output.line("")
            Output.line("enum \(enumType.fullName) {")
            for value in enumType.values { Output.line("  \(value.name) = \(value.number);") }
            Output.line("}")
        }
    }

    private static func signature(_ method: ServiceDescriptor.Method) -> String {
        "rpc \(method.name)(\(method.clientStreaming ? "stream " : "")\(method.inputType)) returns "
            + "(\(method.serverStreaming ? "stream " : "")\(method.outputType));"
    }

    private static func json(_ method: ServiceDescriptor.Method) -> [String: Any] {
        ["name": method.name, "input_type": method.inputType, "output_type": method.outputType,
         "client_streaming": method.clientStreaming, "server_streaming": method.serverStreaming]
    }

    /// A field as in a .proto file, with its JSON name when that differs.
    private static func declaration(_ field: FieldDescriptor, in message: MessageDescriptor, _ pool: DescriptorPool) -> String {
        var type = field.typeDisplayName
        if field.isMap, let entry = pool.message(named: field.typeName),
           let key = entry.field(number: 1), let value = entry.field(number: 2) {
            type = "map<\(key.typeDisplayName), \(value.typeDisplayName)>"
        } else if field.isRepeated {
            type = "repeated " + type
        }
        var line = "\(type) \(field.name) = \(field.number);"
        var notes: [String] = []
        if field.jsonName != field.name { notes.append("JSON \"\(field.jsonName)\"") }
        if let oneof = field.oneofIndex { notes.append("oneof \(message.oneofNames[oneof])") }
        if !notes.isEmpty { line += "  // " + notes.joined(separator: ", ") }
        return line
    }
}
