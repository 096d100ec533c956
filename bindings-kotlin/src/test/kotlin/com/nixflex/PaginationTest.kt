package com.nixflex

import kotlinx.coroutines.delay
import kotlinx.coroutines.flow.take
import kotlinx.coroutines.flow.toList
import kotlinx.coroutines.runBlocking
import org.junit.jupiter.api.Assertions.assertEquals
import org.junit.jupiter.api.Assertions.assertNull
import org.junit.jupiter.api.Test

/** Lists in both wire shapes, and Flows over every item. */
class PaginationTest {
    private fun seeded(shape: String, agents: Int): Pair<Tenant, List<String>> = runBlocking {
        val tenant = Tenant.create()
        tenant.configure("""{"list_shape":"$shape"}""")
        val ids = tenant.client().use { client -> (1..agents).map { client.agents().create(AgentCreate(name = "Agent $it")).agentId } }
        tenant to ids
    }

    @Test
    fun envelopeListsAndFlows() = runBlocking<Unit> {
        val (tenant, ids) = seeded("envelope", 7)
        tenant.client().use { client -> envelope(client.agents(), ids) }
    }

    private suspend fun envelope(agents: AgentsApi, ids: List<String>) {
        val page = agents.list(limit = 3, offset = 0)
        assertEquals(3, page.items.size)
        assertEquals(7uL, page.count)
        assertEquals(3uL, page.limit)

        val all = agents.iter(pageSize = 2u).toList().map { it.agentId }
        assertEquals(ids.toSet(), all.toSet())
        assertEquals(7, all.size)
        assertEquals(4, agents.iter(pageSize = 2u, maxItems = 4uL).toList().size)

        val pager = agents.pages(pageSize = 5u)
        pager.use {
            assertEquals(5, it.nextPage()!!.size)
            assertEquals(7uL, it.count())
            assertEquals(2, it.nextPage()!!.size)
            assertNull(it.nextPage())
        }
    }

    @Test
    fun bareArrayListsAndFlows() = runBlocking<Unit> {
        val (tenant, ids) = seeded("array", 5)
        tenant.client().use { client ->
            val agents = client.agents()
            val page = agents.list(limit = 2)
            assertEquals(2, page.items.size)
            assertNull(page.count, "the bare array says no total")
            assertEquals(ids.toSet(), agents.iter(pageSize = 2u).toList().map { it.agentId }.toSet())
        }
    }

    @Test
    fun stoppingEarlyClosesThePager() = runBlocking<Unit> {
        // 24 agents in pages of 2: 12 pages. The first page comes at once; every later one is
        // held by the mock, which journals a request only when it answers it, so a prefetch
        // still in flight at close time shows up only if closing failed to abort it.
        val (tenant, _) = seeded("envelope", 24)
        tenant.arm("agents.list", faults = "[" + (listOf("""{"delay_ms":0}""") + List(11) { """{"delay_ms":1500}""" }).joinToString(",") + "]")
        tenant.client().use { client ->
            val agents = client.agents()
            assertEquals(2, agents.iter(pageSize = 2u).take(2).toList().size)
            delay(2500) // longer than the held pages: any request not aborted has been answered
            val pages = tenant.journal("agents.list")
            assertEquals(1, pages.size, "only the first page was answered: ${pages.map { it["query"] }}")
            // The client is unharmed: a new walk reads every page.
            tenant.clearFaults()
            assertEquals(24, agents.iter(pageSize = 2u).toList().size)
        }
    }
}
