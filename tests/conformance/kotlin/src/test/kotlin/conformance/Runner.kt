// The Kotlin runner of the conformance scenarios (tests/conformance/README.md): every step goes
// through the generated Kotlin API as a Kotlin user writes it (NixflexClient(ClientConfig(...)),
// client.agents().withOptions(RequestOptions(...)).create(body = AgentCreate(...)), iter(...) as
// a Flow, verifyWebhookSignature / constructWebhookEvent / signWebhook). The typed methods return
// records without metadata, so a step that needs the attempts or the key of a success goes
// through NixflexClient.call, the API's call-with-metadata (RawResponse). The mock's admin API
// is called with java.net.http (test plumbing).

package conformance

import com.nixflex.ClientConfig
import com.nixflex.NixflexClient
import com.nixflex.NixflexException
import com.nixflex.RequestOptions
import com.nixflex.ResponseRecorder
import com.nixflex.constructWebhookEvent
import com.nixflex.signWebhook
import com.nixflex.verifyWebhookSignature
import java.io.File
import java.net.URI
import java.net.URLEncoder
import java.net.http.HttpClient
import java.net.http.HttpRequest
import java.net.http.HttpResponse
import java.time.ZoneOffset
import java.time.ZonedDateTime
import java.time.format.DateTimeFormatter
import java.util.Locale
import kotlinx.coroutines.Dispatchers
import kotlinx.coroutines.async
import kotlinx.coroutines.awaitAll
import kotlinx.coroutines.runBlocking
import kotlinx.coroutines.sync.Semaphore
import kotlinx.coroutines.sync.withPermit

private const val DEFAULT_TIMEOUT_MS = 10_000L

/** The absent value, distinct from JSON null. */
object Missing

// --- the mock's admin API --------------------------------------------------------------------

class Mock(url: String) {
    val url = url.trimEnd('/')
    private val http: HttpClient = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build()

    fun send(method: String, path: String, body: Any? = Missing): Any? {
        val publisher = if (body === Missing) HttpRequest.BodyPublishers.noBody() else HttpRequest.BodyPublishers.ofString(Json.write(body))
        val request = HttpRequest.newBuilder(URI.create(url + path)).method(method, publisher).header("content-type", "application/json").build()
        val response = http.send(request, HttpResponse.BodyHandlers.ofString())
        if (response.statusCode() !in 200..299) throw ScenarioError("mock admin $method $path: ${response.statusCode()} ${response.body().take(300)}")
        return if (response.body().isEmpty()) null else Json.parse(response.body())
    }

    fun createTenant(): Map<String, Any?> = send("POST", "/__mock/tenants").asObject("tenant")
    fun configure(keyId: String, patch: Any?) = send("PUT", "/__mock/tenants/$keyId/config", patch)
    fun arm(keyId: String, operation: String?, script: Map<String, Any?>) {
        val body = LinkedHashMap<String, Any?>()
        body["key_id"] = keyId
        for ((k, v) in script) if (k != "operation") body[k] = v
        if (operation != null) body["operation"] = operation
        send("POST", "/__mock/faults", body)
    }

    @Suppress("UNCHECKED_CAST")
    fun journal(keyId: String): List<Map<String, Any?>> =
        (send("GET", "/__mock/journal?key_id=${URLEncoder.encode(keyId, "UTF-8")}").asObject("journal")["requests"] as? List<Map<String, Any?>>).orEmpty()

    fun counts(keyId: String): Any? = send("GET", "/__mock/tenants/$keyId/counts")
}

// --- templates and the matcher ---------------------------------------------------------------

private val TOKEN = Regex("\\$\\{([^}]*)}")
private val HTTP_DATE: DateTimeFormatter = DateTimeFormatter.ofPattern("EEE, dd MMM yyyy HH:mm:ss 'GMT'", Locale.US)

fun token(name: String, scope: Map<String, Any?>): Any? = when {
    name.startsWith("repeat:") -> {
        val rest = name.removePrefix("repeat:")
        val i = rest.indexOf(':')
        rest.substring(i + 1).repeat(rest.substring(0, i).toInt())
    }
    name.startsWith("http_date:") -> HTTP_DATE.format(ZonedDateTime.now(ZoneOffset.UTC).plusSeconds(name.removePrefix("http_date:").removePrefix("+").toLong()))
    name.startsWith("unix:") -> System.currentTimeMillis() / 1000 + name.removePrefix("unix:").removePrefix("+").toLong()
    scope.containsKey(name) -> scope[name]
    else -> throw ScenarioError("\${$name} is not a saved variable")
}

fun expand(value: Any?, scope: Map<String, Any?>): Any? = when (value) {
    is String -> {
        val whole = TOKEN.matchEntire(value)
        if (whole != null) token(whole.groupValues[1], scope)
        else TOKEN.replace(value) { m -> token(m.groupValues[1], scope).let { if (it is String) it else Json.write(it) } }
    }
    is List<*> -> value.map { expand(it, scope) }
    is Map<*, *> -> LinkedHashMap<String, Any?>().also { out -> for ((k, v) in value) out[k as String] = expand(v, scope) }
    else -> value
}

fun short(v: Any?): String {
    if (v === Missing) return "(absent)"
    val text = Json.write(v)
    return if (text.length > 160) text.take(160) + "…" else text
}

private fun isNumber(v: Any?) = v is Long || v is Double

private fun operator(op: String, arg: Any?, actual: Any?, at: String) {
    val present = actual !== Missing && actual != null
    fun fail(what: String): Nothing = throw ScenarioError("$at: expected $what, got ${short(actual)}")
    when (op) {
        "\$present" -> if (arg != present) fail(if (arg == true) "a value" else "absent or null")
        "\$len" -> {
            val len = when (actual) {
                is List<*> -> actual.size
                is String -> actual.codePointCount(0, actual.length)
                is Map<*, *> -> actual.size
                else -> fail("something of length $arg")
            }
            if (len.toLong() != (arg as Number).toLong()) throw ScenarioError("$at: expected length $arg, got $len")
        }
        "\$regex" -> if (actual !is String || !Regex(arg as String).containsMatchIn(actual)) fail("a string matching /$arg/")
        "\$gte", "\$lte" -> {
            val n = (actual as? Number)?.toDouble()
            val bound = (arg as Number).toDouble()
            if (n == null || (op == "\$gte" && n < bound) || (op == "\$lte" && n > bound)) fail("${if (op == "\$gte") ">=" else "<="} $arg")
        }
        "\$ne" -> {
            val same = try { match(arg, actual, at); true } catch (e: ScenarioError) { false }
            if (same) fail("anything but ${short(arg)}")
        }
        "\$type" -> {
            val ok = when (arg) {
                "null" -> !present
                "integer" -> actual is Long
                "number" -> isNumber(actual)
                "string" -> actual is String
                "boolean" -> actual is Boolean
                "array" -> actual is List<*>
                "object" -> actual is Map<*, *>
                else -> false
            }
            if (!ok) fail("a $arg")
        }
        "\$contains" -> when {
            actual is List<*> -> if (actual.none { item -> try { match(arg, item, at); true } catch (e: ScenarioError) { false } }) fail("an array with an element matching ${short(arg)}")
            actual is String && arg is String -> if (!actual.contains(arg)) fail("something containing ${short(arg)}")
            else -> fail("something containing ${short(arg)}")
        }
        "\$at" -> {
            if (actual !is List<*>) fail("an array")
            for ((key, want) in arg as Map<*, *>) {
                val i = (key as String).toInt()
                val index = if (i < 0) i + actual.size else i
                if (index !in actual.indices) throw ScenarioError("$at: no element at $key (length ${actual.size})")
                match(want, actual[index], "$at[$key]")
            }
        }
        "\$any" -> if ((arg as List<*>).none { o -> try { match(o, actual, at); true } catch (e: ScenarioError) { false } }) fail("any of ${short(arg)}")
        else -> throw ScenarioError("$at: unknown operator $op")
    }
}

fun match(expected: Any?, actual: Any?, at: String) {
    when {
        expected == null -> if (actual !== Missing && actual != null) throw ScenarioError("$at: expected null or absent, got ${short(actual)}")
        expected is Map<*, *> && expected.isNotEmpty() && expected.keys.all { (it as String).startsWith("$") } ->
            for ((op, arg) in expected) operator(op as String, arg, actual, at)
        expected is Map<*, *> -> {
            if (actual !is Map<*, *>) throw ScenarioError("$at: expected an object, got ${short(actual)}")
            for ((k, v) in expected) match(v, if (actual.containsKey(k)) actual[k] else Missing, "$at.$k")
        }
        expected is List<*> -> {
            if (actual !is List<*>) throw ScenarioError("$at: expected an array, got ${short(actual)}")
            if (expected.size != actual.size) throw ScenarioError("$at: expected ${expected.size} elements, got ${actual.size}: ${short(actual)}")
            expected.forEachIndexed { i, w -> match(w, actual[i], "$at[$i]") }
        }
        isNumber(expected) -> if (!isNumber(actual) || (expected as Number).toDouble() != (actual as Number).toDouble()) throw ScenarioError("$at: expected ${short(expected)}, got ${short(actual)}")
        else -> if (expected != actual) throw ScenarioError("$at: expected ${short(expected)}, got ${short(actual)}")
    }
}

fun lookup(start: Any?, path: String): Any? {
    var value = start
    for (part in path.split('.')) {
        value = when {
            value is Map<*, *> && value.containsKey(part) -> value[part]
            value is List<*> && part.toIntOrNull()?.let { it < value.size } == true -> value[part.toInt()]
            else -> return Missing
        }
    }
    return value
}

// --- outcomes --------------------------------------------------------------------------------

fun errorJson(e: NixflexException): Map<String, Any?> {
    val info = e.info()
    return linkedMapOf(
        "kind" to info.kind,
        "status" to info.status?.toLong(),
        "code" to info.code,
        "request_id" to info.requestId,
        "idempotency_key" to info.idempotencyKey,
        "attempts" to info.attempts.toLong(),
        "retry_after_s" to info.retryAfterSeconds,
        "message" to info.message,
        "details" to info.details?.let { Json.parse(it) },
    )
}

fun failure(e: NixflexException): Map<String, Any?> = linkedMapOf("ok" to false, "error" to errorJson(e))

@Suppress("UNCHECKED_CAST")
fun sdkKey(outcome: Map<String, Any?>): String? =
    (outcome["meta"] as? Map<String, Any?>)?.get("idempotency_key") as? String
        ?: (outcome["error"] as? Map<String, Any?>)?.get("idempotency_key") as? String

/** What a step did, in the terms every runner shares: run.py compares these across languages. */
@Suppress("UNCHECKED_CAST")
fun observe(kind: String, outcome: Map<String, Any?>): Map<String, Any?> {
    val error = outcome["error"] as? Map<String, Any?>
    if (kind == "webhook") {
        val seen = linkedMapOf("ok" to outcome["ok"], "verify" to outcome["verify"])
        error?.let { seen["kind"] = it["kind"] }
        return seen
    }
    if (outcome["ok"] != true) {
        val e = error ?: emptyMap()
        return linkedMapOf("ok" to false, "kind" to e["kind"], "status" to e["status"], "code" to e["code"], "attempts" to e["attempts"])
    }
    val seen = linkedMapOf<String, Any?>("ok" to true)
    if (kind == "iterate") seen["items"] = (outcome["result"] as List<Any?>).size.toLong()
    return seen
}

fun describe(step: Map<String, Any?>): String {
    for (k in listOf("op", "iterate")) (step[k] as? String)?.let { return "$k $it" }
    (step["seed"] as? Map<*, *>)?.let { return "seed ${it["op"]}" }
    return listOf("webhook", "config", "arm").firstOrNull { it in step } ?: "?"
}

@Suppress("UNCHECKED_CAST")
class Run(private val mock: Mock, private val scenario: Map<String, Any?>, private val tenant: Map<String, Any?>) {
    private val vars = HashMap<String, Any?>()
    private var clientSettings: Map<String, Any?> = emptyMap()
    private var client: NixflexClient? = null
    /** What each step did, for run.py to compare across languages. */
    val trace = mutableListOf<Map<String, Any?>>()

    private fun scope(index: Long? = null): Map<String, Any?> {
        val s = HashMap<String, Any?>(vars)
        s["tenant.key_id"] = tenant["key_id"]
        s["tenant.key_secret"] = tenant["key_secret"]
        s["tenant.api_key"] = tenant["api_key"]
        if (index != null) s["i"] = index
        return s
    }

    private fun buildClient(settings: Map<String, Any?>): NixflexClient = NixflexClient(
        ClientConfig(
            apiKey = settings["api_key"] as? String ?: tenant["api_key"] as String,
            baseUrl = mock.url,
            timeoutMs = ((settings["timeout_ms"] as? Long) ?: DEFAULT_TIMEOUT_MS).toULong(),
            maxRetries = (settings["max_retries"] as? Long)?.toUInt(),
        ),
    )

    private fun getClient(step: Map<String, Any?>): NixflexClient {
        (step["client"] as? Map<String, Any?>)?.let { return buildClient(it) }
        return client ?: buildClient(clientSettings).also { client = it }
    }

    private fun requestOptions(options: Map<String, Any?>?): RequestOptions? {
        if (options.isNullOrEmpty()) return null
        var timeout: ULong? = null
        var retries: UInt? = null
        var key: String? = null
        var headers: Map<String, String> = emptyMap()
        for ((k, v) in options) when (k) {
            "timeout_ms" -> timeout = (v as Long).toULong()
            "max_retries" -> retries = (v as Long).toUInt()
            "idempotency_key" -> key = v as String
            "headers" -> headers = (v as Map<String, Any?>).mapValues { it.value as String }
            else -> throw ScenarioError("unknown option $k")
        }
        return RequestOptions(timeoutMs = timeout, maxRetries = retries, idempotencyKey = key, headers = headers)
    }

    private fun args(step: Map<String, Any?>) = Args(
        (step["path"] as? Map<String, Any?>).orEmpty(),
        (step["query"] as? Map<String, Any?>).orEmpty(),
        step["body"],
    )

    private suspend fun call(step: Map<String, Any?>, op: String): Map<String, Any?> {
        val c = try { getClient(step) } catch (e: NixflexException) { return failure(e) }
        val o = requestOptions(step["options"] as? Map<String, Any?>)
        val a = args(step)
        // The typed method, as a user calls it; a recorder on the handle gives the metadata.
        val recorder = ResponseRecorder()
        return try {
            val result = conformance.call(c, op, a, o, recorder)
            val meta = recorder.last() ?: throw ScenarioError("$op: no response was recorded")
            linkedMapOf(
                "ok" to true,
                "result" to result,
                "meta" to linkedMapOf("attempts" to meta.attempts.toLong(), "idempotency_key" to meta.idempotencyKey, "request_id" to meta.requestId, "status" to meta.status.toLong()),
            )
        } catch (e: NixflexException) {
            failure(e)
        }
    }

    private suspend fun iterate(step: Map<String, Any?>, op: String): Map<String, Any?> {
        val c = try { getClient(step) } catch (e: NixflexException) { return failure(e) }
        val options = (step["options"] as? Map<String, Any?>)?.filterKeys { it != "idempotency_key" }
        val pageSize = ((step["page_size"] as? Long) ?: 100L).toUInt()
        val maxItems = (step["max_items"] as? Long)?.toULong()
        return try {
            linkedMapOf("ok" to true, "result" to conformance.iterate(c, op, args(step), requestOptions(options), pageSize, maxItems))
        } catch (e: NixflexException) {
            failure(e)
        }
    }

    private fun webhook(spec: Map<String, Any?>): Map<String, Any?> {
        val body = spec["body"] as String
        val sign = spec["sign"] as? Map<String, Any?>
        val header = if (sign != null) signWebhook((sign["body"] as? String) ?: body, sign["secret"] as String, sign["timestamp"] as Long) else spec["header"] as? String
        val secrets = (spec["secrets"] as List<Any?>).map { it as String }
        val tolerance = ((spec["tolerance_s"] as? Long) ?: 300L).toULong()
        val now = spec["now"] as? Long
        val verify = secrets.map { verifyWebhookSignature(body, header ?: "", it, tolerance, now) }
        return try {
            val event = constructWebhookEvent(body, header, secrets, tolerance, now)
            linkedMapOf("header" to header, "verify" to verify, "ok" to true, "event" to Json.parse(event.json), "error" to null)
        } catch (e: NixflexException) {
            linkedMapOf("header" to header, "verify" to verify, "ok" to false, "event" to null, "error" to errorJson(e))
        }
    }

    private fun checkJournal(want: Map<String, Any?>, stepOp: String?, since: Long, outcome: Map<String, Any?>) {
        val op = want["operation"] as? String ?: stepOp
        val entries = mock.journal(tenant["key_id"] as String).filter { ((it["seq"] as? Long) ?: 0L) > since && (op == null || it["operation"] == op) }
        val keys = entries.map { (it["headers"] as? Map<String, Any?>)?.get("idempotency-key") as? String }
        for ((k, v) in want) {
            val at = "journal.$k"
            when (k) {
                "operation" -> {}
                "count" -> match(v, entries.size.toLong(), at)
                "same_idempotency_key" -> if (v == true) {
                    val first = keys.firstOrNull()
                    if (first.isNullOrEmpty()) throw ScenarioError("$at: the first request carried no Idempotency-Key (${entries.size} requests)")
                    keys.firstOrNull { it != first }?.let { throw ScenarioError("$at: keys differ between attempts: $first then $it") }
                    val reported = sdkKey(outcome)
                    if (reported != first) throw ScenarioError("$at: the SDK reports $reported, the server saw $first")
                }
                "idempotency_key" -> when (v) {
                    false -> keys.firstOrNull { it != null }?.let { throw ScenarioError("$at: expected no key, a request carried $it") }
                    is String -> if (entries.isEmpty() || keys.any { it != v }) throw ScenarioError("$at: expected $v on every request, got $keys")
                    else -> throw ScenarioError("$at: expected false or a string")
                }
                // Between the arrivals of consecutive requests: how long the SDK waited.
                "gaps_ms" -> match(v, entries.map { (it["at_ms"] as Number).toLong() }.zipWithNext { a, b -> b - a }, at)
                "statuses" -> match(v, entries.map { it["status"] }, at)
                "replayed" -> match(v, entries.map { it["replayed"] }, at)
                "path", "decoded_path_params", "query", "headers", "body" -> {
                    if (entries.isEmpty()) throw ScenarioError("$at: no request reached the mock")
                    entries.forEachIndexed { i, e -> match(v, if (e.containsKey(k)) e[k] else Missing, "$at[$i]") }
                }
                else -> throw ScenarioError("unknown journal expectation $k")
            }
        }
    }

    private fun check(expect: Map<String, Any?>, outcome: Map<String, Any?>, op: String?, since: Long?) {
        val ok = outcome["ok"] == true
        if ("verify" !in outcome) {
            if ("error" !in expect && !ok) throw ScenarioError("unexpected error: ${short(outcome["error"])}")
            if ("error" in expect && ok) throw ScenarioError("expected an error, got the result ${short(outcome["result"])}")
        } else if ("error" in expect && ok) {
            throw ScenarioError("expected the strict check to fail, got the event ${short(outcome["event"])}")
        } else if ("event" in expect && !ok) {
            throw ScenarioError("expected an event, the strict check failed: ${short(outcome["error"])}")
        }
        for ((k, v) in expect) when (k) {
            "result", "error", "header", "verify", "event" -> match(v, if (outcome.containsKey(k)) outcome[k] else Missing, k)
            "attempts" -> {
                val source = (if (ok) outcome["meta"] else outcome["error"]) as Map<String, Any?>
                match(v, if (source.containsKey("attempts")) source["attempts"] else Missing, k)
            }
            "idempotency_key" -> match(v, sdkKey(outcome), k)
            "distinct" -> {
                val d = v as Map<String, Any?>
                val values = (outcome["result"] as List<Any?>).map { Json.write(lookup(it, d["field"] as String).let { x -> if (x === Missing) null else x }) }.toSet()
                match(d["count"], values.size.toLong(), "distinct.count")
            }
            "journal" -> checkJournal(v as Map<String, Any?>, op, since ?: 0L, outcome)
            "counts" -> match(v, mock.counts(tenant["key_id"] as String), "counts")
            else -> throw ScenarioError("unknown expectation $k")
        }
    }

    private fun save(save: Map<String, Any?>?, outcome: Map<String, Any?>) {
        for ((name, path) in save.orEmpty()) {
            val value = lookup(outcome, path as String)
            if (value === Missing) throw ScenarioError("cannot save $name: nothing at $path")
            vars[name] = value
        }
    }

    private suspend fun step(raw: Map<String, Any?>) {
        val kind = listOf("op", "iterate", "seed", "webhook", "config", "arm").firstOrNull { it in raw }
            ?: throw ScenarioError("a step needs one of op, iterate, seed, webhook, config, arm")
        val keyId = tenant["key_id"] as String
        if (kind == "seed") {
            val spec = raw["seed"] as Map<String, Any?>
            val op = spec["op"] as String
            var last: Map<String, Any?> = emptyMap()
            for (i in 1L..(spec["count"] as Long)) {
                last = call(expand(spec, scope(i)) as Map<String, Any?>, op)
                if (last["ok"] != true) throw ScenarioError("seed $op #$i failed: ${short(last["error"])}")
            }
            save(raw["save"] as? Map<String, Any?>, last)
            return
        }
        val step = expand(raw, scope()) as Map<String, Any?>
        if (kind == "config") {
            mock.configure(keyId, step["config"])
            return
        }
        if (kind == "arm") {
            val arm = step["arm"] as Map<String, Any?>
            return mock.arm(keyId, arm["operation"] as? String, arm)
        }
        val op = if (kind == "op" || kind == "iterate") step[kind] as String else null
        (step["faults"] as? List<Any?>)?.let { mock.arm(keyId, step["fault_operation"] as? String ?: op, mapOf("faults" to it)) }
        val expect = step["expect"] as? Map<String, Any?> ?: emptyMap()
        val since = if ("journal" in expect) mock.journal(keyId).maxOfOrNull { (it["seq"] as? Long) ?: 0L } ?: 0L else null
        val outcome = when (kind) {
            "op" -> call(step, op!!)
            "iterate" -> iterate(step, op!!)
            else -> webhook(step["webhook"] as Map<String, Any?>)
        }
        trace.add(observe(kind, outcome))
        check(expect, outcome, op, since)
        save(step["save"] as? Map<String, Any?>, outcome)
    }

    suspend fun run() {
        (scenario["config"])?.let { mock.configure(tenant["key_id"] as String, it) }
        clientSettings = (expand(scenario["client"] ?: emptyMap<String, Any?>(), scope()) as Map<String, Any?>)
        (scenario["steps"] as List<Any?>).forEachIndexed { i, s ->
            val step = s as Map<String, Any?>
            try {
                step(step)
            } catch (e: ScenarioError) {
                throw ScenarioError("step ${i + 1} (${describe(step)}): ${e.message}")
            } catch (e: Exception) {
                throw ScenarioError("step ${i + 1} (${describe(step)}): ${e.javaClass.simpleName}: ${e.message}")
            }
        }
    }
}

/** Runs the scenarios whose names start with one of `prefixes` (all when empty); one JSON line each to `emit`. */
@Suppress("UNCHECKED_CAST")
fun runAll(mockUrl: String, scenariosDir: File, prefixes: List<String>, jobs: Int, emit: (String) -> Unit): Int {
    val scenarios = (scenariosDir.listFiles { f -> f.name.endsWith(".json") } ?: emptyArray()).sortedBy { it.name }
        .flatMap { ((Json.parse(it.readText()) as Map<String, Any?>)["scenarios"] as List<Map<String, Any?>>) }
        .filter { s -> prefixes.isEmpty() || prefixes.any { (s["name"] as String).startsWith(it) } }
    val mock = Mock(mockUrl)
    val gate = Semaphore(jobs)
    var failed = 0
    runBlocking(Dispatchers.IO) {
        scenarios.map { scenario ->
            async {
                gate.withPermit {
                    var run: Run? = null
                    val (ok, detail) = try {
                        run = Run(mock, scenario, mock.createTenant())
                        run.run()
                        true to ""
                    } catch (e: ScenarioError) {
                        false to (e.message ?: "")
                    } catch (e: Throwable) {
                        false to "${e.javaClass.simpleName}: ${e.message}"
                    }
                    val trace = run?.trace ?: emptyList<Any?>()
                    val line = Json.write(linkedMapOf("scenario" to scenario["name"], "language" to "kotlin", "ok" to ok, "detail" to detail, "trace" to trace))
                    synchronized(mock) {
                        if (!ok) failed++
                        emit(line)
                    }
                }
            }
        }.awaitAll()
    }
    return failed
}
