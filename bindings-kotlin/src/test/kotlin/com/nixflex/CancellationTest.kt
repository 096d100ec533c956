package com.nixflex

import kotlinx.coroutines.CancellationException
import kotlinx.coroutines.Dispatchers
import kotlinx.coroutines.TimeoutCancellationException
import kotlinx.coroutines.async
import kotlinx.coroutines.coroutineScope
import kotlinx.coroutines.delay
import kotlinx.coroutines.runBlocking
import kotlinx.coroutines.withTimeout
import org.junit.jupiter.api.Assertions.assertEquals
import org.junit.jupiter.api.Assertions.assertTrue
import org.junit.jupiter.api.Test

/**
 * A cancelled coroutine drops the call in Rust, which closes its HTTP request: the mock, which
 * answers (and journals) a held request only at the end of its delay, never answers it. The
 * client keeps working.
 */
class CancellationTest {
    @Test
    fun cancellingACoroutineMidCall() = runBlocking<Unit> {
        val tenant = Tenant.create()
        tenant.client(timeoutMs = 10_000u).use { client -> cancelMidCall(tenant, client) }
    }

    private suspend fun cancelMidCall(tenant: Tenant, client: NixflexClient) = coroutineScope {
        tenant.arm("usage.get", """[{"delay_ms":3000}]""")
        val call = async(Dispatchers.IO) { client.usage().get() }
        delay(300)
        call.cancel()
        try {
            call.await()
            error("a cancelled call returned a result")
        } catch (e: CancellationException) {
            // expected
        }
        assertTrue(call.isCancelled)
        delay(3500) // past the held request's delay: had it stayed open, the mock would have answered it
        assertEquals(0, tenant.journal("usage.get").size, "the request was closed, never answered")
        // The client keeps working after a cancelled call.
        assertEquals(0L, client.usage().get().totalCalls)
    }

    @Test
    fun withTimeoutCancelsTheCall() = runBlocking<Unit> {
        val tenant = Tenant.create()
        tenant.client(timeoutMs = 10_000u).use { client -> timeOut(tenant, client) }
    }

    private suspend fun timeOut(tenant: Tenant, client: NixflexClient) {
        tenant.arm("agents.create", """[{"delay_ms":2000}]""")
        try {
            withTimeout(250) { client.agents().create(AgentCreate(name = "Never")) }
            error("the call should have timed out")
        } catch (e: TimeoutCancellationException) {
            // expected
        }
        delay(2500)
        // The mock does the work only after the delay; the dropped connection cancelled it.
        assertEquals(0L, tenant.counts()["agents"])
    }
}
