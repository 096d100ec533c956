// The hand-written layer over the generated bindings (Nixflex.swift): webhook checks on the body
// as a `String`, next to the generated ones that take `Data`.

import Foundation

/// The official boolean check of an `X-Nixflex-Signature` header over `rawBody`. A missing
/// header (`nil`) is `false`. Never throws.
public func verifyWebhookSignature(
    rawBody: String, header: String?, secret: String, toleranceSeconds: UInt64 = 300, now: Int64? = nil
) -> Bool {
    verifyWebhookSignature(
        rawBody: Data(rawBody.utf8), header: header, secret: secret, toleranceSeconds: toleranceSeconds, now: now)
}

/// The strict check: the event when `header` verifies with any of `secrets`, else
/// `NixflexError.Signature` whose `code` names the problem.
public func constructWebhookEvent(
    rawBody: String, header: String?, secrets: [String], toleranceSeconds: UInt64 = 300, now: Int64? = nil
) throws -> WebhookEvent {
    try constructWebhookEvent(
        rawBody: Data(rawBody.utf8), header: header, secrets: secrets, toleranceSeconds: toleranceSeconds, now: now)
}

/// The header Nixflex would send for `rawBody`: for tests and local tools.
public func signWebhook(rawBody: String, secret: String, timestamp: Int64? = nil) throws -> String {
    try signWebhook(rawBody: Data(rawBody.utf8), secret: secret, timestamp: timestamp)
}
