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
        let echo = Coi_Core_V1_Diagnostics.Method.echo
        _ = try await fixture.call(echo, Coi_Core_V1_EchoRequest())
        _ = try await fixture.call(echo, Coi_Core_V1_EchoRequest())
        do {
            _ = try await fixture.call(echo, Coi_Core_V1_EchoRequest())
            Issue.record("third call was admitted")
        } catch let error as RPCError {
            #expect(error.code == .resourceExhausted && error.reason == "RATE_LIMITED")
        }
    }
}
