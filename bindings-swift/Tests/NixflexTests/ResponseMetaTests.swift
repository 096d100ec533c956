import Foundation
import XCTest
@testable import Nixflex

/// A typed call's metadata, on request: a recorder handed to the resource keeps it.
final class ResponseMetaTests: XCTestCase {
    func testARecorderKeepsWhatCameWithTypedResults() async throws {
        let tenant = try await Tenant.create()
        let client = try tenant.client()
        let recorder = ResponseRecorder()
        XCTAssertNil(recorder.last())

        try await tenant.arm("agents.create", faults: "[{\"status\":503}]")
        let agent = try await client.agents().withRecorder(recorder: recorder).create(body: AgentCreate(name: "Recorded"))
        let created = try XCTUnwrap(recorder.last())
        XCTAssertEqual(created.status, 201)
        XCTAssertEqual(created.attempts, 2, "a 503, then the agent")
        XCTAssertTrue(created.requestId?.hasPrefix("req_") ?? false)
        XCTAssertEqual(created.headers["content-type"], "application/json")
        // The key the server saw on both attempts is the one reported.
        let sent = try await tenant.journal("agents.create").map { ($0["headers"] as? [String: Any])?["idempotency-key"] as? String }
        XCTAssertNotNil(created.idempotencyKey)
        XCTAssertEqual(sent, [created.idempotencyKey, created.idempotencyKey])

        // Lists and reads record too; options and recorder combine on one handle.
        let agents = client.agents().withOptions(options: RequestOptions(maxRetries: 0)).withRecorder(recorder: recorder)
        let read = try await agents.get(agentId: agent.agentId)
        XCTAssertEqual(read.agentId, agent.agentId)
        XCTAssertEqual(recorder.last()?.attempts, 1)
        XCTAssertNil(recorder.last()?.idempotencyKey, "a GET carries no key")
        _ = try await agents.list()
        XCTAssertEqual(recorder.count(), 3)

        // A failure records nothing: the error carries the same fields.
        let error = await expectError { try await agents.get(agentId: "agent_0000000000000000") }
        XCTAssertEqual(recorder.count(), 3)
        XCTAssertEqual(error?.kind, "not_found")
    }
}
