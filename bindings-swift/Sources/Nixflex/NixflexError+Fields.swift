// The hand-written layer over the generated bindings (Nixflex.swift): every field of a
// `NixflexError`, whatever its case.
//
// The generated enum has one case per kind (`.NotFound`, `.RateLimited`, …), each with the same
// associated values. These properties read them without a `switch`:
//
// ```swift
// do {
//     _ = try await client.agents().get(agentId: "agent_0000000000000000")
// } catch let error as NixflexError {
//     print(error.kind, error.status ?? 0, error.code ?? "", error.requestId ?? "")
// }
// ```
//
// They read the associated values in Swift rather than through the Rust `info()` export: no
// call into the library (which would re-serialise the whole error for every field) and nothing
// that could trap.

extension NixflexError {
    /// Every field, with the kind's stable name.
    public var fields: NixflexErrorInfo {
        switch self {
        case let .InvalidRequest(message, status, code, errorType, docUrl, requestId, retryAfterSeconds, idempotencyKey, attempts, details),
             let .Authentication(message, status, code, errorType, docUrl, requestId, retryAfterSeconds, idempotencyKey, attempts, details),
             let .PaymentRequired(message, status, code, errorType, docUrl, requestId, retryAfterSeconds, idempotencyKey, attempts, details),
             let .PermissionDenied(message, status, code, errorType, docUrl, requestId, retryAfterSeconds, idempotencyKey, attempts, details),
             let .NotFound(message, status, code, errorType, docUrl, requestId, retryAfterSeconds, idempotencyKey, attempts, details),
             let .Conflict(message, status, code, errorType, docUrl, requestId, retryAfterSeconds, idempotencyKey, attempts, details),
             let .RateLimited(message, status, code, errorType, docUrl, requestId, retryAfterSeconds, idempotencyKey, attempts, details),
             let .Server(message, status, code, errorType, docUrl, requestId, retryAfterSeconds, idempotencyKey, attempts, details),
             let .Upstream(message, status, code, errorType, docUrl, requestId, retryAfterSeconds, idempotencyKey, attempts, details),
             let .UnexpectedStatus(message, status, code, errorType, docUrl, requestId, retryAfterSeconds, idempotencyKey, attempts, details),
             let .Connection(message, status, code, errorType, docUrl, requestId, retryAfterSeconds, idempotencyKey, attempts, details),
             let .Timeout(message, status, code, errorType, docUrl, requestId, retryAfterSeconds, idempotencyKey, attempts, details),
             let .Decode(message, status, code, errorType, docUrl, requestId, retryAfterSeconds, idempotencyKey, attempts, details),
             let .Configuration(message, status, code, errorType, docUrl, requestId, retryAfterSeconds, idempotencyKey, attempts, details),
             let .Signature(message, status, code, errorType, docUrl, requestId, retryAfterSeconds, idempotencyKey, attempts, details),
             let .Internal(message, status, code, errorType, docUrl, requestId, retryAfterSeconds, idempotencyKey, attempts, details):
            return NixflexErrorInfo(
                kind: kind, message: message, status: status, code: code, errorType: errorType, docUrl: docUrl,
                requestId: requestId, retryAfterSeconds: retryAfterSeconds, idempotencyKey: idempotencyKey,
                attempts: attempts, details: details)
        }
    }

    /// The kind as a stable name shared by every language: `not_found`, `rate_limited`, …
    public var kind: String {
        switch self {
        case .InvalidRequest: return "invalid_request"
        case .Authentication: return "authentication"
        case .PaymentRequired: return "payment_required"
        case .PermissionDenied: return "permission_denied"
        case .NotFound: return "not_found"
        case .Conflict: return "conflict"
        case .RateLimited: return "rate_limited"
        case .Server: return "server"
        case .Upstream: return "upstream"
        case .UnexpectedStatus: return "unexpected_status"
        case .Connection: return "connection"
        case .Timeout: return "timeout"
        case .Decode: return "decode"
        case .Configuration: return "configuration"
        case .Signature: return "signature"
        case .Internal: return "internal"
        }
    }

    /// The API's message (or the SDK's).
    public var message: String { fields.message }

    /// The HTTP status, when a response arrived.
    public var status: UInt16? { fields.status }

    /// The API's machine-readable code (`agent_not_found`, `missing_field`, …).
    public var code: String? { fields.code }

    /// The API's `type` string, as sent (informational; branch on the case or `kind`).
    public var errorType: String? { fields.errorType }

    /// The documentation page of the error code.
    public var docUrl: String? { fields.docUrl }

    /// The `x-request-id` of the last response: what support asks for.
    public var requestId: String? { fields.requestId }

    /// The wait the server asked for (`Retry-After`), in seconds.
    public var retryAfterSeconds: Double? { fields.retryAfterSeconds }

    /// The `Idempotency-Key` every attempt of the failed mutation carried: re-issue the call
    /// through `withOptions(options: RequestOptions(idempotencyKey: key))` and it never runs twice.
    public var idempotencyKey: String? { fields.idempotencyKey }

    /// How many attempts were made (0 when none reached the network).
    public var attempts: UInt32 { fields.attempts }

    /// The API's `details` object, as JSON text.
    public var details: String? { fields.details }
}

extension NixflexError: CustomStringConvertible {
    /// `Agent not found (404 agent_not_found) [request req_…]`
    public var description: String {
        let f = fields
        var text = f.message
        switch (f.status, f.code) {
        case let (status?, code?): text += " (\(status) \(code))"
        case let (status?, nil): text += " (\(status))"
        case let (nil, code?): text += " (\(code))"
        case (nil, nil): break
        }
        if let id = f.requestId {
            text += " [request \(id)]"
        }
        return text
    }
}
