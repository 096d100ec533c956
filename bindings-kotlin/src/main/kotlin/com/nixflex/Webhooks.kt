// The idiomatic layer over the generated bindings (nixflex_ffi.kt): webhook checks on the body
// as a String, as most HTTP frameworks hand it over.

package com.nixflex

/**
 * The official boolean check of an `X-Nixflex-Signature` header over [rawBody]. A missing header
 * (`null`, as `request.getHeader(...)` returns it) is `false`. Never throws.
 */
fun verifyWebhookSignature(
    rawBody: String,
    header: String?,
    secret: String,
    toleranceSeconds: ULong = 300u,
    now: Long? = null,
): Boolean = verifyWebhookSignature(rawBody.toByteArray(Charsets.UTF_8), header, secret, toleranceSeconds, now)

/**
 * The strict check: the event when [header] verifies with any of [secrets], else a
 * [NixflexException.Signature] whose [code] names the problem.
 */
fun constructWebhookEvent(
    rawBody: String,
    header: String?,
    secrets: List<String>,
    toleranceSeconds: ULong = 300u,
    now: Long? = null,
): WebhookEvent = constructWebhookEvent(rawBody.toByteArray(Charsets.UTF_8), header, secrets, toleranceSeconds, now)

/** The header Nixflex would send for [rawBody]: for tests and local tools. */
fun signWebhook(rawBody: String, secret: String, timestamp: Long? = null): String =
    signWebhook(rawBody.toByteArray(Charsets.UTF_8), secret, timestamp)
