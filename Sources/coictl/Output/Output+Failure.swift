import COIWire

extension Output {
    /// Prints an error the server (or coictl itself) reported: `CODE: message` and one line per
    /// field for people; with --json one object on stderr,
    /// `{"code":"INVALID_ARGUMENT","message":…,"reason":…,"field_violations":[{"field":…,"description":…}]}`.
    static func failure(_ error: RPCError) {
        failure(code: error.code.name, message: error.message, reason: error.reason,
                violations: error.fieldViolations.map { ($0.field, $0.description) })
    }

    /// Prints an error by its parts; `code` is a status name or coictl's own ("USAGE", "UNAVAILABLE").
    static func failure(code: String, message: String, reason: String = "", violations: [(field: String, description: String)] = []) {
        if jsonErrors {
            var object: [String: Any] = ["code": code, "message": message]
            if !reason.isEmpty { object["reason"] = reason }
            if !violations.isEmpty {
                object["field_violations"] = violations.map { ["field": $0.field, "description": $0.description] }
            }
            errorText(jsonText(object) + "\n")
            return
        }
        // For people coictl's own errors (no server status) read as a sentence.
        error(code.isEmpty || code == "UNAVAILABLE" || code == "USAGE" ? message : "\(code): \(message)")
        for violation in violations {
            error("  field \(violation.field): \(violation.description)")
        }
    }
}
