// Test support: the mock server's admin API (/__mock/), one fresh tenant per test, and a tiny
// JSON reader so the tests need nothing beyond the JDK.

package com.nixflex

import java.net.URI
import java.net.http.HttpClient
import java.net.http.HttpRequest
import java.net.http.HttpResponse

object Mock {
    val url: String = System.getenv("NIXFLEX_MOCK_URL")?.trimEnd('/')
        ?: error("NIXFLEX_MOCK_URL is not set: run bindings-kotlin/test.sh, which starts the mock server")

    private val http: HttpClient = HttpClient.newHttpClient()

    fun send(method: String, path: String, body: String? = null): Any? {
        val publisher = if (body == null) HttpRequest.BodyPublishers.noBody() else HttpRequest.BodyPublishers.ofString(body)
        val request = HttpRequest.newBuilder(URI.create(url + path))
            .method(method, publisher)
            .header("content-type", "application/json")
            .build()
        val response = http.send(request, HttpResponse.BodyHandlers.ofString())
        check(response.statusCode() in 200..299) { "$method $path: ${response.statusCode()} ${response.body()}" }
        return Json.parse(response.body())
    }
}

/** A fresh tenant of the mock: its own key, state, faults and journal. */
class Tenant private constructor(val keyId: String, val apiKey: String) {
    companion object {
        fun create(): Tenant {
            val body = Mock.send("POST", "/__mock/tenants").obj()
            return Tenant(body.str("key_id"), body.str("api_key"))
        }

        /** The journal of any key the mock knows, such as one minted during a test. */
        fun journalOf(keyId: String, operation: String? = null): List<Map<String, Any?>> {
            val op = if (operation == null) "" else "&operation=$operation"
            @Suppress("UNCHECKED_CAST")
            return Mock.send("GET", "/__mock/journal?key_id=$keyId$op").obj()["requests"] as List<Map<String, Any?>>
        }
    }

    /** A client of this tenant; close it (`use { }`) when the test is done with it. */
    fun client(timeoutMs: ULong = 5_000u, maxRetries: UInt? = null): NixflexClient =
        NixflexClient(ClientConfig(apiKey = apiKey, baseUrl = Mock.url, timeoutMs = timeoutMs, maxRetries = maxRetries))

    /** Arms faults: `faults` is the JSON array of the admin API, `random` an optional object. */
    fun arm(operation: String?, faults: String = "[]", random: String? = null) {
        val op = if (operation == null) "" else ""","operation":"$operation""""
        val rnd = if (random == null) "" else ""","random":$random"""
        Mock.send("POST", "/__mock/faults", """{"key_id":"$keyId"$op,"faults":$faults$rnd}""")
    }

    fun clearFaults() {
        Mock.send("DELETE", "/__mock/faults?key_id=$keyId")
    }

    fun configure(json: String) {
        Mock.send("PUT", "/__mock/tenants/$keyId/config", json)
    }

    fun journal(operation: String? = null): List<Map<String, Any?>> = journalOf(keyId, operation)

    fun counts(): Map<String, Any?> = Mock.send("GET", "/__mock/tenants/$keyId/counts").obj()
}

@Suppress("UNCHECKED_CAST")
fun Any?.obj(): Map<String, Any?> = this as Map<String, Any?>

fun Map<String, Any?>.str(key: String): String = this[key] as String

/** A small JSON reader: objects become maps, arrays lists, numbers Long or Double. */
object Json {
    fun parse(text: String): Any? {
        val reader = Reader(text)
        val value = reader.value()
        reader.skipSpace()
        require(reader.pos == text.length) { "trailing characters in JSON at ${reader.pos}" }
        return value
    }

    private class Reader(val s: String) {
        var pos = 0

        fun skipSpace() {
            while (pos < s.length && s[pos].isWhitespace()) pos++
        }

        fun value(): Any? {
            skipSpace()
            return when (val c = s[pos]) {
                '{' -> obj()
                '[' -> arr()
                '"' -> str()
                't' -> literal("true", true)
                'f' -> literal("false", false)
                'n' -> literal("null", null)
                else -> if (c == '-' || c.isDigit()) num() else error("unexpected '$c' at $pos")
            }
        }

        fun literal(word: String, v: Any?): Any? {
            require(s.startsWith(word, pos)) { "bad literal at $pos" }
            pos += word.length
            return v
        }

        fun obj(): Map<String, Any?> {
            val out = LinkedHashMap<String, Any?>()
            pos++
            skipSpace()
            if (s[pos] == '}') { pos++; return out }
            while (true) {
                skipSpace()
                val key = str()
                skipSpace()
                require(s[pos] == ':') { "expected ':' at $pos" }
                pos++
                out[key] = value()
                skipSpace()
                when (s[pos++]) {
                    ',' -> continue
                    '}' -> return out
                    else -> error("expected ',' or '}' at ${pos - 1}")
                }
            }
        }

        fun arr(): List<Any?> {
            val out = ArrayList<Any?>()
            pos++
            skipSpace()
            if (s[pos] == ']') { pos++; return out }
            while (true) {
                out.add(value())
                skipSpace()
                when (s[pos++]) {
                    ',' -> continue
                    ']' -> return out
                    else -> error("expected ',' or ']' at ${pos - 1}")
                }
            }
        }

        fun str(): String {
            require(s[pos] == '"') { "expected a string at $pos" }
            pos++
            val out = StringBuilder()
            while (true) {
                val c = s[pos++]
                when (c) {
                    '"' -> return out.toString()
                    '\\' -> {
                        when (val e = s[pos++]) {
                            'n' -> out.append('\n')
                            't' -> out.append('\t')
                            'r' -> out.append('\r')
                            'b' -> out.append('\b')
                            'f' -> out.append('\u000c')
                            'u' -> { out.append(s.substring(pos, pos + 4).toInt(16).toChar()); pos += 4 }
                            else -> out.append(e)
                        }
                    }
                    else -> out.append(c)
                }
            }
        }

        fun num(): Any {
            val start = pos
            while (pos < s.length && (s[pos].isDigit() || s[pos] in "+-.eE")) pos++
            val text = s.substring(start, pos)
            return text.toLongOrNull() ?: text.toDouble()
        }
    }
}
