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

extension NixflexError {
    /// Every field, with the kind's stable name.
    public var fields: NixflexErrorInfo { info() }

    /// The kind as a stable name shared by every language: `not_found`, `rate_limited`, …
    public var kind: String { info().kind }

    /// The API's message (or the SDK's).
    public var message: String { info().message }

    /// The HTTP status, when a response arrived.
    public var status: UInt16? { info().status }

    /// The API's machine-readable code (`agent_not_found`, `missing_field`, …).
    public var code: String? { info().code }

    /// The API's `type` string, as sent (informational; branch on the case or `kind`).
    public var errorType: String? { info().errorType }

    /// The documentation page of the error code.
    public var docUrl: String? { info().docUrl }

    /// The `x-request-id` of the last response: what support asks for.
    public var requestId: String? { info().requestId }

    /// The wait the server asked for (`Retry-After`), in seconds.
    public var retryAfterSeconds: Double? { info().retryAfterSeconds }

    /// The `Idempotency-Key` every attempt of the failed mutation carried: re-issue the call
    /// through `withOptions(options: RequestOptions(idempotencyKey: key))` and it never runs twice.
    public var idempotencyKey: String? { info().idempotencyKey }

    /// How many attempts were made (0 when none reached the network).
    public var attempts: UInt32 { info().attempts }

    /// The API's `details` object, as JSON text.
    public var details: String? { info().details }
}

extension NixflexError: CustomStringConvertible {
    /// `Agent not found (404 agent_not_found) [request req_…]`
    public var description: String {
        let f = info()
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
