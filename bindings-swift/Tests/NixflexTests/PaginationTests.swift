import Foundation
import XCTest
@testable import Nixflex

/// Lists in both wire shapes, and `AsyncSequence`s over every item.
final class PaginationTests: XCTestCase {
    private func seeded(_ shape: String, agents: Int) async throws -> (Tenant, [String]) {
        let tenant = try await Tenant.create()
        try await tenant.configure("{\"list_shape\":\"\(shape)\"}")
        let client = try tenant.client()
        var ids: [String] = []
        for n in 1...agents {
            ids.append(try await client.agents().create(body: AgentCreate(name: "Agent \(n)")).agentId)
        }
        return (tenant, ids)
    }

    func testASequenceCrossesTasks() async throws {
        let (tenant, ids) = try await seeded("envelope", agents: 3)
        // Handing the sequence to another task compiles only because it is Sendable.
        let sequence: NixflexItems<Agent> = try tenant.client().agents().iter(pageSize: 2)
        let walked = try await Task.detached {
            var seen: [String] = []
            for try await agent in sequence {
                seen.append(agent.agentId)
            }
            return seen
        }.value
        XCTAssertEqual(Set(walked), Set(ids))
    }

    func testEnvelopeListsAndSequences() async throws {
        let (tenant, ids) = try await seeded("envelope", agents: 7)
        let agents = try tenant.client().agents()
        let page = try await agents.list(limit: 3, offset: 0)
        XCTAssertEqual(page.items.count, 3)
        XCTAssertEqual(page.count, 7)
        XCTAssertEqual(page.limit, 3)

        var all: [String] = []
        for try await agent in agents.iter(pageSize: 2) {
            all.append(agent.agentId)
        }
        XCTAssertEqual(all.count, 7)
        XCTAssertEqual(Set(all), Set(ids))

        var capped = 0
        for try await _ in agents.iter(pageSize: 2, maxItems: 4) {
            capped += 1
        }
        XCTAssertEqual(capped, 4)

        let pager = try agents.pages(pageSize: 5)
        let first = try await pager.nextPage()
        XCTAssertEqual(first?.count, 5)
        XCTAssertEqual(pager.count(), 7)
        let second = try await pager.nextPage()
        XCTAssertEqual(second?.count, 2)
        let end = try await pager.nextPage()
        XCTAssertNil(end)
    }

    func testBareArrayListsAndSequences() async throws {
        let (tenant, ids) = try await seeded("array", agents: 5)
        let agents = try tenant.client().agents()
        let page = try await agents.list(limit: 2)
        XCTAssertEqual(page.items.count, 2)
        XCTAssertNil(page.count, "the bare array says no total")
        var all: Set<String> = []
        for try await agent in agents.iter(pageSize: 2) {
            all.insert(agent.agentId)
        }
        XCTAssertEqual(all, Set(ids))
    }

    func testBreakingOutEarly() async throws {
        // 24 agents in pages of 2: 12 pages. The walk prefetches at most 8 pages at once.
        let (tenant, _) = try await seeded("envelope", agents: 24)
        let agents = try tenant.client().agents()
        var seen = 0
        for try await _ in agents.iter(pageSize: 2) {
            seen += 1
            if seen == 2 { break }
        }
        XCTAssertEqual(seen, 2)
        try await Task.sleep(nanoseconds: 300_000_000) // let requests already under way land
        let pages = try await tenant.journal("agents.list").count
        XCTAssertTrue((1...9).contains(pages), "an early stop ends the walk: \(pages) of 12 pages fetched")
    }
}
