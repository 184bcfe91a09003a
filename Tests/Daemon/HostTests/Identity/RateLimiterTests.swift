import COIPluginKit
import COIProto
import COIWire
import Testing
@testable import COIHost

@Suite struct RateLimiterTests {
    @Test func bucketAllowsBurstThenRefuses() {
        // A rate so low that no refill happens during the test, whatever the machine's speed.
        let limiter = RateLimiter(rate: 0.001, burst: 3)
        #expect(limiter.take("a") == nil)
        #expect(limiter.take("a") == nil)
        #expect(limiter.take("a") == nil)
        #expect(limiter.take("a") != nil)
        #expect(limiter.take("b") == nil, "buckets are per principal")
        limiter.configure(rate: 0, burst: 1)
        for _ in 0..<100 { #expect(limiter.take("a") == nil) }
    }

    @Test func exceedingTheLimitIsResourceExhausted() async throws {
        var settings = IdentitySettings()
        settings.ratePerSecond = 0.001
        settings.rateBurst = 2
        let fixture = try await IdentityFixture(settings: settings)
        let echo = "coi.core.v1.Diagnostics/Echo"
        _ = try await fixture.call(echo, Coi_Core_V1_EchoRequest(), as: Coi_Core_V1_EchoReply.self)
        _ = try await fixture.call(echo, Coi_Core_V1_EchoRequest(), as: Coi_Core_V1_EchoReply.self)
        do {
            _ = try await fixture.call(echo, Coi_Core_V1_EchoRequest(), as: Coi_Core_V1_EchoReply.self)
            Issue.record("third call was admitted")
        } catch let error as RPCError {
            #expect(error.code == .resourceExhausted && error.reason == "RATE_LIMITED")
        }
    }
}
