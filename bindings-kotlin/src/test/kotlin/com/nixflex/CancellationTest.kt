package com.nixflex

import kotlinx.coroutines.CancellationException
import kotlinx.coroutines.Dispatchers
import kotlinx.coroutines.TimeoutCancellationException
import kotlinx.coroutines.async
import kotlinx.coroutines.delay
import kotlinx.coroutines.runBlocking
import kotlinx.coroutines.withTimeout
import org.junit.jupiter.api.Assertions.assertEquals
import org.junit.jupiter.api.Assertions.assertTrue
import org.junit.jupiter.api.Test
import kotlin.time.measureTime

/** A cancelled coroutine stops the call in Rust at once; the client keeps working. */
class CancellationTest {
    @Test
    fun cancellingACoroutineMidCall() = runBlocking {
        val tenant = Tenant.create()
        val client = tenant.client(timeoutMs = 10_000u)
        tenant.arm("usage.get", """[{"delay_ms":3000}]""")
        val call = async(Dispatchers.IO) { client.usage().get() }
        delay(300)
        val elapsed = measureTime {
            call.cancel()
            try {
                call.await()
            } catch (e: CancellationException) {
                // expected
            }
        }
        assertTrue(call.isCancelled)
        assertTrue(elapsed.inWholeMilliseconds < 1000, "cancellation took $elapsed")
        // The client keeps working after a cancelled call.
        assertEquals(0L, client.usage().get().totalCalls)
    }

    @Test
    fun withTimeoutCancelsTheCall() = runBlocking {
        val tenant = Tenant.create()
        val client = tenant.client(timeoutMs = 10_000u)
        tenant.arm("agents.create", """[{"delay_ms":2000}]""")
        val elapsed = measureTime {
            try {
                withTimeout(250) { client.agents().create(AgentCreate(name = "Never")) }
                error("the call should have timed out")
            } catch (e: TimeoutCancellationException) {
                // expected
            }
        }
        assertTrue(elapsed.inWholeMilliseconds < 1000, "withTimeout took $elapsed")
        delay(2500)
        // The mock does the work only after the delay; the dropped connection cancelled it.
        assertEquals(0L, tenant.counts()["agents"])
    }
}
