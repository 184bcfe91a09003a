import Testing
@testable import COIWire

@Suite struct RPCErrorTests {
    @Test func fieldViolationsSurviveTheWireStatus() {
        let error = RPCError.invalidField("nominees[0].name", "must not be empty")
        let back = RPCError(status: error.status)
        #expect(back == error)
        #expect(back.code == .invalidArgument)
        #expect(back.fieldViolations.first?.field == "nominees[0].name")
    }

    @Test func unknownCodesReadAsUnknown() {
        #expect(StatusCode(wireValue: 99) == .unknown)
        #expect(StatusCode.resourceExhausted.name == "RESOURCE_EXHAUSTED")
    }
}
