// The entry point: one XCTest case that runs every scenario and writes one JSON line per scenario
// (to the file named by NIXFLEX_CONFORMANCE_OUT, else to stdout). It never fails on a scenario:
// the aggregator (tests/conformance/run.py) judges the lines.

import Foundation
import XCTest

final class ConformanceTests: XCTestCase {
    func testScenarios() async throws {
        let env = ProcessInfo.processInfo.environment
        guard let mockUrl = env["NIXFLEX_MOCK_URL"], !mockUrl.isEmpty else {
            throw ScenarioError("set NIXFLEX_MOCK_URL to the mock server's URL")
        }
        let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent()
            .appendingPathComponent("../../../../..").standardizedFileURL
        let dir = env["NIXFLEX_CONFORMANCE_SCENARIOS"].map { URL(fileURLWithPath: $0) }
            ?? root.appendingPathComponent("tests/conformance/scenarios")
        let prefixes = (env["NIXFLEX_CONFORMANCE_ONLY"] ?? "").split(whereSeparator: { $0 == " " || $0 == "," }).map(String.init)
        let files = try FileManager.default.contentsOfDirectory(atPath: dir.path).filter { $0.hasSuffix(".json") }.sorted()
        var scenarios: [[String: J]] = []
        for file in files {
            let text = try String(contentsOf: dir.appendingPathComponent(file), encoding: .utf8)
            for s in try J.parse(text).object?["scenarios"]?.array ?? [] {
                guard let scenario = s.object, let name = scenario["name"]?.string else { continue }
                if prefixes.isEmpty || prefixes.contains(where: { name.hasPrefix($0) }) { scenarios.append(scenario) }
            }
        }
        let mock = Mock(url: mockUrl.hasSuffix("/") ? String(mockUrl.dropLast()) : mockUrl)
        let out = env["NIXFLEX_CONFORMANCE_OUT"].flatMap { $0.isEmpty ? nil : $0 }
        if let out = out { FileManager.default.createFile(atPath: out, contents: Data()) }
        let jobs = 4
        var next = 0
        try await withThrowingTaskGroup(of: String.self) { group in
            func start() {
                guard next < scenarios.count else { return }
                let scenario = scenarios[next]
                next += 1
                group.addTask {
                    let name = scenario["name"]?.string ?? "?"
                    var ok = true
                    var detail = ""
                    var run: Run?
                    do {
                        let tenant = try await mock.createTenant()
                        run = Run(mock: mock, scenario: scenario, tenant: tenant)
                        try await run?.run()
                    } catch {
                        ok = false
                        detail = "\(error)"
                    }
                    let trace = J.array(run?.trace ?? [])
                    return J.object(["scenario": .string(name), "language": .string("swift"), "ok": .bool(ok), "detail": .string(detail), "trace": trace]).write()
                }
            }
            for _ in 0..<jobs { start() }
            while let line = try await group.next() {
                if let out = out, let handle = FileHandle(forWritingAtPath: out) {
                    handle.seekToEndOfFile()
                    handle.write(Data((line + "\n").utf8))
                    handle.closeFile()
                } else {
                    print(line)
                }
                start()
            }
        }
    }
}
