// The idiomatic layer over the generated bindings (nixflex_ffi.kt): every field of a
// NixflexException, whatever its subclass.
//
// The generated sealed class has one subclass per kind (NotFound, RateLimited, …), each with the
// same fields. Kotlin exceptions already own `message`, which uniffi fills with a summary of every
// field; the API's own message is `errorMessage`.

package com.nixflex

/** The kind as a stable name shared by every language: `not_found`, `rate_limited`, … */
val NixflexException.kind: String get() = info().kind

/** The API's message (or the SDK's), without the other fields. */
val NixflexException.errorMessage: String get() = info().message

/** The HTTP status, when a response arrived. */
val NixflexException.status: UShort? get() = info().status

/** The API's machine-readable code (`agent_not_found`, `missing_field`, …). */
val NixflexException.code: String? get() = info().code

/** The API's `type` string, as sent (informational; branch on the subclass or [kind]). */
val NixflexException.errorType: String? get() = info().errorType

/** The documentation page of the error code. */
val NixflexException.docUrl: String? get() = info().docUrl

/** The `x-request-id` of the last response: what support asks for. */
val NixflexException.requestId: String? get() = info().requestId

/** The wait the server asked for (`Retry-After`), in seconds. */
val NixflexException.retryAfterSeconds: Double? get() = info().retryAfterSeconds

/**
 * The `Idempotency-Key` every attempt of the failed mutation carried: re-issue the call with
 * `withOptions(RequestOptions(idempotencyKey = key))` and it never runs twice.
 */
val NixflexException.idempotencyKey: String? get() = info().idempotencyKey

/** How many attempts were made (0 when none reached the network). */
val NixflexException.attempts: UInt get() = info().attempts

/** The API's `details` object, as JSON text. */
val NixflexException.details: String? get() = info().details
