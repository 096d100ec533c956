import Foundation
import XCTest
@testable import Nixflex

/// Every error kind arrives as its own `NixflexError` case, with every field.
final class ErrorsTests: XCTestCase {
    private func fixture() async throws -> (Tenant, NixflexClient) {
        let tenant = try await Tenant.create()
        return (tenant, try tenant.client())
    }

    func testNotFoundCarriesEveryField() async throws {
        let (_, client) = try await fixture()
        let error = await expectError { try await client.agents().get(agentId: "agent_0000000000000000") }
        guard case .NotFound(let message, let status, let code, let errorType, let docUrl, let requestId, _, let idempotencyKey, let attempts, _)? = error else {
            return XCTFail("expected .NotFound, got \(String(describing: error))")
        }
        XCTAssertFalse(message.isEmpty)
        XCTAssertEqual(status, 404)
        XCTAssertEqual(code, "agent_not_found")
        XCTAssertEqual(errorType, "not_found")
        XCTAssertEqual(docUrl, "https://docs.nixflex.com/errors/agent_not_found")
        XCTAssertEqual(error?.errorType, "not_found")
        XCTAssertEqual(error?.docUrl, "https://docs.nixflex.com/errors/agent_not_found")
        XCTAssertNotNil(requestId)
        XCTAssertNil(idempotencyKey, "a GET carries no idempotency key")
        XCTAssertEqual(attempts, 1)
        XCTAssertEqual(error?.kind, "not_found")
        XCTAssertEqual(error?.requestId, requestId)
        XCTAssertEqual(error?.fields, error?.info())
        XCTAssertTrue(error!.description.contains("404 agent_not_found"))
    }

    func testInvalidRequestWithCodeAndDetails() async throws {
        let (_, client) = try await fixture()
        let long = await expectError {
            try await client.agents().create(body: AgentCreate(name: "Long", systemPrompt: String(repeating: "a", count: 16_001)))
        }
        XCTAssertEqual(long?.kind, "invalid_request")
        XCTAssertEqual(long?.status, 400)
        XCTAssertEqual(long?.code, "prompt_too_long")
        XCTAssertEqual(long?.errorType, "invalid_request")
        XCTAssertEqual(long?.docUrl, "https://docs.nixflex.com/errors/prompt_too_long")
        XCTAssertEqual(try json(long?.details ?? "{}")["field"] as? String, "system_prompt")
        XCTAssertNotNil(long?.idempotencyKey, "a mutation carries an idempotency key")

        let agent = try await client.agents().create(body: AgentCreate(name: "Dialler"))
        let number = PhoneNumberImport(
            phoneNumber: "+447700900101", agentId: agent.agentId, twilioSid: "AC" + String(repeating: "1", count: 32), twilioToken: "t")
        _ = try await client.phoneNumbers().import(body: number)
        let bad = await expectError {
            try await client.campaigns().create(body: BatchCampaignCreate(
                agentId: agent.agentId, prompt: "Hi", recipients: [BatchRecipient(phone: "12345")]))
        }
        XCTAssertEqual(bad?.code, "invalid_phone_format")
        XCTAssertNotNil(try json(bad?.details ?? "{}")["invalid"])

        let conflict = await expectError { try await client.phoneNumbers().import(body: number) }
        guard case .Conflict? = conflict else { return XCTFail("expected .Conflict, got \(String(describing: conflict))") }
        XCTAssertEqual(conflict?.status, 409)
    }

    func testAuthenticationAndConfiguration() async throws {
        let (tenant, _) = try await fixture()
        let wrong = try NixflexClient(config: ClientConfig(apiKey: "\(tenant.keyId):nxfs_wrong", baseUrl: Mock.url))
        let auth = await expectError { try await wrong.usage().get() }
        guard case .Authentication? = auth else { return XCTFail("expected .Authentication") }
        XCTAssertEqual(auth?.status, 401)
        XCTAssertNotNil(auth?.errorType)
        XCTAssertTrue(auth?.docUrl?.hasPrefix("https://docs.nixflex.com/errors/") == true)
        // The wrong secret the request carried is never echoed back.
        XCTAssertFalse(String(describing: auth).contains("nxfs_wrong"))

        let malformed = expectConfiguration { try NixflexClient(config: ClientConfig(apiKey: "not-a-key", baseUrl: Mock.url)) }
        XCTAssertNil(malformed?.status)
        XCTAssertNil(malformed?.errorType, "no response, so no API type")
        XCTAssertNil(malformed?.docUrl)
        XCTAssertTrue(malformed?.message.contains("nxf_<id>:nxfs_<secret>") == true)
        // A secret that fails the check (a space in it) is never echoed, in the message or the
        // description.
        let leaky = expectConfiguration {
            try NixflexClient(config: ClientConfig(apiKey: "\(tenant.keyId):nxfs_s3cr3t value", baseUrl: Mock.url))
        }
        XCTAssertTrue(leaky?.message.contains("key secret") == true)
        XCTAssertFalse(leaky.map { "\($0) \($0.message) \(String(reflecting: $0))" }?.contains("s3cr3t") ?? true)
    }

    /// The `.Configuration` error `make` throws, or a failure.
    private func expectConfiguration(
        _ make: () throws -> NixflexClient, file: StaticString = #filePath, line: UInt = #line
    ) -> NixflexError? {
        do {
            _ = try make()
            XCTFail("a bad key is rejected at construction", file: file, line: line)
        } catch let error as NixflexError {
            guard case .Configuration = error else {
                XCTFail("expected .Configuration, got \(error)", file: file, line: line)
                return nil
            }
            return error
        } catch {
            XCTFail("expected a NixflexError, got \(error)", file: file, line: line)
        }
        return nil
    }

    func testStatusesFromFaults() async throws {
        let (tenant, _) = try await fixture()
        let quick = try tenant.client(maxRetries: 1)
        // Two of each: a retryable status fails the retry too.
        func fault(_ json: String) async throws -> NixflexError? {
            try await tenant.arm("usage.get", faults: "[\(json),\(json)]")
            let error = await expectError { try await quick.usage().get() }
            try await tenant.clearFaults()
            // The fields read in Swift agree with the library's own view of the error.
            XCTAssertEqual(error?.fields, error?.info())
            return error
        }
        let forbidden = try await fault("{\"status\":403}")
        XCTAssertEqual(forbidden?.kind, "permission_denied")
        let unpaid = try await fault("{\"status\":402}")
        XCTAssertEqual(unpaid?.kind, "payment_required")
        let teapot = try await fault("{\"status\":418}")
        XCTAssertEqual(teapot?.kind, "unexpected_status")
        let server = try await fault("{\"status\":500}")
        XCTAssertEqual(server?.kind, "server")
        XCTAssertEqual(server?.attempts, 2, "one retry on a 500")
        let upstream = try await fault("{\"status\":502,\"body\":\"<html><h1>502 Bad Gateway</h1></html>\",\"content_type\":\"text/html\"}")
        XCTAssertEqual(upstream?.kind, "upstream")
        XCTAssertTrue(upstream?.message.contains("502 Bad Gateway") == true)
        let decode = try await fault("{\"status\":200,\"body\":\"not json\"}")
        XCTAssertEqual(decode?.kind, "decode")
        XCTAssertEqual(decode?.status, 200)

        // Last: a 429 pauses every request of its client until the server's wait has passed.
        let limited = try await fault("{\"status\":429,\"retry_after\":\"120\"}")
        XCTAssertEqual(limited?.kind, "rate_limited")
        XCTAssertEqual(limited?.retryAfterSeconds, 120)
        XCTAssertEqual(limited?.attempts, 1, "a wait above the cap fails at once")
    }

    func testMutationsKeepTheirIdempotencyKeyAcrossRetries() async throws {
        let (tenant, client) = try await fixture()
        try await tenant.arm("agents.create", faults: "[{\"status\":503},{\"status\":503},{\"status\":503}]")
        let retrying = try tenant.client(maxRetries: 2)
        let error = await expectError { try await retrying.agents().create(body: AgentCreate(name: "Retried")) }
        XCTAssertEqual(error?.kind, "server")
        XCTAssertEqual(error?.attempts, 3)
        let keys = Set(try await tenant.journal("agents.create").compactMap { ($0["headers"] as? [String: Any])?["idempotency-key"] as? String })
        XCTAssertEqual(keys, [error!.idempotencyKey!])
        let agent = try await client.agents()
            .withOptions(options: RequestOptions(idempotencyKey: error?.idempotencyKey))
            .create(body: AgentCreate(name: "Retried"))
        XCTAssertEqual(agent.name, "Retried")
    }

    func testTimeoutsAndConnections() async throws {
        let (tenant, _) = try await fixture()
        let impatient = try tenant.client(timeoutMs: 300, maxRetries: 0)
        try await tenant.arm("usage.get", faults: "[{\"delay_ms\":1500}]")
        let timeout = await expectError { try await impatient.usage().get() }
        XCTAssertEqual(timeout?.kind, "timeout")
        try await tenant.clearFaults()

        try await tenant.arm("usage.get", faults: "[{\"drop\":\"before\"}]")
        let dropped = await expectError { try await impatient.usage().get() }
        XCTAssertEqual(dropped?.kind, "connection")
        try await tenant.clearFaults()

        let nowhere = try NixflexClient(config: ClientConfig(apiKey: tenant.apiKey, baseUrl: "http://127.0.0.1:9", maxRetries: 0))
        let refused = await expectError { try await nowhere.usage().get() }
        XCTAssertEqual(refused?.kind, "connection")
    }

    func testEscapeHatchesReturnTheRawResponse() async throws {
        let (_, client) = try await fixture()
        let agent = try await client.agents().create(body: AgentCreate(name: "Raw"))
        let raw = try await client.call(operationId: "agents.get", path: ["agent_id": agent.agentId])
        XCTAssertEqual(raw.status, 200)
        XCTAssertNotNil(raw.requestId)
        XCTAssertEqual(try json(raw.body)["agent_id"] as? String, agent.agentId)
        let created = try await client.request(method: "POST", path: "/v1/agents", body: "{\"name\":\"Via request\"}")
        XCTAssertEqual(created.status, 201)
        XCTAssertNotNil(created.idempotencyKey)
        let unknown = await expectError { try await client.call(operationId: "agents.fly") }
        XCTAssertEqual(unknown?.kind, "invalid_request")
    }
}
