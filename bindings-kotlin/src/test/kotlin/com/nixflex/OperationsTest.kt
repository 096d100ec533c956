package com.nixflex

import kotlinx.coroutines.runBlocking
import org.junit.jupiter.api.Assertions.assertEquals
import org.junit.jupiter.api.Assertions.assertNotEquals
import org.junit.jupiter.api.Assertions.assertNotNull
import org.junit.jupiter.api.Assertions.assertTrue
import org.junit.jupiter.api.Test

/**
 * Every one of the 78 operations, once, through the typed API, against the real mock. What
 * counts is what the mock's journal saw succeed, not what the test meant to call.
 */
class OperationsTest {
    /** Labels a call with the operation it is meant to reach (checked against the journal). */
    private suspend fun <T> op(@Suppress("UNUSED_PARAMETER") id: String, call: suspend () -> T): T = call()

    @Test
    fun everyOperationOnce() = runBlocking<Unit> {
        val tenant = Tenant.create()
        tenant.client().use { client -> everyOperation(tenant, client) }
    }

    private suspend fun everyOperation(tenant: Tenant, client: NixflexClient) {
        val number = "+447700900001"
        val caller = "+447700900555"
        val https = "https://hooks.example.com/nixflex"

        // Agents
        val agent = op("agents.create") { client.agents().create(AgentCreate(name = "Front desk", voiceId = "Ashley")) }
        val agentId = agent.agentId
        assertEquals("Front desk", agent.name)
        @Suppress("UNCHECKED_CAST")
        val userAgent = (tenant.journal("agents.create").last()["headers"] as Map<String, Any?>)["user-agent"] as String
        assertEquals(client.userAgent(), userAgent)
        // The Kotlin package names itself on every platform, macOS included.
        assertTrue(userAgent.startsWith("nixflex-kotlin/${sdkVersion()} (core "), userAgent)
        op("agents.list") { assertTrue(client.agents().list(limit = 10).items.any { it.agentId == agentId }) }
        op("agents.get") { assertEquals(agentId, client.agents().get(agentId).agentId) }
        val renamed = op("agents.update") {
            client.agents().update(agentId, AgentUpdate(name = "Reception", nullFields = listOf(AgentUpdateNullableField.WEBHOOK_URL)))
        }
        assertEquals("Reception", renamed.name)
        @Suppress("UNCHECKED_CAST")
        val sent = tenant.journal("agents.update").last()["body"] as Map<String, Any?>
        assertTrue(sent.containsKey("webhook_url") && sent["webhook_url"] == null, "null_fields sends JSON null: $sent")

        // Phone numbers and caller context
        op("phone_numbers.import") {
            client.phoneNumbers().import(
                PhoneNumberImport(phoneNumber = number, agentId = agentId, twilioSid = "AC" + "0".repeat(32), twilioToken = "token"),
            )
        }
        op("phone_numbers.list") { assertTrue(client.phoneNumbers().list().phoneNumbers.any { it.phoneNumber == number }) }
        op("phone_numbers.update") { client.phoneNumbers().update(number, PhoneNumberUpdate(customPrompt = "Be brief")) }
        val callers = client.phoneNumbers().callers()
        op("phone_numbers.callers.set") { callers.set(number, caller, CallerContextSet(name = "Ada Lovelace", email = "ada@example.com")) }
        op("phone_numbers.callers.get") { assertEquals("Ada Lovelace", callers.get(number, caller).caller.context.name) }
        op("phone_numbers.callers.import") {
            callers.import(number, CallerContextImport(callers = listOf(CallerContextImportRow(callerNumber = "+447700900556", name = "Grace"))))
        }
        op("phone_numbers.callers.delete") { callers.delete(number, caller) }

        // Calls and campaigns
        val call = op("calls.create") { client.calls().create(OutboundCallCreate(agentId = agentId, toNumber = caller, prompt = "Confirm the booking")) }
        op("calls.list") { assertTrue(client.calls().list(agentId = agentId).items.any { it.callId == call.callId }) }
        op("calls.get") { assertEquals(call.callId, client.calls().get(call.callId).callId) }
        op("calls.delete") { assertEquals(call.callId, client.calls().delete(call.callId).callId) }
        val campaign = op("campaigns.create") {
            client.campaigns().create(BatchCampaignCreate(agentId = agentId, prompt = "Remind them", recipients = listOf(BatchRecipient(phone = "+447700900557"))))
        }
        op("campaigns.launch") { client.campaigns().launch(campaign.campaignId) }
        op("campaigns.list") { assertTrue(client.campaigns().list().items.any { it.campaignId == campaign.campaignId }) }
        op("calls.delete_all") { client.calls().deleteAll() }

        // SMS
        op("sms.send") { client.sms().send(SmsSend(agentId = agentId, to = caller, message = "See you at 3")) }
        val sms = client.sms().campaigns()
        fun scheduled(name: String) = SmsCampaignCreate(
            agentId = agentId, fromNumber = number, name = name, messageTemplate = "Hi {name}",
            recipients = listOf(SmsRecipient(phone = "+447700900558", variables = mapOf("name" to "Ada"))), scheduleType = "schedule",
            scheduledAt = "2099-01-01T09:00:00Z",
        )
        val smsCampaign = op("sms.campaigns.create") { sms.create(scheduled("Spring")) }
        op("sms.campaigns.list") { assertTrue(sms.list(status = "scheduled").items.any { it.campaignId == smsCampaign.campaignId }) }
        op("sms.campaigns.get") { assertEquals(smsCampaign.campaignId, sms.get(smsCampaign.campaignId).campaignId) }
        op("sms.campaigns.update") { assertEquals("Summer", sms.update(smsCampaign.campaignId, SmsCampaignUpdate(name = "Summer")).name) }
        op("sms.campaigns.launch") { sms.launch(smsCampaign.campaignId) }
        val doomed = sms.create(scheduled("Autumn"))
        op("sms.campaigns.delete") { sms.delete(doomed.campaignId) }

        // Usage and bring-your-own providers
        op("usage.get") { assertNotNull(client.usage().get().plan) }
        op("storage.set") { client.storage().set(StorageConfigSet(bucket = "recordings", accessKey = "AKIA0000", secretKey = "secret")) }
        op("storage.get") { client.storage().get() }
        op("storage.delete") { client.storage().delete() }
        op("llm.set") { client.llm().set(LlmConfigSet(endpoint = "https://llm.example.com/v1", model = "m-1", apiKey = "sk-test")) }
        op("llm.get") { client.llm().get() }
        op("llm.delete") { client.llm().delete() }
        op("tts.set") { client.tts().set(TtsConfigSet(provider = "elevenlabs", voiceId = "v-1", apiKey = "tts-key")) }
        op("tts.get") { client.tts().get() }
        op("tts.delete") { client.tts().delete() }

        // Integrations
        val i = client.integrations()
        op("integrations.monitor.set") { assertEquals(true, i.monitor().set(number, ToggleConfig(enabled = true)).monitorEnabled) }
        op("integrations.monitor.get") { i.monitor().get(number) }
        op("integrations.monitor.delete") { i.monitor().delete(number) }
        op("integrations.web_calls.set") { i.webCalls().set(number, ToggleConfig(enabled = true)) }
        op("integrations.web_calls.get") { i.webCalls().get(number) }
        op("integrations.web_calls.delete") { i.webCalls().delete(number) }
        op("integrations.webhook.set") { i.webhook().set(number, UrlConfig(url = https)) }
        op("integrations.webhook.get") { i.webhook().get(number) }
        op("integrations.webhook.delete") { i.webhook().delete(number) }
        op("integrations.webhook2.set") { i.webhook2().set(number, UrlConfig(url = https)) }
        op("integrations.webhook2.get") { i.webhook2().get(number) }
        op("integrations.webhook2.delete") { i.webhook2().delete(number) }
        op("integrations.zapier.set") { i.zapier().set(number, ZapierConfig(url = https)) }
        op("integrations.zapier.get") { i.zapier().get(number) }
        op("integrations.zapier.delete") { i.zapier().delete(number) }
        op("integrations.make.set") { i.make().set(number, MakeConfig(url = https)) }
        op("integrations.make.get") { i.make().get(number) }
        op("integrations.make.delete") { i.make().delete(number) }
        op("integrations.gohighlevel.set") { i.gohighlevel().set(number, GoHighLevelConfig(url = https)) }
        op("integrations.gohighlevel.get") { i.gohighlevel().get(number) }
        op("integrations.gohighlevel.delete") { i.gohighlevel().delete(number) }
        op("integrations.slack.set") { i.slack().set(number, SlackConfig(url = https)) }
        op("integrations.slack.get") { i.slack().get(number) }
        op("integrations.slack.delete") { i.slack().delete(number) }
        op("integrations.calcom.set") { i.calcom().set(number, CalcomConfig(apiKey = "cal_live_x", username = "ada", eventSlug = "intro")) }
        op("integrations.calcom.get") { i.calcom().get(number) }
        op("integrations.calcom.delete") { i.calcom().delete(number) }
        op("integrations.precall.set") { i.precall().set(number, UrlConfig(url = https)) }
        op("integrations.precall.get") { i.precall().get(number) }
        op("integrations.precall.delete") { i.precall().delete(number) }
        op("integrations.precall_agent.set") { i.precallAgent().set(agentId, UrlConfig(url = https)) }
        op("integrations.precall_agent.get") { i.precallAgent().get(agentId) }
        op("integrations.precall_agent.delete") { i.precallAgent().delete(agentId) }
        val functions = i.customFunctions()
        val function = op("integrations.custom_functions.create") {
            functions.create(number, CustomFunctionCreate(name = "check_stock", url = "$https/stock", parameters = """{"type":"object"}"""))
        }
        assertEquals("""{"type":"object"}""", function.parameters)
        op("integrations.custom_functions.list") { assertTrue(functions.list(number).customFunctions.any { it.id == function.id }) }
        op("integrations.custom_functions.update") { functions.update(number, function.id, CustomFunctionUpdate(description = "Stock level")) }
        op("integrations.custom_functions.delete") { functions.delete(number, function.id) }

        // Cleanup of the tenant's own objects
        op("phone_numbers.delete") { client.phoneNumbers().delete(number) }
        op("agents.delete") { client.agents().delete(agentId) }

        // Keys and account, on a key of their own: rotating and deleting end that key.
        val minted = op("keys.create") { client.keys().create(KeyCreate(name = "ci")) }
        val rotated = NixflexClient(ClientConfig(apiKey = "${minted.keyId}:${minted.keySecret}", baseUrl = Mock.url)).use { other ->
            op("keys.rotate") { other.keys().rotate() }
        }
        assertNotEquals(minted.keySecret, rotated.keySecret)
        NixflexClient(ClientConfig(apiKey = "${rotated.keyId}:${rotated.keySecret}", baseUrl = Mock.url)).use { fresh ->
            op("account.delete") { fresh.account().delete() }
        }
        // The top-level helper mints a key with no client at all.
        assertTrue(createKey(KeyCreate(name = "helper"), baseUrl = Mock.url).keyId.isNotEmpty())

        // What the mock answered with a success, under every key the test used. keys.create
        // carries no key, so the mock journals it under none: the minted key working (its
        // keys.rotate is in its own journal) is what shows that call succeeded.
        val journal = listOf(tenant.keyId, minted.keyId, rotated.keyId).distinct().flatMap { Tenant.journalOf(it) }
        val succeeded = journal.filter { (it["status"] as Long) in 200L..299L }.mapNotNull { it["operation"] as String? }.toSet()
        assertTrue(Tenant.journalOf(minted.keyId, "keys.rotate").any { it["status"] == 200L }, "the minted key was accepted")
        val seen = succeeded + "keys.create"
        val missing = operationIds().toSet() - seen
        assertTrue(missing.isEmpty(), "operations the mock never saw succeed: $missing")
        assertEquals(operationIds().toSet(), seen)
        assertEquals(77, succeeded.size)
        println("operations: ${seen.size} of ${operationIds().size} succeeded on the mock through the typed Kotlin API")
    }
}
