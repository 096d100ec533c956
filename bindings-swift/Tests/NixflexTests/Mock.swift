// Test support: the mock server's admin API (/__mock/) and one fresh tenant per test.

import Foundation
#if canImport(FoundationNetworking)
import FoundationNetworking
#endif
import XCTest
@testable import Nixflex

enum Mock {
    static var url: String {
        guard let url = ProcessInfo.processInfo.environment["NIXFLEX_MOCK_URL"], !url.isEmpty else {
            fatalError("NIXFLEX_MOCK_URL is not set: run bindings-swift/test.sh, which starts the mock server")
        }
        return url.hasSuffix("/") ? String(url.dropLast()) : url
    }

    @discardableResult
    static func send(_ method: String, _ path: String, _ body: String? = nil) async throws -> Any {
        var request = URLRequest(url: URL(string: url + path)!)
        request.httpMethod = method
        request.setValue("application/json", forHTTPHeaderField: "content-type")
        if let body = body {
            request.httpBody = Data(body.utf8)
        }
        let (data, status): (Data, Int) = try await withCheckedThrowingContinuation { continuation in
            URLSession.shared.dataTask(with: request) { data, response, error in
                if let error = error {
                    continuation.resume(throwing: error)
                } else {
                    continuation.resume(returning: (data ?? Data(), (response as? HTTPURLResponse)?.statusCode ?? 0))
                }
            }.resume()
        }
        guard (200..<300).contains(status) else {
            throw NSError(domain: "Mock", code: status, userInfo: [
                NSLocalizedDescriptionKey: "\(method) \(path): \(status) \(String(decoding: data, as: UTF8.self))",
            ])
        }
        return try JSONSerialization.jsonObject(with: data, options: [.fragmentsAllowed])
    }
}

/// A fresh tenant of the mock: its own key, state, faults and journal.
struct Tenant {
    let keyId: String
    let apiKey: String

    static func create() async throws -> Tenant {
        let body = try await Mock.send("POST", "/__mock/tenants") as! [String: Any]
        return Tenant(keyId: body["key_id"] as! String, apiKey: body["api_key"] as! String)
    }

    func client(timeoutMs: UInt64 = 5_000, maxRetries: UInt32? = nil) throws -> NixflexClient {
        try NixflexClient(config: ClientConfig(
            apiKey: apiKey, baseUrl: Mock.url, timeoutMs: timeoutMs, maxRetries: maxRetries))
    }

    /// Arms faults: `faults` is the JSON array of the admin API, `random` an optional object.
    func arm(_ operation: String?, faults: String = "[]", random: String? = nil) async throws {
        var body = "{\"key_id\":\"\(keyId)\",\"faults\":\(faults)"
        if let operation = operation { body += ",\"operation\":\"\(operation)\"" }
        if let random = random { body += ",\"random\":\(random)" }
        try await Mock.send("POST", "/__mock/faults", body + "}")
    }

    func clearFaults() async throws {
        try await Mock.send("DELETE", "/__mock/faults?key_id=\(keyId)")
    }

    func configure(_ json: String) async throws {
        try await Mock.send("PUT", "/__mock/tenants/\(keyId)/config", json)
    }

    func journal(_ operation: String? = nil) async throws -> [[String: Any]] {
        let op = operation.map { "&operation=\($0)" } ?? ""
        let body = try await Mock.send("GET", "/__mock/journal?key_id=\(keyId)\(op)") as! [String: Any]
        return body["requests"] as! [[String: Any]]
    }

    func counts() async throws -> [String: Any] {
        try await Mock.send("GET", "/__mock/tenants/\(keyId)/counts") as! [String: Any]
    }
}

/// Runs `call` and returns the `NixflexError` it threw; fails the test on anything else.
func expectError<T>(
    _ call: () async throws -> T, file: StaticString = #filePath, line: UInt = #line
) async -> NixflexError? {
    do {
        _ = try await call()
        XCTFail("expected a NixflexError, got no error", file: file, line: line)
    } catch let error as NixflexError {
        return error
    } catch {
        XCTFail("expected a NixflexError, got \(error)", file: file, line: line)
    }
    return nil
}

func json(_ text: String) throws -> [String: Any] {
    try JSONSerialization.jsonObject(with: Data(text.utf8)) as! [String: Any]
}
