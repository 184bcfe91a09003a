import COIProto
import COIWire
import Foundation
import NIOCore
import SwiftProtobuf

/// A blocking Unix-socket connection that writes arbitrary bytes and reads frames: for bad input
/// the real client would never send.
final class RawConnection {
    let fd: Int32
    private var buffer = ByteBuffer()
    private var parser = FrameParser()

    init(path: String) throws {
        owned = true
        fd = socket(AF_UNIX, Int32(SOCK_STREAM.rawValue), 0)
        var address = sockaddr_un()
        address.sun_family = sa_family_t(AF_UNIX)
        let bytes = Array(path.utf8)
        withUnsafeMutableBytes(of: &address.sun_path) { $0.copyBytes(from: bytes + [0]) }
        let rc = withUnsafePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { Foundation.connect(fd, $0, socklen_t(MemoryLayout<sockaddr_un>.size)) }
        }
        if rc != 0 { throw DaemonError("connect failed: errno \(errno)") }
    }

    private let owned: Bool

    /// A second handle on `fd` (a writer on another thread); the first one closes it.
    init(sharing fd: Int32) {
        self.fd = fd
        owned = false
    }

    deinit { if owned { close(fd) } }

    func write(_ bytes: [UInt8]) {
        var offset = 0
        while offset < bytes.count {
            let n = bytes[offset...].withUnsafeBytes { Foundation.write(fd, $0.baseAddress, $0.count) }
            if n <= 0 { return }
            offset += n
        }
    }

    func send(_ frame: Frame) {
        var out = ByteBuffer()
        frame.encode(into: &out)
        write(Array(buffer: out))
    }

    func sendRequest(_ id: UInt32, service: String, method: String, payload: some Message, flags: FrameFlags = [],
                     metadata: [(String, String)] = [], timeoutNano: Int64 = 0) throws {
        var request = Ttrpc_Request()
        request.service = service
        request.method = method
        request.payload = try payload.serializedData()
        request.timeoutNano = timeoutNano
        request.metadata = metadata.map { k, v in Ttrpc_KeyValue.with { $0.key = k; $0.value = v } }
        send(Frame(streamID: id, type: .request, flags: flags, payload: ByteBuffer(bytes: try request.serializedBytes() as [UInt8])))
    }

    /// Reads the next frame; nil when the server closed the connection or nothing came within 20 s.
    func readFrame() -> Frame? {
        while true {
            if case let .frame(frame)? = try? parser.next(from: &buffer) { return frame }
            var pfd = pollfd(fd: fd, events: Int16(POLLIN), revents: 0)
            guard poll(&pfd, 1, 20_000) > 0 else { return nil }
            var chunk = [UInt8](repeating: 0, count: 65536)
            let n = chunk.withUnsafeMutableBytes { read(fd, $0.baseAddress, $0.count) }
            if n <= 0 { return nil }
            buffer.writeBytes(chunk[0..<n])
        }
    }

    /// Reads the next frame and decodes it as a Response.
    func readResponse() throws -> (streamID: UInt32, response: Ttrpc_Response) {
        guard let frame = readFrame() else { throw DaemonError("connection closed while waiting for a Response") }
        guard frame.type == .response else { throw DaemonError("expected a Response, got \(frame.rawType)") }
        return (frame.streamID, try Ttrpc_Response(serializedBytes: Array(buffer: frame.payload)))
    }
}
