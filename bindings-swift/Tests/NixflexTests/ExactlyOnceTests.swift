import Foundation
import XCTest
@testable import Nixflex

/// Outbound calls under 30% random faults (503, 429, the connection dropped after the work was
/// done, a response slower than the timeout) create exactly one call each.
final class ExactlyOnceTests: XCTestCase {
    private let calls = 200

    func testOutboundCallsUnderFaultsAreCreatedExactlyOnce() async throws {
        let tenant = try await Tenant.create()
        let setup = try tenant.client()
        let agent = try await setup.agents().create(body: AgentCreate(name: "Dialler"))
        _ = try await setup.phoneNumbers().import(body: PhoneNumberImport(
            phoneNumber: "+447700900001", agentId: agent.agentId, twilioSid: "AC" + String(repeating: "0", count: 32), twilioToken: "token"))
        try await tenant.arm("calls.create", random: """
            {"probability":0.3,"seed":20261203,"choices":[{"status":503},{"status":429,"retry_after":"0"},{"drop":"after"},{"delay_ms":1200}]}
            """)
        let client = try tenant.client(timeoutMs: 400, maxRetries: 2)
        let agentId = agent.agentId

        @Sendable func dial(_ i: Int) async throws -> String {
            let body = OutboundCallCreate(agentId: agentId, toNumber: String(format: "+4477009%05d", i), prompt: "Confirm the booking")
            var options = RequestOptions()
            while true {
                do {
                    return try await client.calls().withOptions(options: options).create(body: body).callId
                } catch let error as NixflexError {
                    // Re-issue with the key the error carries: the server replays or does the work once.
                    options = RequestOptions(idempotencyKey: error.idempotencyKey)
                }
            }
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
        print("exactly-once (Swift): \(calls) logical calls, \(journal.count) HTTP attempts, \(Set(ids).count) distinct call ids, \(created ?? -1) calls on the mock")
        XCTAssertEqual(Set(ids).count, calls)
        XCTAssertEqual(created, calls)
        XCTAssertGreaterThan(journal.count, calls, "faults were injected")
    }
}
