import Foundation
import XCTest
@testable import Nixflex

/// Cancelling a Swift `Task` does not stop a call: the async glue uniffi 0.32 generates for
/// Swift has no cancellation handler, so the request runs to its end and its result arrives as
/// usual. These tests pin that behaviour down; if they fail, cancellation started to work and
/// the README's "Cancellation" section must change with it.
final class CancellationTests: XCTestCase {
    func testACancelledTaskStillGetsTheCallsResult() async throws {
        let tenant = try await Tenant.create()
        let client = try tenant.client(timeoutMs: 10_000)
        try await tenant.arm("usage.get", faults: "[{\"delay_ms\":1000}]")
        let task = Task { try await client.usage().get() }
        try await Task.sleep(nanoseconds: 250_000_000)
        task.cancel()
        let usage = try await task.value
        XCTAssertEqual(usage.totalCalls, 0)
        // The mock journals a held request only when it answers it: this one was answered.
        let answered = try await tenant.journal("usage.get")
        XCTAssertEqual(answered.count, 1)
    }

    func testACancelledCreateStillDoesItsWorkOnce() async throws {
        let tenant = try await Tenant.create()
        let client = try tenant.client(timeoutMs: 10_000)
        try await tenant.arm("agents.create", faults: "[{\"delay_ms\":1000}]")
        let recorder = ResponseRecorder()
        let task = Task { try await client.agents().withRecorder(recorder: recorder).create(body: AgentCreate(name: "Anyway")) }
        try await Task.sleep(nanoseconds: 250_000_000)
        task.cancel()
        let agent = try await task.value
        XCTAssertEqual(agent.name, "Anyway")
        // Re-issuing with the key the call carried replays it instead of creating a second agent.
        let key = try XCTUnwrap(recorder.last()?.idempotencyKey)
        let again = try await client.agents()
            .withOptions(options: RequestOptions(idempotencyKey: key))
            .create(body: AgentCreate(name: "Anyway"))
        XCTAssertEqual(again.agentId, agent.agentId)
        let agents = try await tenant.counts()["agents"] as? Int
        XCTAssertEqual(agents, 1)
    }
}
