package com.nixflex

import kotlinx.coroutines.runBlocking
import org.junit.jupiter.api.Assertions.assertEquals
import org.junit.jupiter.api.Assertions.assertFalse
import org.junit.jupiter.api.Assertions.assertNotNull
import org.junit.jupiter.api.Assertions.assertNull
import org.junit.jupiter.api.Assertions.assertTrue
import org.junit.jupiter.api.AfterEach
import org.junit.jupiter.api.Test

/** Every error kind arrives as its own NixflexException subclass, with every field. */
class ErrorsTest {
    private val tenant = Tenant.create()
    private val client = tenant.client()

    /** Clients made by one test, closed after it with [client]. */
    private val others = mutableListOf<NixflexClient>()

    private fun <C : NixflexClient> C.closedAfter(): C = also { others.add(it) }

    @AfterEach
    fun close() {
        others.forEach { it.close() }
        client.close()
    }

    /** The sealed hierarchy is exhaustive: this `when` needs no `else`. */
    private fun name(e: NixflexException): String = when (e) {
        is NixflexException.InvalidRequest -> "invalid_request"
        is NixflexException.Authentication -> "authentication"
        is NixflexException.PaymentRequired -> "payment_required"
        is NixflexException.PermissionDenied -> "permission_denied"
        is NixflexException.NotFound -> "not_found"
        is NixflexException.Conflict -> "conflict"
        is NixflexException.RateLimited -> "rate_limited"
        is NixflexException.Server -> "server"
        is NixflexException.Upstream -> "upstream"
        is NixflexException.UnexpectedStatus -> "unexpected_status"
        is NixflexException.Connection -> "connection"
        is NixflexException.Timeout -> "timeout"
        is NixflexException.Decode -> "decode"
        is NixflexException.Configuration -> "configuration"
        is NixflexException.Signature -> "signature"
        is NixflexException.Internal -> "internal"
    }

    @Test
    fun notFoundCarriesEveryField() = runBlocking<Unit> {
        val e = expect<NixflexException.NotFound> { client.agents().get("agent_0000000000000000") }
        assertEquals("not_found", e.kind)
        assertEquals("not_found", name(e))
        assertEquals(404.toUShort(), e.status)
        assertEquals("agent_not_found", e.code)
        assertEquals("not_found", e.errorType)
        assertEquals("https://docs.nixflex.com/errors/agent_not_found", e.docUrl)
        assertNotNull(e.requestId)
        assertEquals(1u, e.attempts)
        assertNull(e.idempotencyKey, "a GET carries no idempotency key")
        assertTrue(e.errorMessage.isNotEmpty())
        // The subclass has the same fields as members, and Throwable.message summarises them.
        assertTrue(e.requestId!!.startsWith("req_"), e.requestId)
        assertTrue(e.message!!.contains("requestId=${e.requestId}"), e.message)
        val base: NixflexException = e
        assertEquals(404.toUShort(), base.status)
    }

    @Test
    fun invalidRequestWithCodeAndDetails() = runBlocking<Unit> {
        val long = expect<NixflexException.InvalidRequest> {
            client.agents().create(AgentCreate(name = "Long", systemPrompt = "a".repeat(16_001)))
        }
        assertEquals(400.toUShort(), long.status)
        assertEquals("prompt_too_long", long.code)
        assertEquals("invalid_request", long.errorType)
        assertEquals("https://docs.nixflex.com/errors/prompt_too_long", long.docUrl)
        assertEquals("system_prompt", Json.parse(long.details!!).obj()["field"])
        assertNotNull(long.idempotencyKey, "a mutation carries an idempotency key")

        val agent = client.agents().create(AgentCreate(name = "Dialler"))
        client.phoneNumbers().import(
            PhoneNumberImport(phoneNumber = "+447700900101", agentId = agent.agentId, twilioSid = "AC" + "1".repeat(32), twilioToken = "t"),
        )
        val bad = expect<NixflexException.InvalidRequest> {
            client.campaigns().create(BatchCampaignCreate(agentId = agent.agentId, prompt = "Hi", recipients = listOf(BatchRecipient(phone = "12345"))))
        }
        assertEquals("invalid_phone_format", bad.code)
        val details = Json.parse(bad.details!!).obj()
        assertTrue(details.containsKey("invalid"), bad.details)

        val conflict = expect<NixflexException.Conflict> {
            client.phoneNumbers().import(
                PhoneNumberImport(phoneNumber = "+447700900101", agentId = agent.agentId, twilioSid = "AC" + "1".repeat(32), twilioToken = "t"),
            )
        }
        assertEquals(409.toUShort(), conflict.status)
    }

    @Test
    fun authenticationAndConfiguration() = runBlocking<Unit> {
        val wrong = NixflexClient(ClientConfig(apiKey = "${tenant.keyId}:nxfs_wrong", baseUrl = Mock.url)).closedAfter()
        val auth = expect<NixflexException.Authentication> { wrong.usage().get() }
        assertEquals(401.toUShort(), auth.status)
        assertEquals("authentication", auth.kind)
        assertNotNull(auth.errorType)
        assertTrue(auth.docUrl!!.startsWith("https://docs.nixflex.com/errors/"), auth.docUrl)
        // The wrong secret the request carried is never echoed back.
        assertFalse(auth.toString().contains("nxfs_wrong"), auth.toString())

        val config = expect<NixflexException.Configuration> { NixflexClient(ClientConfig(apiKey = "not-a-key", baseUrl = Mock.url)) }
        assertNull(config.status)
        assertNull(config.errorType, "no response, so no API type")
        assertNull(config.docUrl)
        assertTrue(config.errorMessage.contains("nxf_<id>:nxfs_<secret>"), config.errorMessage)
        // A secret that fails the check (a space in it) is never echoed, in the message or in toString.
        val leaky = expect<NixflexException.Configuration> {
            NixflexClient(ClientConfig(apiKey = "${tenant.keyId}:nxfs_s3cr3t value", baseUrl = Mock.url))
        }
        assertTrue(leaky.errorMessage.contains("key secret"), leaky.errorMessage)
        assertFalse(leaky.toString().contains("s3cr3t"), leaky.toString())
    }

    @Test
    fun statusesFromFaults() = runBlocking<Unit> {
        val quick = tenant.client(maxRetries = 1u).closedAfter()
        // Two of each: a retryable status fails the retry too.
        suspend fun fault(json: String): NixflexException {
            tenant.arm("usage.get", "[$json,$json]")
            return expect<NixflexException> { quick.usage().get() }.also { tenant.clearFaults() }
        }
        assertTrue(fault("""{"status":403}""") is NixflexException.PermissionDenied)
        assertTrue(fault("""{"status":402}""") is NixflexException.PaymentRequired)
        assertTrue(fault("""{"status":418}""") is NixflexException.UnexpectedStatus)

        tenant.arm("usage.get", """[{"status":500},{"status":500}]""")
        val server = expect<NixflexException.Server> { quick.usage().get() }
        assertEquals(2u, server.attempts, "one retry on a 500")
        tenant.clearFaults()

        val upstream = fault("""{"status":502,"body":"<html><h1>502 Bad Gateway</h1></html>","content_type":"text/html"}""")
        assertTrue(upstream is NixflexException.Upstream)
        assertTrue(upstream.errorMessage.contains("502 Bad Gateway"), upstream.errorMessage)

        val decode = fault("""{"status":200,"body":"not json"}""")
        assertTrue(decode is NixflexException.Decode)
        assertEquals(200.toUShort(), decode.status)

        // Last: a 429 pauses every request of its client until the server's wait has passed.
        val limited = fault("""{"status":429,"retry_after":"120"}""")
        assertTrue(limited is NixflexException.RateLimited)
        assertEquals(120.0, limited.retryAfterSeconds)
        assertEquals(1u, limited.attempts, "a wait above the cap fails at once")
    }

    @Test
    fun mutationsKeepTheirIdempotencyKeyAcrossRetries() = runBlocking<Unit> {
        tenant.arm("agents.create", """[{"status":503},{"status":503},{"status":503}]""")
        val e = expect<NixflexException.Server> { tenant.client(maxRetries = 2u).closedAfter().agents().create(AgentCreate(name = "Retried")) }
        assertEquals(3u, e.attempts)
        @Suppress("UNCHECKED_CAST")
        val keys = tenant.journal("agents.create").map { (it["headers"] as Map<String, Any?>)["idempotency-key"] }.toSet()
        assertEquals(setOf<Any?>(e.idempotencyKey), keys)
        // Re-issued with the same key, it runs once.
        val agent = client.agents().withOptions(RequestOptions(idempotencyKey = e.idempotencyKey)).create(AgentCreate(name = "Retried"))
        assertEquals("Retried", agent.name)
    }

    @Test
    fun timeoutsAndConnections() = runBlocking<Unit> {
        val impatient = tenant.client(timeoutMs = 300u, maxRetries = 0u).closedAfter()
        tenant.arm("usage.get", """[{"delay_ms":1500}]""")
        val timeout = expect<NixflexException.Timeout> { impatient.usage().get() }
        assertNull(timeout.status)
        tenant.clearFaults()

        tenant.arm("usage.get", """[{"drop":"before"}]""")
        expect<NixflexException.Connection> { impatient.usage().get() }
        tenant.clearFaults()

        val nowhere = NixflexClient(ClientConfig(apiKey = tenant.apiKey, baseUrl = "http://127.0.0.1:9", maxRetries = 0u)).closedAfter()
        val refused = expect<NixflexException.Connection> { nowhere.usage().get() }
        assertEquals("connection", refused.kind)
    }

    @Test
    fun escapeHatchesReturnTheRawResponse() = runBlocking<Unit> {
        val agent = client.agents().create(AgentCreate(name = "Raw"))
        val raw = client.call("agents.get", path = mapOf("agent_id" to agent.agentId))
        assertEquals(200.toUShort(), raw.status)
        assertNotNull(raw.requestId)
        assertEquals(agent.agentId, Json.parse(raw.body).obj()["agent_id"])
        val created = client.request("POST", "/v1/agents", body = """{"name":"Via request"}""")
        assertEquals(201.toUShort(), created.status)
        assertNotNull(created.idempotencyKey)
        expect<NixflexException.InvalidRequest> { client.call("agents.fly") }
    }
}
