package com.nixflex

import kotlinx.coroutines.runBlocking
import org.junit.jupiter.api.Assertions.assertEquals
import org.junit.jupiter.api.Assertions.assertTrue
import org.junit.jupiter.api.Test

/** A Rust panic never crosses the FFI as anything but NixflexException.Internal. */
class PanicTest {
    @Test
    fun aPanicInASyncCallIsAnInternalError() {
        val e = runBlocking { expect<NixflexException.Internal> { debugPanic("deliberate panic from PanicTest (sync)") } }
        assertEquals("internal", e.kind)
        assertTrue(e.errorMessage.contains("deliberate panic from PanicTest (sync)"), e.errorMessage)
    }

    @Test
    fun aPanicInAnAsyncCallIsAnInternalError() = runBlocking<Unit> {
        val e = expect<NixflexException.Internal> { debugPanicAsync("deliberate panic from PanicTest (async)") }
        assertTrue(e.errorMessage.contains("deliberate panic from PanicTest (async)"), e.errorMessage)
        // The runtime survives: the next call works.
        Tenant.create().client().use { client ->
            assertEquals("Still here", client.agents().create(AgentCreate(name = "Still here")).name)
        }
    }

    @Test
    fun aPanicInATypedOperationIsAnInternalError() = runBlocking<Unit> {
        val tenant = Tenant.create()
        tenant.client().use { client ->
            // The panic strikes while agents.create encodes its parameters, before any request.
            debugPanicNextCall("agents.create", "deliberate panic from PanicTest (agents.create)")
            val e = expect<NixflexException.Internal> { client.agents().create(AgentCreate(name = "Never sent")) }
            assertTrue(e.errorMessage.contains("deliberate panic from PanicTest (agents.create)"), e.errorMessage)
            assertEquals(0, tenant.journal("agents.create").size, "nothing reached the server")
            // The hook fires once; the same client and operation then work.
            assertEquals("After", client.agents().create(AgentCreate(name = "After")).name)
            assertEquals(1, tenant.journal("agents.create").size)
        }
    }
}
