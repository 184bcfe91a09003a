public import COIWire

/// The error handlers throw: a status code, a message, and which fields were wrong. Re-exported so
/// that a plugin compiles against the kit alone.
public typealias RPCError = COIWire.RPCError
/// The status codes of `RPCError`.
public typealias StatusCode = COIWire.StatusCode
