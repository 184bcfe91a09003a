import Foundation
import Testing
@testable import COIHost

/// The connection and stream caps of issue 10 item 6 are read and validated like every other key.
@Suite struct ConnectionLimitKeysTests {

    @Test func capsAreReadFromTheServerTable() throws {
        let path = try ConfigErrorsTests.file("""
            [server]
            max_connections_per_uid = 12
            max_anonymous_connections = 0
            max_long_lived_streams_per_principal = 5
            max_long_lived_streams_anonymous = 0
            """)
        let config = try DaemonConfig.load(overrides: .init(file: path), environment: [:])
        #expect(config.limits.maxConnectionsPerUID == 12)
        #expect(config.limits.maxAnonymousConnections == 0)
        #expect(config.limits.maxLongLivedStreamsPerPrincipal == 5)
        #expect(config.limits.maxLongLivedStreamsAnonymous == 0)
        // Defaults when absent.
        let defaults = try DaemonConfig.load(overrides: .init(file: try ConfigErrorsTests.file("")), environment: [:])
        #expect(defaults.limits.maxConnectionsPerUID == 256 && defaults.limits.maxLongLivedStreamsPerPrincipal == 64)
    }

    @Test func badCapsAreEachNamed() throws {
        let path = try ConfigErrorsTests.file("""
            [server]
            max_connections_per_uid = 0
            max_anonymous_connections = "some"
            max_long_lived_streams_per_principal = -1
            max_long_lived_streams_anonymous = 1.5
            max_long_lived_streams = 3
            """)
        let problems = ConfigErrorsTests.problems(.init(file: path))
        #expect(problems.count == 5, "\(problems.joined(separator: "\n"))")
        for text in ["key server.max_connections_per_uid: must be between 1 and",
                     "key server.max_anonymous_connections: must be an integer, is a string",
                     "key server.max_long_lived_streams_per_principal: must be between 1 and",
                     "key server.max_long_lived_streams_anonymous: must be an integer",
                     "key server.max_long_lived_streams: unknown key; did you mean server.max_long_lived_streams_"] {
            #expect(problems.contains { $0.contains(text) }, "\(text) not in:\n\(problems.joined(separator: "\n"))")
        }
    }
}
