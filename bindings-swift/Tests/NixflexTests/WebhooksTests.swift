import Foundation
import XCTest
@testable import Nixflex

final class WebhooksTests: XCTestCase {
    private let secret = "nxfs_testsecret_0123456789abcdef"
    private let body = "{\"event\":\"call.completed\",\"call_id\":\"CA123\"}"
    private let t: Int64 = 1755300000
    private let golden = "t=1755300000,v1=8244940dd2d19c8d603cfd55b40de1cd94b98de4aca1f56b98cdd5f44ea98031"

    func testGoldenVector() throws {
        XCTAssertEqual(try signWebhook(rawBody: body, secret: secret, timestamp: t), golden)
        XCTAssertTrue(verifyWebhookSignature(rawBody: body, header: golden, secret: secret, now: t))
        XCTAssertTrue(verifyWebhookSignature(rawBody: Data(body.utf8), header: golden, secret: secret, now: t))
        let event = try constructWebhookEvent(rawBody: body, header: golden, secrets: ["nxfs_old", secret], now: t)
        XCTAssertEqual(event.event, "call.completed")
        XCTAssertEqual(try json(event.json)["call_id"] as? String, "CA123")
    }

    func testRejections() throws {
        let tampered = body.replacingOccurrences(of: "CA123", with: "CA124")
        XCTAssertFalse(verifyWebhookSignature(rawBody: tampered, header: golden, secret: secret, now: t))
        XCTAssertFalse(verifyWebhookSignature(rawBody: body, header: golden, secret: secret, now: t + 301))
        XCTAssertFalse(verifyWebhookSignature(rawBody: body, header: "garbage", secret: secret, now: t))
        // A missing header is false rather than a trap.
        XCTAssertFalse(verifyWebhookSignature(rawBody: body, header: nil, secret: secret, now: t))
        XCTAssertFalse(verifyWebhookSignature(rawBody: Data(body.utf8), header: nil, secret: secret, now: t))
        for (header, secrets, now, code) in [
            (nil, [secret], t, "missing_signature"),
            (golden, [secret], t + 301, "timestamp_out_of_tolerance"),
            (golden, ["nxfs_other"], t, "signature_mismatch"),
        ] as [(String?, [String], Int64, String)] {
            do {
                _ = try constructWebhookEvent(rawBody: body, header: header, secrets: secrets, now: now)
                XCTFail("expected a signature error for \(code)")
            } catch let error as NixflexError {
                guard case .Signature = error else { return XCTFail("expected .Signature, got \(error)") }
                XCTAssertEqual(error.code, code)
            }
        }
    }
}
