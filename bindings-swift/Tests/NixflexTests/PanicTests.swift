import Foundation
import XCTest
@testable import Nixflex

/// A Rust panic never crosses the FFI as anything but `NixflexError.Internal`.
final class PanicTests: XCTestCase {
    func testAPanicInASyncCallIsAnInternalError() {
        XCTAssertThrowsError(try debugPanic(message: "deliberate panic from PanicTest (sync)")) { error in
            guard case .Internal(let message, _, _, _, _, _, _, _, _, _)? = error as? NixflexError else {
                return XCTFail("expected .Internal, got \(error)")
            }
            XCTAssertTrue(message.contains("deliberate panic from PanicTest (sync)"))
        }
    }

    func testAPanicInAnAsyncCallIsAnInternalError() async throws {
        let error = await expectError { try await debugPanicAsync(message: "deliberate panic from PanicTest (async)") }
        XCTAssertEqual(error?.kind, "internal")
        XCTAssertTrue(error?.message.contains("deliberate panic from PanicTest (async)") == true)
        // The runtime survives: the next call works.
        let client = try await Tenant.create().client()
        let agent = try await client.agents().create(body: AgentCreate(name: "Still here"))
        XCTAssertEqual(agent.name, "Still here")
    }

    func testAPanicInATypedOperationIsAnInternalError() async throws {
        let tenant = try await Tenant.create()
        let client = try tenant.client()
        // The panic strikes while agents.create encodes its parameters, before any request.
        try debugPanicNextCall(operationId: "agents.create", message: "deliberate panic from PanicTest (agents.create)")
        let error = await expectError { try await client.agents().create(body: AgentCreate(name: "Never sent")) }
        guard case .Internal? = error else { return XCTFail("expected .Internal, got \(String(describing: error))") }
        XCTAssertTrue(error?.message.contains("deliberate panic from PanicTest (agents.create)") == true)
        let before = try await tenant.journal("agents.create")
        XCTAssertEqual(before.count, 0, "nothing reached the server")
        // The hook fires once; the same client and operation then work.
        let agent = try await client.agents().create(body: AgentCreate(name: "After"))
        XCTAssertEqual(agent.name, "After")
        let after = try await tenant.journal("agents.create")
        XCTAssertEqual(after.count, 1)
    }
}
