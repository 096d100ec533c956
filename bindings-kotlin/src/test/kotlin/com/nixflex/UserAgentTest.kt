package com.nixflex

import kotlinx.coroutines.runBlocking
import org.junit.jupiter.api.Assertions.assertEquals
import org.junit.jupiter.api.Assertions.assertTrue
import org.junit.jupiter.api.Test

/**
 * The Kotlin package names itself in the User-Agent on every platform (the native library
 * cannot tell which language loaded it), and ClientConfig.product overrides the name.
 */
class UserAgentTest {
    private suspend fun sentUserAgent(tenant: Tenant, client: NixflexClient): String {
        client.usage().get()
        return (tenant.journal("usage.get").last()["headers"] as Map<*, *>)["user-agent"] as String
    }

    @Test
    fun theKotlinPackageNamesItself() = runBlocking<Unit> {
        val tenant = Tenant.create()
        tenant.client().use { client ->
            val sent = sentUserAgent(tenant, client)
            assertEquals(client.userAgent(), sent)
            assertTrue(sent.startsWith("nixflex-kotlin/${sdkVersion()} "), sent)
        }
    }

    @Test
    fun aConfiguredProductWins() = runBlocking<Unit> {
        val tenant = Tenant.create()
        NixflexClient(ClientConfig(apiKey = tenant.apiKey, baseUrl = Mock.url, product = "acme-dialer")).use { client ->
            val sent = sentUserAgent(tenant, client)
            assertTrue(sent.startsWith("acme-dialer/${sdkVersion()} "), sent)
        }
    }
}
