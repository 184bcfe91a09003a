import COIPluginKit
import COIProto

extension CorePlugin {
    func registerReflection(_ router: inout Router) {
        let descriptors = self.descriptors
        let status = self.status
        router.unary(Coi_Core_V1_Reflection.Method.listServices, .open) { (_: Coi_Core_V1_ListServicesRequest, _) -> Coi_Core_V1_ListServicesReply in
            let served = Set(status.plugins.filter { $0.status == .ok }.flatMap(\.services))
            return .with { reply in
                reply.services = descriptors.services.values.filter { served.contains($0.fullName) }.sorted { $0.fullName < $1.fullName }.map { service in
                    .with { info in
                        info.name = service.fullName
                        info.file = service.file
                        info.methods = service.methods.map { method in
                            .with {
                                $0.name = method.name
                                $0.inputType = method.inputType
                                $0.outputType = method.outputType
                                $0.clientStreaming = method.clientStreaming
                                $0.serverStreaming = method.serverStreaming
                            }
                        }
                    }
                }
            }
        }
        router.unary(Coi_Core_V1_Reflection.Method.fileContainingSymbol, .open) { (request: Coi_Core_V1_FileContainingSymbolRequest, _) -> Coi_Core_V1_FileDescriptorReply in
            guard !request.symbol.isEmpty else { throw RPCError.invalidField("symbol", "must not be empty") }
            guard let files = descriptors.fileContaining(symbol: request.symbol) else {
                throw RPCError(.notFound, "no file declares symbol \(request.symbol)", reason: "UNKNOWN_SYMBOL")
            }
            return .with { $0.fileDescriptorProto = files }
        }
        router.unary(Coi_Core_V1_Reflection.Method.fileByFilename, .open) { (request: Coi_Core_V1_FileByFilenameRequest, _) -> Coi_Core_V1_FileDescriptorReply in
            guard !request.filename.isEmpty else { throw RPCError.invalidField("filename", "must not be empty") }
            guard let files = descriptors.file(named: request.filename) else {
                throw RPCError(.notFound, "no file named \(request.filename)", reason: "UNKNOWN_FILE")
            }
            return .with { $0.fileDescriptorProto = files }
        }
    }
}
