public import COIPluginKit
import COIProto
public import Foundation
import SwiftProtobuf

/// Every .proto file of the API (compiled in from protos/) and which file declares which symbol.
public struct DescriptorIndex: Sendable {
    private let files: [String: Google_Protobuf_FileDescriptorProto]
    private let symbols: [String: String]
    /// Service name → (file, methods).
    let services: [String: (file: String, descriptor: Google_Protobuf_ServiceDescriptorProto)]

    /// The index of the compiled-in descriptor set.
    public static let api: DescriptorIndex = {
        let data = Data(base64Encoded: coiDescriptorSetBase64) ?? Data()
        let set = (try? Google_Protobuf_FileDescriptorSet(serializedBytes: data)) ?? Google_Protobuf_FileDescriptorSet()
        return DescriptorIndex(files: set.file)
    }()

    init(files list: [Google_Protobuf_FileDescriptorProto]) {
        var files: [String: Google_Protobuf_FileDescriptorProto] = [:]
        var symbols: [String: String] = [:]
        var services: [String: (file: String, descriptor: Google_Protobuf_ServiceDescriptorProto)] = [:]
        for file in list {
            files[file.name] = file
            let prefix = file.package.isEmpty ? "" : file.package + "."
            func addMessages(_ messages: [Google_Protobuf_DescriptorProto], _ scope: String) {
                for message in messages {
                    let name = scope + message.name
                    symbols[name] = file.name
                    for e in message.enumType { symbols[name + "." + e.name] = file.name }
                    addMessages(message.nestedType, name + ".")
                }
            }
            addMessages(file.messageType, prefix)
            for e in file.enumType { symbols[prefix + e.name] = file.name }
            for service in file.service {
                let name = prefix + service.name
                symbols[name] = file.name
                services[name] = (file.name, service)
                for method in service.method { symbols[name + "." + method.name] = file.name }
            }
        }
        self.files = files
        self.symbols = symbols
        self.services = services
    }

    /// The file declaring a symbol and all it imports, serialized, the file first.
    /// - Parameter symbol: A fully-qualified service, method, message or enum name.
    /// - Returns: Serialized FileDescriptorProtos, or nil when the symbol is unknown.
    public func fileContaining(symbol: String) -> [Data]? {
        let symbol = symbol.hasPrefix(".") ? String(symbol.dropFirst()) : symbol
        return symbols[symbol].flatMap { file(named: $0) }
    }

    /// A file and all it imports, serialized, the file first.
    /// - Parameter name: The file's name, e.g. "coi/core/v1/diagnostics.proto".
    /// - Returns: Serialized FileDescriptorProtos, or nil when the file is unknown.
    public func file(named name: String) -> [Data]? {
        guard files[name] != nil else { return nil }
        var ordered: [String] = []
        var seen: Set<String> = []
        var queue = [name]
        while !queue.isEmpty {
            let next = queue.removeFirst()
            guard seen.insert(next).inserted, let file = files[next] else { continue }
            ordered.append(next)
            queue += file.dependency
        }
        return ordered.compactMap { name -> Data? in try? files[name]?.serializedData() }
    }

    /// Checks that every route names a declared service and method with the same call shape.
    /// - Parameter router: The routes to check.
    /// - Returns: One line per mismatch; empty when all routes are declared.
    public func problems(in router: Router) -> [String] {
        router.routes.values.sorted { $0.path < $1.path }.compactMap { route in
            guard let service = services[route.service] else {
                return "\(route.path): service \(route.service) is not declared in any .proto under protos/"
            }
            guard let method = service.descriptor.method.first(where: { $0.name == route.method }) else {
                return "\(route.path): method \(route.method) is not declared in service \(route.service)"
            }
            let kind = route.handler.kind
            if method.clientStreaming != kind.clientStreams || method.serverStreaming != kind.serverStreams {
                return "\(route.path): registered as \(kind.rawValue) but the .proto declares it otherwise"
            }
            return nil
        }
    }
}
