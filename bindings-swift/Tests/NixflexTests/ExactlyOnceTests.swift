import Foundation
import XCTest
@testable import Nixflex

/// Outbound calls under 30% random faults (503, 429, the connection dropped after the work was
/// done, a delay past the timeout before the work and one after it) create exactly one call
/// each: retries reuse the idempotency key, and a call that exhausted its retries is re-issued
/// with the key its error carries.
final class ExactlyOnceTests: XCTestCase {
    private let calls = 500
    /// A call still failing after this many re-issues is lost: the test fails instead of hanging.
    private let maxReissues = 20

    func testOutboundCallsUnderFaultsAreCreatedExactlyOnce() async throws {
        let tenant = try await Tenant.create()
        let setup = try tenant.client()
        let agent = try await setup.agents().create(body: AgentCreate(name: "Dialler"))
        _ = try await setup.phoneNumbers().import(body: PhoneNumberImport(
            phoneNumber: "+447700900001", agentId: agent.agentId, twilioSid: "AC" + String(repeating: "0", count: 32), twilioToken: "token"))
        try await tenant.arm("calls.create", random: """
            {"probability":0.3,"seed":20261203,"choices":[{"status":503},{"status":429,"retry_after":"0"},{"drop":"after"},{"delay_ms":1200},{"delay_after_ms":1200}]}
            """)
        let client = try tenant.client(timeoutMs: 400, maxRetries: 2)
        let agentId = agent.agentId
        let maxReissues = self.maxReissues
        let reissued = ReissueCounter()

        @Sendable func dial(_ i: Int) async throws -> String {
            let body = OutboundCallCreate(agentId: agentId, toNumber: String(format: "+4477009%05d", i), prompt: "Confirm the booking")
            var options = RequestOptions()
            for _ in 0...maxReissues {
                do {
                    return try await client.calls().withOptions(options: options).create(body: body).callId
                } catch let error as NixflexError {
                    // Re-issue with the key the error carries: the server replays or does the work once.
                    await reissued.add()
                    options = RequestOptions(idempotencyKey: error.idempotencyKey)
                }
            }
            throw NSError(domain: "ExactlyOnceTests", code: 1, userInfo: [
                NSLocalizedDescriptionKey: "call \(i) still failed after \(maxReissues) re-issues",
            ])
        }

        var ids: [String] = []
        try await withThrowingTaskGroup(of: String.self) { group in
            for start in stride(from: 0, to: calls, by: 16) {
                for i in start..<min(start + 16, calls) {
                    group.addTask { try await dial(i) }
                }
                for _ in start..<min(start + 16, calls) {
                    if let id = try await group.next() { ids.append(id) }
                }
            }
        }
        try await Task.sleep(nanoseconds: 1_500_000_000) // let delayed first attempts land
        let journal = try await tenant.journal("calls.create")
        let created = try await tenant.counts()["calls"] as? Int
        let faulted = journal.filter { !($0["fault"] is NSNull) && $0["fault"] != nil }.count
        let replayed = journal.filter { ($0["replayed"] as? Bool) == true }.count
        // From the request headers: a faulted attempt is answered before the mock parses its key.
        let sent = journal.map { ($0["headers"] as? [String: Any])?["idempotency-key"] as? String }
        XCTAssertFalse(sent.contains(nil), "every attempt carries a key")
        let keys = Set(sent.compactMap { $0 })
        let reissues = await reissued.value
        print("exactly-once (Swift): \(calls) logical calls, \(journal.count) requests received (\(faulted) faulted), "
            + "\(replayed) replays, \(reissues) re-issued after exhausting retries, \(keys.count) keys, "
            + "\(Set(ids).count) distinct call ids, \(created ?? -1) calls on the mock")
        XCTAssertEqual(Set(ids).count, calls)
        XCTAssertEqual(created, calls)
        XCTAssertEqual(keys.count, calls, "one idempotency key per logical call")
        XCTAssertGreaterThan(faulted * 5, journal.count, "about 30% of the requests were faulted")
        XCTAssertGreaterThan(replayed, 0, "work done under a fault was replayed")
        XCTAssertGreaterThan(reissues, 0, "some calls exhausted their retries and were re-issued")
    }
}

/// Counts re-issues across the concurrent dialling tasks.
private actor ReissueCounter {
    private(set) var value = 0
    func add() { value += 1 }
}
