// JSON values for the runner: parsed and written here (numbers keep the integer/float
// distinction, objects are dictionaries), plus the typed reads the generated Dispatch.swift uses
// to build the Swift API's records.

import Foundation

struct ScenarioError: Error, CustomStringConvertible {
    let message: String
    init(_ message: String) { self.message = message }
    var description: String { message }
}

indirect enum J: Equatable {
    case null
    case bool(Bool)
    case int(Int64)
    case double(Double)
    case string(String)
    case array([J])
    case object([String: J])

    init(_ v: String?) { self = v.map { .string($0) } ?? .null }
    init(_ v: Int64?) { self = v.map { .int($0) } ?? .null }
    init(_ v: UInt64?) { self = v.map { .int(Int64($0)) } ?? .null }
    init(_ v: Double?) { self = v.map { .double($0) } ?? .null }
    init(_ v: Bool?) { self = v.map { .bool($0) } ?? .null }
    init(_ v: [String]?) { self = v.map { .array($0.map { .string($0) }) } ?? .null }
    init(_ v: [Int64]?) { self = v.map { .array($0.map { .int($0) }) } ?? .null }
    init(_ v: [String: String]?) { self = v.map { .object($0.mapValues { .string($0) }) } ?? .null }

    static func parseText(_ text: String?) -> J {
        guard let text = text else { return .null }
        return (try? J.parse(text)) ?? .string(text)
    }

    static func parseTexts(_ texts: [String]?) -> J {
        guard let texts = texts else { return .null }
        return .array(texts.map { parseText($0) })
    }

    var isNull: Bool { if case .null = self { return true } else { return false } }
    var number: Double? {
        switch self {
        case .int(let n): return Double(n)
        case .double(let d): return d
        default: return nil
        }
    }
    var string: String? { if case .string(let s) = self { return s } else { return nil } }
    var object: [String: J]? { if case .object(let o) = self { return o } else { return nil } }
    var array: [J]? { if case .array(let a) = self { return a } else { return nil } }

    // --- parsing and writing ---

    static func parse(_ text: String) throws -> J {
        var p = Parser(Array(text.unicodeScalars))
        p.space()
        let v = try p.value()
        p.space()
        if p.i != p.s.count { throw ScenarioError("trailing JSON text") }
        return v
    }

    func write() -> String {
        switch self {
        case .null: return "null"
        case .bool(let b): return b ? "true" : "false"
        case .int(let n): return String(n)
        case .double(let d): return d.isFinite ? (d == d.rounded() && abs(d) < 1e15 ? String(format: "%.1f", d) : String(d)) : "null"
        case .string(let s): return J.quote(s)
        case .array(let a): return "[" + a.map { $0.write() }.joined(separator: ",") + "]"
        case .object(let o): return "{" + o.keys.sorted().map { J.quote($0) + ":" + o[$0]!.write() }.joined(separator: ",") + "}"
        }
    }

    static func quote(_ s: String) -> String {
        var out = "\""
        for c in s.unicodeScalars {
            switch c {
            case "\"": out += "\\\""
            case "\\": out += "\\\\"
            case "\n": out += "\\n"
            case "\r": out += "\\r"
            case "\t": out += "\\t"
            default:
                if c.value < 0x20 { out += String(format: "\\u%04x", c.value) } else { out.unicodeScalars.append(c) }
            }
        }
        return out + "\""
    }

    private struct Parser {
        let s: [Unicode.Scalar]
        var i = 0
        init(_ s: [Unicode.Scalar]) { self.s = s }

        mutating func space() {
            while i < s.count, s[i] == " " || s[i] == "\n" || s[i] == "\r" || s[i] == "\t" { i += 1 }
        }

        mutating func value() throws -> J {
            space()
            guard i < s.count else { throw ScenarioError("unexpected end of JSON") }
            switch s[i] {
            case "{": return try object()
            case "[": return try array()
            case "\"": return .string(try string())
            case "t": try word("true"); return .bool(true)
            case "f": try word("false"); return .bool(false)
            case "n": try word("null"); return .null
            default: return try number()
            }
        }

        mutating func word(_ w: String) throws {
            for c in w.unicodeScalars {
                guard i < s.count, s[i] == c else { throw ScenarioError("bad JSON literal") }
                i += 1
            }
        }

        mutating func number() throws -> J {
            let start = i
            while i < s.count, "+-0123456789.eE".unicodeScalars.contains(s[i]) { i += 1 }
            let text = String(String.UnicodeScalarView(s[start..<i]))
            if text.contains(where: { ".eE".contains($0) }) {
                guard let d = Double(text) else { throw ScenarioError("bad JSON number \(text)") }
                return .double(d)
            }
            if let n = Int64(text) { return .int(n) }
            guard let d = Double(text) else { throw ScenarioError("bad JSON number \(text)") }
            return .double(d)
        }

        mutating func string() throws -> String {
            i += 1
            var out = String.UnicodeScalarView()
            while i < s.count {
                let c = s[i]
                i += 1
                if c == "\"" { return String(out) }
                if c == "\\" {
                    let e = s[i]
                    i += 1
                    switch e {
                    case "n": out.append("\n")
                    case "t": out.append("\t")
                    case "r": out.append("\r")
                    case "b": out.append("\u{8}")
                    case "f": out.append("\u{c}")
                    case "u":
                        let hex = String(String.UnicodeScalarView(s[i..<i + 4]))
                        i += 4
                        var code = UInt32(hex, radix: 16) ?? 0xFFFD
                        if (0xD800..<0xDC00).contains(code), i + 6 <= s.count, s[i] == "\\", s[i + 1] == "u" {
                            let low = UInt32(String(String.UnicodeScalarView(s[i + 2..<i + 6])), radix: 16) ?? 0
                            i += 6
                            code = 0x10000 + ((code - 0xD800) << 10) + (low - 0xDC00)
                        }
                        out.append(Unicode.Scalar(code) ?? "\u{FFFD}")
                    default: out.append(e)
                    }
                } else {
                    out.append(c)
                }
            }
            throw ScenarioError("unterminated JSON string")
        }

        mutating func object() throws -> J {
            i += 1
            var m: [String: J] = [:]
            space()
            if i < s.count, s[i] == "}" { i += 1; return .object(m) }
            while true {
                space()
                let k = try string()
                space()
                guard i < s.count, s[i] == ":" else { throw ScenarioError("expected ':' in JSON") }
                i += 1
                m[k] = try value()
                space()
                guard i < s.count else { throw ScenarioError("unterminated JSON object") }
                let c = s[i]
                i += 1
                if c == "}" { return .object(m) }
                if c != "," { throw ScenarioError("expected ',' in JSON object") }
            }
        }

        mutating func array() throws -> J {
            i += 1
            var a: [J] = []
            space()
            if i < s.count, s[i] == "]" { i += 1; return .array(a) }
            while true {
                a.append(try value())
                space()
                guard i < s.count else { throw ScenarioError("unterminated JSON array") }
                let c = s[i]
                i += 1
                if c == "]" { return .array(a) }
                if c != "," { throw ScenarioError("expected ',' in JSON array") }
            }
        }
    }

    // --- typed reads into the Swift API's values ---

    private func cannot(_ at: String, _ what: String) -> ScenarioError {
        ScenarioError("\(at) = \(write()) cannot be expressed as \(what) in the Swift API")
    }

    func asString(_ at: String) throws -> String {
        guard case .string(let s) = self else { throw cannot(at, "a String") }
        return s
    }

    func asInt64(_ at: String) throws -> Int64 {
        switch self {
        case .int(let n): return n
        case .double(let d) where d == d.rounded(): return Int64(d)
        default: throw cannot(at, "an Int64")
        }
    }

    func asDouble(_ at: String) throws -> Double {
        guard let d = number else { throw cannot(at, "a Double") }
        return d
    }

    func asBool(_ at: String) throws -> Bool {
        guard case .bool(let b) = self else { throw cannot(at, "a Bool") }
        return b
    }

    func asObject(_ at: String) throws -> [String: J] {
        guard case .object(let o) = self else { throw cannot(at, "a record") }
        return o
    }
}

/// The arguments of one step, as the scenario gives them.
struct Args {
    let path: [String: J]
    let query: [String: J]
    let bodyValue: J?

    func check(_ op: String, _ pathNames: [String], _ queryNames: [String], _ takesBody: Bool) throws {
        if let name = path.keys.first(where: { !pathNames.contains($0) }) { throw ScenarioError("\(op) has no path parameter \"\(name)\"") }
        if let name = query.keys.first(where: { !queryNames.contains($0) }) { throw ScenarioError("\(op) has no query parameter \"\(name)\"") }
        if bodyValue != nil && !takesBody { throw ScenarioError("\(op) takes no body") }
    }

    func path(_ name: String) throws -> String {
        guard let v = path[name] else { throw ScenarioError("path parameter \(name) is missing") }
        return try v.asString("path.\(name)")
    }

    func queryString(_ name: String) throws -> String? { try query[name].flatMap { $0.isNull ? nil : try $0.asString("query.\(name)") } }
    func queryInt64(_ name: String) throws -> Int64? { try query[name].flatMap { $0.isNull ? nil : try $0.asInt64("query.\(name)") } }
    func queryDouble(_ name: String) throws -> Double? { try query[name].flatMap { $0.isNull ? nil : try $0.asDouble("query.\(name)") } }
    func queryBool(_ name: String) throws -> Bool? { try query[name].flatMap { $0.isNull ? nil : try $0.asBool("query.\(name)") } }

    func body() throws -> [String: J] {
        try (bodyValue ?? .object([:])).asObject("body")
    }
}

extension Dictionary where Key == String, Value == J {
    private func need(_ name: String) throws -> J {
        guard let v = self[name], !v.isNull else { throw ScenarioError("body.\(name) is required by the Swift API (absent or null)") }
        return v
    }

    private func present(_ name: String) -> J? {
        guard let v = self[name], !v.isNull else { return nil }
        return v
    }

    func reqString(_ name: String) throws -> String { try need(name).asString("body.\(name)") }
    func optString(_ name: String) throws -> String? { try present(name)?.asString("body.\(name)") }
    func reqInt64(_ name: String) throws -> Int64 { try need(name).asInt64("body.\(name)") }
    func optInt64(_ name: String) throws -> Int64? { try present(name)?.asInt64("body.\(name)") }
    func reqDouble(_ name: String) throws -> Double { try need(name).asDouble("body.\(name)") }
    func optDouble(_ name: String) throws -> Double? { try present(name)?.asDouble("body.\(name)") }
    func reqBool(_ name: String) throws -> Bool { try need(name).asBool("body.\(name)") }
    func optBool(_ name: String) throws -> Bool? { try present(name)?.asBool("body.\(name)") }
    func reqJsonText(_ name: String) throws -> String { try need(name).write() }
    func optJsonText(_ name: String) throws -> String? { present(name)?.write() }
    func reqObject(_ name: String) throws -> [String: J] { try need(name).asObject("body.\(name)") }
    func optObject(_ name: String) throws -> [String: J]? { try present(name)?.asObject("body.\(name)") }

    func reqList<T>(_ name: String, _ item: (J) throws -> T) throws -> [T] {
        guard case .array(let a) = try need(name) else { throw ScenarioError("body.\(name) must be a list") }
        return try a.map(item)
    }

    func optList<T>(_ name: String, _ item: (J) throws -> T) throws -> [T]? {
        guard let v = present(name) else { return nil }
        guard case .array(let a) = v else { throw ScenarioError("body.\(name) must be a list") }
        return try a.map(item)
    }

    func reqJsonTextList(_ name: String) throws -> [String] { try reqList(name) { $0.write() } }
    func optJsonTextList(_ name: String) throws -> [String]? { try optList(name) { $0.write() } }
    func reqStringMap(_ name: String) throws -> [String: String] { try reqObject(name).mapValues { try $0.asString("body.\(name)") } }
    func optStringMap(_ name: String) throws -> [String: String]? { try optObject(name)?.mapValues { try $0.asString("body.\(name)") } }

    /// The nullable fields given as JSON `null`: sent as `null` through the record's `nullFields`.
    func nulls<E>(_ fields: [(String, E)]) -> [E] {
        fields.filter { self[$0.0].map { $0.isNull } ?? false }.map { $0.1 }
    }

    /// Fields the Swift API does not name, for the record's `extra` (values as JSON text).
    func extra(_ known: Set<String>) -> [String: String] {
        filter { !known.contains($0.key) }.mapValues { $0.write() }
    }
}
