package com.nixflex

import kotlinx.coroutines.Dispatchers
import kotlinx.coroutines.async
import kotlinx.coroutines.awaitAll
import kotlinx.coroutines.delay
import kotlinx.coroutines.runBlocking
import kotlinx.coroutines.sync.Semaphore
import kotlinx.coroutines.sync.withPermit
import org.junit.jupiter.api.Assertions.assertEquals
import org.junit.jupiter.api.Assertions.assertTrue
import org.junit.jupiter.api.Test
import java.util.concurrent.atomic.AtomicInteger

/**
 * Outbound calls under 30% random faults (503, 429, the connection dropped after the work was
 * done, a delay past the timeout before the work and one after it) create exactly one call
 * each: retries reuse the idempotency key, and a call that exhausted its retries is re-issued
 * with the key its exception carries.
 */
class ExactlyOnceTest {
    private val calls = 500

    /** A call still failing after this many re-issues is lost: the test fails instead of hanging. */
    private val maxReissues = 20

    @Test
    fun outboundCallsUnderFaultsAreCreatedExactlyOnce() = runBlocking {
        val tenant = Tenant.create()
        val agent = tenant.client().use { setup ->
            val agent = setup.agents().create(AgentCreate(name = "Dialler"))
            setup.phoneNumbers().import(
                PhoneNumberImport(phoneNumber = "+447700900001", agentId = agent.agentId, twilioSid = "AC" + "0".repeat(32), twilioToken = "token"),
            )
            agent
        }
        tenant.arm(
            "calls.create",
            random = """{"probability":0.3,"seed":20261203,"choices":[{"status":503},{"status":429,"retry_after":"0"},{"drop":"after"},{"delay_ms":1200},{"delay_after_ms":1200}]}""",
        )
        val client = tenant.client(timeoutMs = 400u, maxRetries = 2u)
        val reissued = AtomicInteger()
        suspend fun dial(i: Int): String {
            val body = OutboundCallCreate(agentId = agent.agentId, toNumber = "+4477009%05d".format(i), prompt = "Confirm the booking")
            var options = RequestOptions()
            repeat(maxReissues + 1) {
                try {
                    return client.calls().withOptions(options).create(body).callId
                } catch (e: NixflexException) {
                    // Re-issue with the key the exception carries: the server replays or does
                    // the work once.
                    reissued.incrementAndGet()
                    options = RequestOptions(idempotencyKey = e.idempotencyKey)
                }
            }
            throw AssertionError("call $i still failed after $maxReissues re-issues")
        }
        val limit = Semaphore(16)
        val ids = (0 until calls).map { i -> async(Dispatchers.IO) { limit.withPermit { dial(i) } } }.awaitAll()
        client.close()
        delay(1500) // let any attempt still held by a delay fault end before the journal is read
        val journal = tenant.journal("calls.create")
        // From the request headers: a faulted attempt is answered before the mock parses its key.
        val keys = journal.map { (it["headers"] as Map<*, *>)["idempotency-key"] as String? }.toSet()
        assertTrue(null !in keys, "every attempt carries a key")
        val faulted = journal.count { it["fault"] != null }
        val kinds = journal.mapNotNull { it["fault"] as Map<*, *>? }.groupingBy { it.keys.sortedBy { k -> k.toString() }.joinToString("+") }.eachCount()
        println("exactly-once (Kotlin) fault kinds: $kinds")
        val replayed = journal.count { it["replayed"] == true }
        val created = (tenant.counts()["calls"] as Long).toInt()
        println(
            "exactly-once (Kotlin): $calls logical calls, ${journal.size} HTTP attempts, $faulted faults injected, " +
                "$replayed replays, ${reissued.get()} re-issued after exhausting retries, ${ids.toSet().size} distinct call ids, " +
                "$created calls on the mock",
        )
        assertEquals(calls, ids.toSet().size)
        assertEquals(calls, created)
        assertEquals(calls, keys.size, "one idempotency key per logical call")
        // A fault held before the work (delay_ms) is cut off by the client's timeout, and the mock
        // journals nothing it never answered; every other kind of the plan is in the journal.
        // Each fault costs exactly one more attempt and nothing else fails, so the journaled
        // attempts are the logical calls plus the journaled faults.
        assertEquals(calls + faulted, journal.size, "attempts = calls + journaled faults")
        assertEquals(setOf("status", "retry_after+status", "drop", "delay_after_ms"), kinds.keys, "every journaled kind of the plan was injected")
        // 30% of draws are faults, one kind in five never journaled: 0.24 / 0.94, about a quarter
        // of the journaled attempts.
        assertTrue(faulted * 5 >= journal.size && faulted * 10 <= journal.size * 3, "$faulted of ${journal.size} attempts faulted")
        assertTrue(replayed > 0, "work done under a fault was replayed")
        assertTrue(reissued.get() > 0, "some calls exhausted their retries and were re-issued")
    }
}
