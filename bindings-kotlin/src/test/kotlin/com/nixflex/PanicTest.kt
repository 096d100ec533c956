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
    fun aPanicInAnAsyncCallIsAnInternalError() = runBlocking {
        val e = expect<NixflexException.Internal> { debugPanicAsync("deliberate panic from PanicTest (async)") }
        assertTrue(e.errorMessage.contains("deliberate panic from PanicTest (async)"), e.errorMessage)
        // The runtime survives: the next call works.
        val client = Tenant.create().client()
        assertEquals("Still here", client.agents().create(AgentCreate(name = "Still here")).name)
    }
}
