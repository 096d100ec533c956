package com.nixflex

import kotlinx.coroutines.delay
import kotlinx.coroutines.flow.take
import kotlinx.coroutines.flow.toList
import kotlinx.coroutines.runBlocking
import org.junit.jupiter.api.Assertions.assertEquals
import org.junit.jupiter.api.Assertions.assertNull
import org.junit.jupiter.api.Assertions.assertTrue
import org.junit.jupiter.api.Test

/** Lists in both wire shapes, and Flows over every item. */
class PaginationTest {
    private fun seeded(shape: String, agents: Int): Pair<Tenant, List<String>> = runBlocking {
        val tenant = Tenant.create()
        tenant.configure("""{"list_shape":"$shape"}""")
        val client = tenant.client()
        val ids = (1..agents).map { client.agents().create(AgentCreate(name = "Agent $it")).agentId }
        tenant to ids
    }

    @Test
    fun envelopeListsAndFlows() = runBlocking {
        val (tenant, ids) = seeded("envelope", 7)
        val agents = tenant.client().agents()
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
    fun bareArrayListsAndFlows() = runBlocking {
        val (tenant, ids) = seeded("array", 5)
        val agents = tenant.client().agents()
        val page = agents.list(limit = 2)
        assertEquals(2, page.items.size)
        assertNull(page.count, "the bare array says no total")
        assertEquals(ids.toSet(), agents.iter(pageSize = 2u).toList().map { it.agentId }.toSet())
    }

    @Test
    fun stoppingEarlyClosesThePager() = runBlocking<Unit> {
        // 24 agents in pages of 2: 12 pages. The walk prefetches at most 8 pages at once.
        val (tenant, _) = seeded("envelope", 24)
        val agents = tenant.client().agents()
        assertEquals(2, agents.iter(pageSize = 2u).take(2).toList().size)
        delay(300) // let requests already under way land in the journal
        val pages = tenant.journal("agents.list").size
        assertTrue(pages in 1..9, "an early stop ends the walk: $pages of 12 pages fetched")
    }
}
