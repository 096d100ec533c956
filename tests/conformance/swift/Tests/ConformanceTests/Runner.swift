// The Swift runner of the conformance scenarios (tests/conformance/README.md): every step goes
// through the Swift package's API as an app writes it (`NixflexClient(config:)`,
// `client.agents().withOptions(options:).create(body: AgentCreate(...))`, `for try await` over
// `iter(...)`, `verifyWebhookSignature` / `constructWebhookEvent` / `signWebhook`). The typed
// methods return records without metadata, so a step that needs the attempts or the key of a
// success goes through `NixflexClient.call`, the call with metadata (`RawResponse`). The mock's
// admin API is called with URLSession (test plumbing).

import Foundation
#if canImport(FoundationNetworking)
import FoundationNetworking
#endif
import Nixflex

let defaultTimeoutMs: Int64 = 10_000

// --- the mock's admin API --------------------------------------------------------------------

struct Mock {
    let url: String

    func send(_ method: String, _ path: String, _ body: J? = nil) async throws -> J {
        var request = URLRequest(url: URL(string: url + path)!)
        request.httpMethod = method
        request.setValue("application/json", forHTTPHeaderField: "content-type")
        if let body = body { request.httpBody = Data(body.write().utf8) }
        let (data, status): (Data, Int) = try await withCheckedThrowingContinuation { continuation in
            URLSession.shared.dataTask(with: request) { data, response, error in
                if let error = error {
                    continuation.resume(throwing: error)
                } else {
                    continuation.resume(returning: (data ?? Data(), (response as? HTTPURLResponse)?.statusCode ?? 0))
                }
            }.resume()
        }
        let text = String(decoding: data, as: UTF8.self)
        guard (200..<300).contains(status) else { throw ScenarioError("mock admin \(method) \(path): \(status) \(text.prefix(300))") }
        return text.isEmpty ? .null : try J.parse(text)
    }

    func createTenant() async throws -> [String: J] { try await send("POST", "/__mock/tenants").asObject("tenant") }
    func configure(_ keyId: String, _ patch: J) async throws { _ = try await send("PUT", "/__mock/tenants/\(keyId)/config", patch) }

    func arm(_ keyId: String, _ operation: String?, _ script: [String: J]) async throws {
        var body = script.filter { $0.key != "operation" }
        body["key_id"] = .string(keyId)
        if let operation = operation { body["operation"] = .string(operation) }
        _ = try await send("POST", "/__mock/faults", .object(body))
    }

    func journal(_ keyId: String) async throws -> [[String: J]] {
        let key = keyId.addingPercentEncoding(withAllowedCharacters: .alphanumerics) ?? keyId
        return (try await send("GET", "/__mock/journal?key_id=\(key)").object?["requests"]?.array ?? []).compactMap { $0.object }
    }

    func counts(_ keyId: String) async throws -> J { try await send("GET", "/__mock/tenants/\(keyId)/counts") }
}

// --- templates and the matcher ---------------------------------------------------------------

private let httpDate: DateFormatter = {
    let f = DateFormatter()
    f.locale = Locale(identifier: "en_US_POSIX")
    f.timeZone = TimeZone(identifier: "GMT")
    f.dateFormat = "EEE, dd MMM yyyy HH:mm:ss 'GMT'"
    return f
}()

func token(_ name: String, _ scope: [String: J]) throws -> J {
    if name.hasPrefix("repeat:") {
        let rest = name.dropFirst("repeat:".count)
        guard let colon = rest.firstIndex(of: ":"), let n = Int(rest[rest.startIndex..<colon]) else { throw ScenarioError("bad ${\(name)}") }
        return .string(String(repeating: String(rest[rest.index(after: colon)...]), count: n))
    }
    if name.hasPrefix("http_date:"), let n = Double(name.dropFirst("http_date:".count).replacingOccurrences(of: "+", with: "")) {
        return .string(httpDate.string(from: Date().addingTimeInterval(n)))
    }
    if name.hasPrefix("unix:"), let n = Int64(name.dropFirst("unix:".count).replacingOccurrences(of: "+", with: "")) {
        return .int(Int64(Date().timeIntervalSince1970) + n)
    }
    guard let v = scope[name] else { throw ScenarioError("${\(name)} is not a saved variable") }
    return v
}

private let tokenPattern = try! NSRegularExpression(pattern: "\\$\\{([^}]*)\\}")

func expand(_ value: J, _ scope: [String: J]) throws -> J {
    switch value {
    case .string(let s):
        let ns = s as NSString
        let matches = tokenPattern.matches(in: s, range: NSRange(location: 0, length: ns.length))
        if matches.count == 1, matches[0].range.location == 0, matches[0].range.length == ns.length {
            return try token(ns.substring(with: matches[0].range(at: 1)), scope)
        }
        var out = ""
        var last = 0
        for m in matches {
            out += ns.substring(with: NSRange(location: last, length: m.range.location - last))
            let v = try token(ns.substring(with: m.range(at: 1)), scope)
            out += v.string ?? v.write()
            last = m.range.location + m.range.length
        }
        out += ns.substring(from: last)
        return .string(out)
    case .array(let a): return .array(try a.map { try expand($0, scope) })
    case .object(let o): return .object(try o.mapValues { try expand($0, scope) })
    default: return value
    }
}

func short(_ v: J?) -> String {
    guard let v = v else { return "(absent)" }
    let text = v.write()
    return text.count > 160 ? String(text.prefix(160)) + "…" : text
}

private func isOperator(_ o: [String: J]) -> Bool { !o.isEmpty && o.keys.allSatisfy { $0.hasPrefix("$") } }

private func matches(_ expected: J, _ actual: J?, _ at: String) -> Bool {
    (try? match(expected, actual, at)) != nil
}

private func applyOperator(_ op: String, _ arg: J, _ actual: J?, _ at: String) throws {
    let present = actual.map { !$0.isNull } ?? false
    func fail(_ what: String) -> ScenarioError { ScenarioError("\(at): expected \(what), got \(short(actual))") }
    switch op {
    case "$present":
        if arg != .bool(present) { throw fail(arg == .bool(true) ? "a value" : "absent or null") }
    case "$len":
        let len: Int
        switch actual {
        case .array(let a)?: len = a.count
        case .string(let s)?: len = s.unicodeScalars.count
        case .object(let o)?: len = o.count
        default: throw fail("something of length \(arg.write())")
        }
        if Double(len) != arg.number { throw ScenarioError("\(at): expected length \(arg.write()), got \(len)") }
    case "$regex":
        guard let s = actual?.string, let pattern = arg.string,
              try NSRegularExpression(pattern: pattern).firstMatch(in: s, range: NSRange(location: 0, length: (s as NSString).length)) != nil
        else { throw fail("a string matching /\(arg.string ?? "")/") }
    case "$gte", "$lte":
        guard let n = actual?.number, let bound = arg.number, op == "$gte" ? n >= bound : n <= bound else {
            throw fail("\(op == "$gte" ? ">=" : "<=") \(arg.write())")
        }
    case "$ne":
        if matches(arg, actual, at) { throw fail("anything but \(short(arg))") }
    case "$type":
        let ok: Bool
        switch (arg.string ?? "", actual) {
        case ("null", _): ok = !present
        case ("integer", .int?): ok = true
        case ("number", .int?), ("number", .double?): ok = true
        case ("string", .string?), ("boolean", .bool?), ("array", .array?), ("object", .object?): ok = true
        default: ok = false
        }
        if !ok { throw fail("a \(arg.string ?? "")") }
    case "$contains":
        switch actual {
        case .array(let a)?:
            if !a.contains(where: { matches(arg, $0, at) }) { throw fail("an array with an element matching \(short(arg))") }
        case .string(let s)?:
            guard let needle = arg.string, s.contains(needle) else { throw fail("something containing \(short(arg))") }
        default: throw fail("something containing \(short(arg))")
        }
    case "$at":
        guard case .array(let items)? = actual else { throw fail("an array") }
        for (key, want) in arg.object ?? [:] {
            guard let i = Int(key) else { throw ScenarioError("\(at): $at keys are indexes, not \(key)") }
            let index = i < 0 ? i + items.count : i
            guard items.indices.contains(index) else { throw ScenarioError("\(at): no element at \(key) (length \(items.count))") }
            try match(want, items[index], "\(at)[\(key)]")
        }
    case "$any":
        if !(arg.array ?? []).contains(where: { matches($0, actual, at) }) { throw fail("any of \(short(arg))") }
    default:
        throw ScenarioError("\(at): unknown operator \(op)")
    }
}

/// Throws unless `actual` (nil: absent) matches `expected`.
func match(_ expected: J, _ actual: J?, _ at: String) throws {
    switch expected {
    case .null:
        if let a = actual, !a.isNull { throw ScenarioError("\(at): expected null or absent, got \(short(a))") }
    case .object(let o) where isOperator(o):
        for (op, arg) in o { try applyOperator(op, arg, actual, at) }
    case .object(let o):
        guard let got = actual?.object else { throw ScenarioError("\(at): expected an object, got \(short(actual))") }
        for (k, v) in o { try match(v, got[k], "\(at).\(k)") }
    case .array(let want):
        guard let got = actual?.array else { throw ScenarioError("\(at): expected an array, got \(short(actual))") }
        if want.count != got.count { throw ScenarioError("\(at): expected \(want.count) elements, got \(got.count): \(short(actual))") }
        for (i, (w, g)) in zip(want, got).enumerated() { try match(w, g, "\(at)[\(i)]") }
    case .int, .double:
        guard let n = actual?.number, n == expected.number else { throw ScenarioError("\(at): expected \(expected.write()), got \(short(actual))") }
    default:
        if actual != expected { throw ScenarioError("\(at): expected \(expected.write()), got \(short(actual))") }
    }
}

func lookup(_ start: J, _ path: String) -> J? {
    var value: J = start
    for part in path.split(separator: ".").map(String.init) {
        if let o = value.object, let v = o[part] {
            value = v
        } else if let a = value.array, let i = Int(part), i < a.count {
            value = a[i]
        } else {
            return nil
        }
    }
    return value
}

// --- outcomes --------------------------------------------------------------------------------

func errorJson(_ e: NixflexError) -> J {
    let info = e.info()
    return .object([
        "kind": .string(info.kind),
        "status": info.status.map { .int(Int64($0)) } ?? .null,
        "code": J(info.code),
        "request_id": J(info.requestId),
        "idempotency_key": J(info.idempotencyKey),
        "attempts": .int(Int64(info.attempts)),
        "retry_after_s": J(info.retryAfterSeconds),
        "message": .string(info.message),
        "details": J.parseText(info.details),
    ])
}

func failure(_ e: NixflexError) -> [String: J] { ["ok": .bool(false), "error": errorJson(e)] }

func sdkKey(_ outcome: [String: J]) -> String? {
    outcome["meta"]?.object?["idempotency_key"]?.string ?? outcome["error"]?.object?["idempotency_key"]?.string
}

/// What a step did, in the terms every runner shares: run.py compares these across languages.
func observe(_ kind: String, _ outcome: [String: J]) -> J {
    let error = outcome["error"]?.object
    if kind == "webhook" {
        var seen: [String: J] = ["ok": outcome["ok"] ?? .null, "verify": outcome["verify"] ?? .null]
        if let error = error { seen["kind"] = error["kind"] ?? .null }
        return .object(seen)
    }
    if outcome["ok"] != .bool(true) {
        let e = error ?? [:]
        return .object(["ok": .bool(false), "kind": e["kind"] ?? .null, "status": e["status"] ?? .null,
                        "code": e["code"] ?? .null, "attempts": e["attempts"] ?? .null])
    }
    var seen: [String: J] = ["ok": .bool(true)]
    if kind == "iterate" { seen["items"] = .int(Int64(outcome["result"]?.array?.count ?? 0)) }
    return .object(seen)
}

func describe(_ step: [String: J]) -> String {
    for k in ["op", "iterate"] { if let v = step[k]?.string { return "\(k) \(v)" } }
    if let seed = step["seed"]?.object { return "seed \(seed["op"]?.string ?? "?")" }
    return ["webhook", "config", "arm"].first { step[$0] != nil } ?? "?"
}

final class Run {
    let mock: Mock
    let scenario: [String: J]
    let tenant: [String: J]
    var vars: [String: J] = [:]
    var clientSettings: [String: J] = [:]
    var client: NixflexClient?
    /// What each step did, for run.py to compare across languages.
    var trace: [J] = []

    init(mock: Mock, scenario: [String: J], tenant: [String: J]) {
        self.mock = mock
        self.scenario = scenario
        self.tenant = tenant
    }

    var keyId: String { tenant["key_id"]?.string ?? "" }

    func scope(_ index: Int64? = nil) -> [String: J] {
        var s = vars
        s["tenant.key_id"] = tenant["key_id"]
        s["tenant.key_secret"] = tenant["key_secret"]
        s["tenant.api_key"] = tenant["api_key"]
        if let index = index { s["i"] = .int(index) }
        return s
    }

    func buildClient(_ settings: [String: J]) throws -> NixflexClient {
        let timeout: Int64 = try settings["timeout_ms"].map { try $0.asInt64("timeout_ms") } ?? defaultTimeoutMs
        let retries = try settings["max_retries"].map { UInt32(try $0.asInt64("max_retries")) }
        return try NixflexClient(config: ClientConfig(
            apiKey: settings["api_key"]?.string ?? tenant["api_key"]?.string,
            baseUrl: mock.url,
            timeoutMs: UInt64(timeout),
            maxRetries: retries))
    }

    func getClient(_ step: [String: J]) throws -> NixflexClient {
        if let settings = step["client"]?.object { return try buildClient(settings) }
        if let client = client { return client }
        let built = try buildClient(clientSettings)
        client = built
        return built
    }

    func requestOptions(_ options: [String: J]?) throws -> RequestOptions? {
        guard let options = options, !options.isEmpty else { return nil }
        var timeout: UInt64?
        var retries: UInt32?
        var key: String?
        var headers: [String: String] = [:]
        for (k, v) in options {
            switch k {
            case "timeout_ms": timeout = UInt64(try v.asInt64(k))
            case "max_retries": retries = UInt32(try v.asInt64(k))
            case "idempotency_key": key = try v.asString(k)
            case "headers": headers = try v.asObject(k).mapValues { try $0.asString("headers") }
            default: throw ScenarioError("unknown option \(k)")
            }
        }
        return RequestOptions(timeoutMs: timeout, maxRetries: retries, idempotencyKey: key, headers: headers)
    }

    func args(_ step: [String: J]) -> Args {
        Args(path: step["path"]?.object ?? [:], query: step["query"]?.object ?? [:], bodyValue: step["body"])
    }

    func call(_ step: [String: J], _ op: String) async throws -> [String: J] {
        let c: NixflexClient
        do { c = try getClient(step) } catch let e as NixflexError { return failure(e) }
        let o = try requestOptions(step["options"]?.object)
        let a = args(step)
        // The typed method, as a user calls it; a recorder on the handle gives the metadata.
        let recorder = ResponseRecorder()
        do {
            let result = try await ConformanceTests_call(c, op, a, o, recorder)
            guard let meta = recorder.last() else { throw ScenarioError("\(op): no response was recorded") }
            return [
                "ok": .bool(true),
                "result": result,
                "meta": .object([
                    "attempts": .int(Int64(meta.attempts)), "idempotency_key": J(meta.idempotencyKey),
                    "request_id": J(meta.requestId), "status": .int(Int64(meta.status)),
                ]),
            ]
        } catch let e as NixflexError {
            return failure(e)
        }
    }

    func iterate(_ step: [String: J], _ op: String) async throws -> [String: J] {
        let c: NixflexClient
        do { c = try getClient(step) } catch let e as NixflexError { return failure(e) }
        let o = try requestOptions(step["options"]?.object?.filter { $0.key != "idempotency_key" })
        let size: Int64 = try step["page_size"].map { try $0.asInt64("page_size") } ?? 100
        let pageSize = UInt32(size)
        let maxItems = try step["max_items"].map { UInt64(try $0.asInt64("max_items")) }
        do {
            return ["ok": .bool(true), "result": .array(try await ConformanceTests_iterate(c, op, args(step), o, pageSize: pageSize, maxItems: maxItems))]
        } catch let e as NixflexError {
            return failure(e)
        }
    }

    func webhook(_ spec: [String: J]) throws -> [String: J] {
        let body = try (spec["body"] ?? .null).asString("webhook.body")
        var header: String? = spec["header"]?.string
        if let sign = spec["sign"]?.object {
            header = try signWebhook(
                rawBody: sign["body"]?.string ?? body, secret: try (sign["secret"] ?? .null).asString("sign.secret"),
                timestamp: try (sign["timestamp"] ?? .null).asInt64("sign.timestamp"))
        }
        let secrets = try (spec["secrets"]?.array ?? []).map { try $0.asString("secrets") }
        let toleranceSeconds: Int64 = try spec["tolerance_s"].map { try $0.asInt64("tolerance_s") } ?? 300
        let tolerance = UInt64(toleranceSeconds)
        let now = try spec["now"].map { try $0.asInt64("now") }
        let verify = secrets.map { verifyWebhookSignature(rawBody: body, header: header ?? "", secret: $0, toleranceSeconds: tolerance, now: now) }
        do {
            let event = try constructWebhookEvent(rawBody: body, header: header, secrets: secrets, toleranceSeconds: tolerance, now: now)
            return ["header": J(header), "verify": .array(verify.map { .bool($0) }), "ok": .bool(true), "event": try J.parse(event.json), "error": .null]
        } catch let e as NixflexError {
            return ["header": J(header), "verify": .array(verify.map { .bool($0) }), "ok": .bool(false), "event": .null, "error": errorJson(e)]
        }
    }

    func checkJournal(_ want: [String: J], _ stepOp: String?, _ since: Int64, _ outcome: [String: J]) async throws {
        let op = want["operation"]?.string ?? stepOp
        let entries = try await mock.journal(keyId).filter {
            (($0["seq"]?.number ?? 0) > Double(since)) && (op == nil || $0["operation"]?.string == op)
        }
        let keys = entries.map { $0["headers"]?.object?["idempotency-key"]?.string }
        for (k, v) in want {
            let at = "journal.\(k)"
            switch k {
            case "operation": continue
            case "count": try match(v, .int(Int64(entries.count)), at)
            case "same_idempotency_key":
                guard v == .bool(true) else { continue }
                guard let first = keys.first ?? nil, !first.isEmpty else {
                    throw ScenarioError("\(at): the first request carried no Idempotency-Key (\(entries.count) requests)")
                }
                if let other = keys.first(where: { $0 != first }) { throw ScenarioError("\(at): keys differ between attempts: \(first) then \(other ?? "none")") }
                let reported = sdkKey(outcome)
                if reported != first { throw ScenarioError("\(at): the SDK reports \(reported), the server saw \(first)") }
            case "idempotency_key":
                switch v {
                case .bool(false):
                    if let carried = keys.compactMap({ $0 }).first { throw ScenarioError("\(at): expected no key, a request carried \(carried)") }
                case .string(let want):
                    if entries.isEmpty || keys.contains(where: { $0 != want }) { throw ScenarioError("\(at): expected \(want) on every request, got \(keys)") }
                default: throw ScenarioError("\(at): expected false or a string")
                }
            case "gaps_ms":
                // Between the arrivals of consecutive requests: how long the SDK waited.
                let arrivals = entries.map { Int64($0["at_ms"]?.number ?? 0) }
                try match(v, .array(zip(arrivals, arrivals.dropFirst()).map { .int($1 - $0) }), at)
            case "statuses": try match(v, .array(entries.map { $0["status"] ?? .null }), at)
            case "replayed": try match(v, .array(entries.map { $0["replayed"] ?? .null }), at)
            case "path", "decoded_path_params", "query", "headers", "body":
                if entries.isEmpty { throw ScenarioError("\(at): no request reached the mock") }
                for (i, e) in entries.enumerated() { try match(v, e[k], "\(at)[\(i)]") }
            default: throw ScenarioError("unknown journal expectation \(k)")
            }
        }
    }

    func check(_ expect: [String: J], _ outcome: [String: J], _ op: String?, _ since: Int64?) async throws {
        let ok = outcome["ok"] == .bool(true)
        if outcome["verify"] == nil {
            if expect["error"] == nil && !ok { throw ScenarioError("unexpected error: \(short(outcome["error"]))") }
            if expect["error"] != nil && ok { throw ScenarioError("expected an error, got the result \(short(outcome["result"]))") }
        } else if expect["error"] != nil && ok {
            throw ScenarioError("expected the strict check to fail, got the event \(short(outcome["event"]))")
        } else if expect["event"] != nil && !ok {
            throw ScenarioError("expected an event, the strict check failed: \(short(outcome["error"]))")
        }
        for (k, v) in expect {
            switch k {
            case "result", "error", "header", "verify", "event": try match(v, outcome[k], k)
            case "attempts": try match(v, (ok ? outcome["meta"] : outcome["error"])?.object?["attempts"], k)
            case "idempotency_key": try match(v, J(sdkKey(outcome)), k)
            case "distinct":
                let field = v.object?["field"]?.string ?? ""
                let values = Set((outcome["result"]?.array ?? []).map { (lookup($0, field) ?? .null).write() })
                try match(v.object?["count"] ?? .null, .int(Int64(values.count)), "distinct.count")
            case "journal": try await checkJournal(v.object ?? [:], op, since ?? 0, outcome)
            case "counts": try match(v, try await mock.counts(keyId), "counts")
            default: throw ScenarioError("unknown expectation \(k)")
            }
        }
    }

    func save(_ save: [String: J]?, _ outcome: [String: J]) throws {
        for (name, path) in save ?? [:] {
            guard let value = lookup(.object(outcome), path.string ?? "") else { throw ScenarioError("cannot save \(name): nothing at \(short(path))") }
            vars[name] = value
        }
    }

    func step(_ raw: [String: J]) async throws {
        guard let kind = ["op", "iterate", "seed", "webhook", "config", "arm"].first(where: { raw[$0] != nil }) else {
            throw ScenarioError("a step needs one of op, iterate, seed, webhook, config, arm")
        }
        if kind == "seed" {
            let seed = try (raw["seed"] ?? .null).asObject("seed")
            let op = try (seed["op"] ?? .null).asString("seed.op")
            var last: [String: J] = [:]
            let count = try (seed["count"] ?? .null).asInt64("seed.count")
            for i in stride(from: Int64(1), through: count, by: 1) {
                last = try await call(try expand(.object(seed), scope(i)).asObject("seed"), op)
                if last["ok"] != .bool(true) { throw ScenarioError("seed \(op) #\(i) failed: \(short(last["error"]))") }
            }
            try save(raw["save"]?.object, last)
            return
        }
        let step = try expand(.object(raw), scope()).asObject("step")
        if kind == "config" {
            try await mock.configure(keyId, step["config"] ?? .null)
            return
        }
        if kind == "arm" {
            let arm = try (step["arm"] ?? .null).asObject("arm")
            try await mock.arm(keyId, arm["operation"]?.string, arm)
            return
        }
        let op = (kind == "op" || kind == "iterate") ? step[kind]?.string : nil
        if let faults = step["faults"] {
            try await mock.arm(keyId, step["fault_operation"]?.string ?? op, ["faults": faults])
        }
        let expect = step["expect"]?.object ?? [:]
        var since: Int64?
        if expect["journal"] != nil {
            since = Int64(try await mock.journal(keyId).compactMap { $0["seq"]?.number }.max() ?? 0)
        }
        let outcome: [String: J]
        switch kind {
        case "op": outcome = try await call(step, op ?? "")
        case "iterate": outcome = try await iterate(step, op ?? "")
        default: outcome = try webhook(try (step["webhook"] ?? .null).asObject("webhook"))
        }
        trace.append(observe(kind, outcome))
        try await check(expect, outcome, op, since)
        try save(step["save"]?.object, outcome)
    }

    func run() async throws {
        if let config = scenario["config"] { try await mock.configure(keyId, config) }
        clientSettings = try expand(scenario["client"] ?? .object([:]), scope()).asObject("client")
        for (i, step) in (scenario["steps"]?.array ?? []).enumerated() {
            let s = step.object ?? [:]
            do {
                try await self.step(s)
            } catch let e as ScenarioError {
                throw ScenarioError("step \(i + 1) (\(describe(s))): \(e.message)")
            } catch {
                throw ScenarioError("step \(i + 1) (\(describe(s))): \(error)")
            }
        }
    }
}

// The generated dispatch's free functions, under names the class's own `call`/`iterate` do not hide.
func ConformanceTests_call(_ client: NixflexClient, _ op: String, _ a: Args, _ o: RequestOptions?, _ r: ResponseRecorder?) async throws -> J {
    try await call(client, op, a, o, r)
}

func ConformanceTests_iterate(_ client: NixflexClient, _ op: String, _ a: Args, _ o: RequestOptions?, pageSize: UInt32, maxItems: UInt64?) async throws -> [J] {
    try await iterate(client, op, a, o, pageSize: pageSize, maxItems: maxItems)
}
