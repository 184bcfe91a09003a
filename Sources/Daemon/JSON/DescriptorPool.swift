public import Foundation
public import SwiftProtobuf

/// The message, enum and service types of a set of .proto files, by fully-qualified name.
///
/// Built from `FileDescriptorProto`s — those `coi.core.v1.Reflection` serves, or a compiled-in
/// `FileDescriptorSet` — so the JSON codecs can handle types this program was not compiled with.
public struct DescriptorPool: Sendable {
    private var messages: [String: MessageDescriptor] = [:]
    private var enums: [String: EnumDescriptor] = [:]
    private var services: [String: ServiceDescriptor] = [:]
    /// The files themselves, by name, for Reflection.
    private var files: [String: Google_Protobuf_FileDescriptorProto] = [:]
    /// Which file declares each fully-qualified symbol (messages, enums, services, methods).
    private var symbols: [String: String] = [:]

    /// Indexes the types of some files. A name declared twice keeps its first declaration.
    /// - Parameter files: The files, in any order; imports need not be included, but types they declare
    ///   can then not be encoded or decoded.
    public init(files: [Google_Protobuf_FileDescriptorProto]) {
        // One walk of the tree records every symbol; messages are built afterwards from the flat
        // list, once every map entry type (which may be declared after its use) is known.
        var mapEntries: Set<String> = []
        var found: [(name: String, message: Google_Protobuf_DescriptorProto, syntax: Syntax)] = []
        for file in files {
            if self.files[file.name] == nil { self.files[file.name] = file }
            let prefix = file.package.isEmpty ? "" : file.package + "."
            let syntax = Syntax(file)
            for enumType in file.enumType {
                add(enumType, name: prefix + enumType.name)
                record(prefix + enumType.name, in: file)
            }
            Self.visit(file.messageType, prefix: prefix) { name, message in
                found.append((name, message, syntax))
                record(name, in: file)
                if message.options.mapEntry { mapEntries.insert(name) }
                for enumType in message.enumType {
                    add(enumType, name: name + "." + enumType.name)
                    record(name + "." + enumType.name, in: file)
                }
            }
            for service in file.service {
                record(prefix + service.name, in: file)
                for method in service.method { record(prefix + service.name + "." + method.name, in: file) }
            }
            for service in file.service where services[prefix + service.name] == nil {
                services[prefix + service.name] = ServiceDescriptor(
                    fullName: prefix + service.name, file: file.name,
                    methods: service.method.map {
                        ServiceDescriptor.Method(name: $0.name, inputType: Self.strip($0.inputType),
                                                 outputType: Self.strip($0.outputType),
                                                 clientStreaming: $0.clientStreaming, serverStreaming: $0.serverStreaming)
                    })
            }
        }
        for entry in found {
            add(entry.message, name: entry.name, syntax: entry.syntax, mapEntries: mapEntries)
        }
    }

    /// Indexes serialized `FileDescriptorProto`s, as in `coi.core.v1.FileDescriptorReply`.
    /// - Parameter serializedFiles: Each file's serialized `google.protobuf.FileDescriptorProto`.
    /// - Throws: When one does not decode.
    public init(serializedFiles: [Data]) throws {
        self.init(files: try serializedFiles.map { try Google_Protobuf_FileDescriptorProto(serializedBytes: $0) })
    }

    /// Indexes a serialized `google.protobuf.FileDescriptorSet` (what `protoc --descriptor_set_out` writes).
    /// - Parameter serializedFileDescriptorSet: The set's bytes.
    /// - Throws: When they do not decode.
    public init(serializedFileDescriptorSet: Data) throws {
        self.init(files: try Google_Protobuf_FileDescriptorSet(serializedBytes: serializedFileDescriptorSet).file)
    }

    /// This pool with more files indexed beside its own; a name both declare keeps this pool's declaration.
    /// - Parameter more: The files to add.
    /// - Returns: The combined pool.
    public func adding(_ more: [Google_Protobuf_FileDescriptorProto]) -> DescriptorPool {
        DescriptorPool(files: files.values.sorted { $0.name < $1.name } + more)
    }

    /// A message type.
    /// - Parameter name: The fully-qualified name, with or without a leading dot.
    /// - Returns: The message, or nil when no file declares it.
    public func message(named name: String) -> MessageDescriptor? {
        messages[Self.strip(name)]
    }

    /// An enum type.
    /// - Parameter name: The fully-qualified name, with or without a leading dot.
    /// - Returns: The enum, or nil when no file declares it.
    public func enumType(named name: String) -> EnumDescriptor? {
        enums[Self.strip(name)]
    }

    /// A service.
    /// - Parameter name: The fully-qualified name, e.g. `coi.core.v1.Diagnostics`.
    /// - Returns: The service, or nil when no file declares it.
    public func service(named name: String) -> ServiceDescriptor? {
        services[Self.strip(name)]
    }

    /// The file declaring a symbol and all it imports, serialized, the file first.
    /// - Parameter symbol: A fully-qualified service, method, message or enum name.
    /// - Returns: Serialized FileDescriptorProtos, or nil when the symbol is unknown.
    public func fileContaining(symbol: String) -> [Data]? {
        symbols[Self.strip(symbol)].flatMap { file(named: $0) }
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

    /// The fully-qualified names of every service, sorted.
    public var serviceNames: [String] { services.keys.sorted() }

    /// The fully-qualified names of every message type, sorted.
    public var messageNames: [String] { messages.keys.sorted() }

    // MARK: - Indexing

    /// How a file's syntax decides field presence and packing.
    private enum Syntax {
        case proto2, proto3
        case editions(Google_Protobuf_FeatureSet)

        init(_ file: Google_Protobuf_FileDescriptorProto) {
            switch file.syntax {
            case "proto3": self = .proto3
            case "editions": self = .editions(file.options.features)
            default: self = .proto2
            }
        }
    }

    private mutating func record(_ symbol: String, in file: Google_Protobuf_FileDescriptorProto) {
        if symbols[symbol] == nil { symbols[symbol] = file.name }
    }

    private static func strip(_ name: String) -> String {
        name.hasPrefix(".") ? String(name.dropFirst()) : name
    }

    /// Calls `body` for every message, nested ones included, with its fully-qualified name.
    private static func visit(_ messages: [Google_Protobuf_DescriptorProto], prefix: String,
                              _ body: (String, Google_Protobuf_DescriptorProto) -> Void) {
        for message in messages {
            let name = prefix + message.name
            body(name, message)
            visit(message.nestedType, prefix: name + ".", body)
        }
    }

    private mutating func add(_ enumType: Google_Protobuf_EnumDescriptorProto, name: String) {
        guard enums[name] == nil else { return }
        enums[name] = EnumDescriptor(fullName: name, values: enumType.value.map { .init(name: $0.name, number: $0.number) })
    }

    private mutating func add(_ message: Google_Protobuf_DescriptorProto, name: String, syntax: Syntax, mapEntries: Set<String>) {
        guard messages[name] == nil else { return }
        // Synthetic oneofs (proto3 `optional`) only give presence; real ones keep their indices.
        let synthetic = Set(message.field.filter { $0.proto3Optional && $0.hasOneofIndex }.map { Int($0.oneofIndex) })
        let fields = message.field.map { field -> FieldDescriptor in
            let repeated = field.label == .repeated
            let typeName = Self.strip(field.typeName)
            let isMap = repeated && field.type == .message && mapEntries.contains(typeName)
            let inOneof = field.hasOneofIndex && !synthetic.contains(Int(field.oneofIndex))
            return FieldDescriptor(
                name: field.name, jsonName: field.hasJsonName ? field.jsonName : nil, number: field.number,
                kind: field.type, typeName: typeName, isRepeated: repeated, isMap: isMap,
                isPacked: repeated && Self.packed(field, syntax),
                hasPresence: !repeated && (field.type == .message || field.type == .group || field.hasOneofIndex
                    || Self.explicitPresence(field, syntax)),
                oneofIndex: inOneof ? Int(field.oneofIndex) : nil)
        }
        let oneofNames = message.oneofDecl.enumerated().map { synthetic.contains($0.offset) ? "" : $0.element.name }
        messages[name] = MessageDescriptor(fullName: name, fields: fields, oneofNames: oneofNames,
                                           isMapEntry: message.options.mapEntry)
    }

    private static func packed(_ field: Google_Protobuf_FieldDescriptorProto, _ syntax: Syntax) -> Bool {
        switch syntax {
        case .proto2: return field.options.packed
        case .proto3: return field.options.hasPacked ? field.options.packed : true
        case let .editions(features):
            if field.options.features.hasRepeatedFieldEncoding {
                return field.options.features.repeatedFieldEncoding != .expanded
            }
            return features.repeatedFieldEncoding != .expanded
        }
    }

    private static func explicitPresence(_ field: Google_Protobuf_FieldDescriptorProto, _ syntax: Syntax) -> Bool {
        switch syntax {
        case .proto2: return true
        case .proto3: return field.proto3Optional
        case let .editions(features):
            if field.options.features.hasFieldPresence { return field.options.features.fieldPresence != .implicit }
            return features.fieldPresence != .implicit
        }
    }
}
