package com.nixflex

import kotlinx.coroutines.runBlocking
import org.junit.jupiter.api.Assertions.assertEquals
import org.junit.jupiter.api.Assertions.assertNotNull
import org.junit.jupiter.api.Assertions.assertNull
import org.junit.jupiter.api.Assertions.assertTrue
import org.junit.jupiter.api.Test

/** A typed call's metadata, on request: a recorder handed to the resource keeps it. */
class ResponseMetaTest {
    @Test
    fun aRecorderKeepsWhatCameWithTypedResults() = runBlocking<Unit> {
        val tenant = Tenant.create()
        tenant.client().use { client -> ResponseRecorder().use { recorder -> record(tenant, client, recorder) } }
    }

    private suspend fun record(tenant: Tenant, client: NixflexClient, recorder: ResponseRecorder) {
        assertNull(recorder.last())

        tenant.arm("agents.create", faults = """[{"status":503}]""")
        val agent = client.agents().withRecorder(recorder).create(AgentCreate(name = "Recorded"))
        val created = recorder.last()!!
        assertEquals(201.toUShort(), created.status)
        assertEquals(2u, created.attempts, "a 503, then the agent")
        assertTrue(created.requestId!!.startsWith("req_"), created.requestId)
        assertEquals("application/json", created.headers["content-type"])
        // The key the server saw on both attempts is the one reported.
        val sent = tenant.journal("agents.create").map { (it["headers"] as Map<*, *>)["idempotency-key"] }
        assertEquals(listOf(created.idempotencyKey, created.idempotencyKey), sent)
        assertNotNull(created.idempotencyKey)

        // Lists and reads record too; options and recorder combine on one handle.
        val agents = client.agents().withOptions(RequestOptions(maxRetries = 0u)).withRecorder(recorder)
        assertEquals(agent.agentId, agents.get(agent.agentId).agentId)
        assertEquals(1u, recorder.last()!!.attempts)
        assertNull(recorder.last()!!.idempotencyKey, "a GET carries no key")
        agents.list()
        assertEquals(3uL, recorder.count())

        // A failure records nothing: the exception carries the same fields.
        val e = expect<NixflexException.NotFound> { agents.get("agent_0000000000000000") }
        assertEquals(3uL, recorder.count())
        assertTrue(e.requestId!!.startsWith("req_"))
    }
}
