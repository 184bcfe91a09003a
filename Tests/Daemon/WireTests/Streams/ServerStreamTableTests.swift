import NIOCore
import Testing
@testable import COIWire

@Suite struct ServerStreamTableTests {
    func request(_ id: UInt32, flags: FrameFlags = []) -> FrameEvent {
        .frame(Frame(streamID: id, type: .request, flags: flags, payload: ByteBuffer()))
    }

    func data(_ id: UInt32, flags: FrameFlags = [], bytes: [UInt8] = [1]) -> FrameEvent {
        .frame(Frame(streamID: id, type: .data, flags: flags, payload: ByteBuffer(bytes: bytes)))
    }

    func rejection(_ verdict: ServerStreamTable.Verdict) -> (UInt32, StatusCode, Bool)? {
        if case let .reject(id, error, cancels) = verdict { return (id, error.code, cancels) }
        return nil
    }

    @Test func oddIncreasingIdsOpen() {
        var table = ServerStreamTable(maxConcurrentStreams: 10)
        for id: UInt32 in [1, 3, 9] {
            guard case .open(id, _, _) = table.receive(request(id)) else {
                Issue.record("stream \(id) did not open")
                return
            }
        }
        #expect(table.activeCount == 3)
    }

    @Test func evenIdIsRejected() {
        var table = ServerStreamTable(maxConcurrentStreams: 10)
        let r = rejection(table.receive(request(2)))
        #expect(r?.0 == 2 && r?.1 == .invalidArgument)
    }

    @Test func reusedAndDecreasingIdsAreRejected() {
        var table = ServerStreamTable(maxConcurrentStreams: 10)
        _ = table.receive(request(5))
        #expect(rejection(table.receive(request(5)))?.1 == .invalidArgument)
        #expect(rejection(table.receive(request(3)))?.1 == .invalidArgument)
        table.finish(5)
        #expect(rejection(table.receive(request(5)))?.1 == .invalidArgument, "a finished id stays used")
        guard case .open = table.receive(request(7)) else {
            Issue.record("7 should open")
            return
        }
    }

    @Test func dataOnUnknownStreamIsRejectedWithoutCancelling() {
        var table = ServerStreamTable(maxConcurrentStreams: 10)
        let r = rejection(table.receive(data(11)))
        #expect(r?.0 == 11 && r?.1 == .invalidArgument && r?.2 == false)
    }

    @Test(arguments: [UInt8(0x03), 0x04, 0x80, 0xff])
    func badRequestFlagsAreRejected(flags: UInt8) {
        var table = ServerStreamTable(maxConcurrentStreams: 10)
        #expect(rejection(table.receive(request(1, flags: FrameFlags(rawValue: flags))))?.1 == .invalidArgument)
    }

    @Test func badDataFlagsCancelTheStream() {
        var table = ServerStreamTable(maxConcurrentStreams: 10)
        _ = table.receive(request(1, flags: .remoteOpen))
        let r = rejection(table.receive(data(1, flags: FrameFlags(rawValue: 0x02))))
        #expect(r?.1 == .invalidArgument && r?.2 == true)
        #expect(table.activeCount == 1, "the connection cancels it; the table finishes it then")
    }

    @Test func clientStreamDataThenClose() {
        var table = ServerStreamTable(maxConcurrentStreams: 10)
        _ = table.receive(request(1, flags: .remoteOpen))
        #expect(table.receive(data(1)) == .data(streamID: 1, payload: ByteBuffer(bytes: [1]), endOfStream: false))
        #expect(table.receive(data(1, flags: [.remoteClosed, .noData], bytes: [])) == .data(streamID: 1, payload: nil, endOfStream: true))
        let after = rejection(table.receive(data(1)))
        #expect(after?.1 == .invalidArgument && after?.2 == true, "payload after remote-closed")
    }

    @Test func dataOnUnaryStreamIsRejected() {
        var table = ServerStreamTable(maxConcurrentStreams: 10)
        _ = table.receive(request(1))
        #expect(rejection(table.receive(data(1)))?.1 == .invalidArgument)
    }

    @Test func noDataFlagWithPayloadIsRejected() {
        var table = ServerStreamTable(maxConcurrentStreams: 10)
        _ = table.receive(request(1, flags: .remoteOpen))
        #expect(rejection(table.receive(data(1, flags: .noData, bytes: [1, 2])))?.1 == .invalidArgument)
    }

    @Test func concurrentStreamLimit() {
        var table = ServerStreamTable(maxConcurrentStreams: 2)
        _ = table.receive(request(1))
        _ = table.receive(request(3))
        #expect(rejection(table.receive(request(5)))?.1 == .resourceExhausted)
        table.finish(1)
        guard case .open = table.receive(request(7)) else {
            Issue.record("7 should open once a stream finished")
            return
        }
    }

    @Test func responseAndUnknownTypesFromClientsAreRejected() {
        var table = ServerStreamTable(maxConcurrentStreams: 2)
        #expect(rejection(table.receive(.frame(Frame(streamID: 1, type: .response, payload: ByteBuffer()))))?.1 == .invalidArgument)
        #expect(rejection(table.receive(.frame(Frame(streamID: 3, rawType: 0x09, flags: [], payload: ByteBuffer()))))?.1 == .invalidArgument)
    }

    @Test func oversizedRequestConsumesItsId() {
        var table = ServerStreamTable(maxConcurrentStreams: 2)
        #expect(rejection(table.receive(.oversized(streamID: 3, rawType: 1, length: 5_000_000)))?.1 == .resourceExhausted)
        #expect(rejection(table.receive(request(3)))?.1 == .invalidArgument)
    }
}
