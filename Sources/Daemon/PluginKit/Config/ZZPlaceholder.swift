public struct TOMLTable: Sendable { public init() {} }
