import Foundation
import XCTest
@testable import Nixflex

/// A cancelled Swift task stops the call in Rust at once; the client keeps working.
final class CancellationTests: XCTestCase {
    func testCancellingATaskMidCall() async throws {
        let tenant = try await Tenant.create()
        let client = try tenant.client(timeoutMs: 10_000)
        try await tenant.arm("usage.get", faults: "[{\"delay_ms\":3000}]")
        let task = Task { try await client.usage().get() }
        try await Task.sleep(nanoseconds: 300_000_000)
        let started = Date()
        task.cancel()
        _ = await task.result
        let elapsed = Date().timeIntervalSince(started)
        XCTAssertLessThan(elapsed, 1.0, "cancellation took \(elapsed) s")
        // The client keeps working after a cancelled call.
        let usage = try await client.usage().get()
        XCTAssertEqual(usage.totalCalls, 0)
    }

    func testCancelledCreateDoesNoWork() async throws {
        let tenant = try await Tenant.create()
        let client = try tenant.client(timeoutMs: 10_000)
        try await tenant.arm("agents.create", faults: "[{\"delay_ms\":2000}]")
        let task = Task { try await client.agents().create(body: AgentCreate(name: "Never")) }
        try await Task.sleep(nanoseconds: 250_000_000)
        let started = Date()
        task.cancel()
        if case .success = await task.result { XCTFail("a cancelled create returned an agent") }
        let elapsed = Date().timeIntervalSince(started)
        XCTAssertLessThan(elapsed, 1.0, "cancellation took \(elapsed) s")
        try await Task.sleep(nanoseconds: 2_500_000_000)
        // The mock does the work only after the delay; the dropped connection cancelled it.
        let agents = try await tenant.counts()["agents"] as? Int
        XCTAssertEqual(agents, 0)
    }
}
