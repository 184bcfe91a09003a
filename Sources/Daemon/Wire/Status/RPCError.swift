public import COIProto
import SwiftProtobuf

/// A failed call: a status code, a message for people, and details for programs.
///
/// Thrown by handlers to fail a call and by the client when the server answers with a non-OK
/// status. Details travel as a `coi.core.v1.ErrorDetail` packed in `Status.details`.
public struct RPCError: Error, Sendable, Equatable, CustomStringConvertible {
    /// One field of the request that was wrong, and why.
    public struct FieldViolation: Sendable, Equatable {
        public var field: String
        public var description: String
        public init(field: String, description: String) {
            self.field = field
            self.description = description
        }
    }

    public var code: StatusCode
    public var message: String
    /// Stable machine-readable reason such as "FIELD_INVALID"; empty when none was given.
    public var reason: String
    public var fieldViolations: [FieldViolation]

    /// Creates an error.
    /// - Parameters:
    ///   - code: The status code.
    ///   - message: What went wrong, for people.
    ///   - reason: A stable machine-readable reason.
    ///   - fieldViolations: The request fields that were wrong.
    public init(_ code: StatusCode, _ message: String, reason: String = "", fieldViolations: [FieldViolation] = []) {
        self.code = code
        self.message = message
        self.reason = reason
        self.fieldViolations = fieldViolations
    }

    /// An INVALID_ARGUMENT error naming the field at fault.
    /// - Parameters:
    ///   - field: The field's path, e.g. "message".
    ///   - why: Why the value was rejected.
    /// - Returns: The error.
    public static func invalidField(_ field: String, _ why: String) -> RPCError {
        RPCError(.invalidArgument, "\(field): \(why)", reason: "FIELD_INVALID",
                 fieldViolations: [FieldViolation(field: field, description: why)])
    }

    public var description: String { "\(code.name) (\(code.rawValue)): \(message)" }

    /// The error as a wire status.
    public var status: Ttrpc_Status {
        var status = Ttrpc_Status()
        status.code = code.rawValue
        status.message = message
        if !reason.isEmpty || !fieldViolations.isEmpty {
            var detail = Coi_Core_V1_ErrorDetail()
            detail.reason = reason
            detail.fieldViolations = fieldViolations.map {
                var v = Coi_Core_V1_FieldViolation()
                v.field = $0.field
                v.description_p = $0.description
                return v
            }
            if let any = try? Google_Protobuf_Any(message: detail) {
                status.details = [any]
            }
        }
        return status
    }

    /// Reads an error from a wire status.
    /// - Parameter status: A status whose code is not OK.
    public init(status: Ttrpc_Status) {
        self.init(StatusCode(wireValue: status.code), status.message)
        for any in status.details where any.isA(Coi_Core_V1_ErrorDetail.self) {
            if let detail = try? Coi_Core_V1_ErrorDetail(unpackingAny: any) {
                reason = detail.reason
                fieldViolations = detail.fieldViolations.map { FieldViolation(field: $0.field, description: $0.description_p) }
            }
        }
    }
}
