public import COIPluginKit
import COIJSON
import COIProto
public import Foundation
import SwiftProtobuf

/// Every .proto file of the API (compiled in from protos/), indexed once by the JSON codec's
/// `DescriptorPool`: Reflection serves files and services from it, and the plugin host checks
/// routes against it.
public struct DescriptorIndex: Sendable {
    let pool: DescriptorPool

    /// The index of the compiled-in descriptor set.
    public static let api: DescriptorIndex = {
        let data = Data(base64Encoded: coiDescriptorSetBase64) ?? Data()
        return DescriptorIndex(pool: (try? DescriptorPool(serializedFileDescriptorSet: data)) ?? DescriptorPool(files: []))
    }()

    /// The index with the protos that plugins bring themselves (`Plugin.descriptorSet`) added.
    /// - Parameter plugins: The plugins.
    /// - Returns: The combined index.
    /// - Throws: `PluginGraph.Failure` naming a plugin whose descriptor set does not decode.
    public func adding(descriptorsOf plugins: [any Plugin]) throws -> DescriptorIndex {
        var files: [Google_Protobuf_FileDescriptorProto] = []
        for plugin in plugins where !plugin.descriptorSet.isEmpty {
            do {
                files += try Google_Protobuf_FileDescriptorSet(serializedBytes: plugin.descriptorSet).file
            } catch {
                throw PluginGraph.Failure(description: "plugin \(plugin.id): its descriptor set does not decode: \(error)")
            }
        }
        return files.isEmpty ? self : DescriptorIndex(pool: pool.adding(files))
    }

    /// Every service, by fully-qualified name.
    var services: [String: ServiceDescriptor] {
        Dictionary(uniqueKeysWithValues: pool.serviceNames.compactMap { name in pool.service(named: name).map { (name, $0) } })
    }

    /// The file declaring a symbol and all it imports, serialized, the file first.
    /// - Parameter symbol: A fully-qualified service, method, message or enum name.
    /// - Returns: Serialized FileDescriptorProtos, or nil when the symbol is unknown.
    public func fileContaining(symbol: String) -> [Data]? { pool.fileContaining(symbol: symbol) }

    /// A file and all it imports, serialized, the file first.
    /// - Parameter name: The file's name, e.g. "coi/core/v1/diagnostics.proto".
    /// - Returns: Serialized FileDescriptorProtos, or nil when the file is unknown.
    public func file(named name: String) -> [Data]? { pool.file(named: name) }

    /// Checks that every route names a declared service and method with the same call shape.
    /// - Parameter router: The routes to check.
    /// - Returns: One line per mismatch; empty when all routes are declared.
    public func problems(in router: Router) -> [String] {
        router.routes.values.sorted { $0.path < $1.path }.compactMap { route in
            guard let service = pool.service(named: route.service) else {
                return "\(route.path): service \(route.service) is not declared in any .proto under protos/"
            }
            guard let method = service.method(named: route.method) else {
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
