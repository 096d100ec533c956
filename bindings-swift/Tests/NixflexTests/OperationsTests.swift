import Foundation
import XCTest
@testable import Nixflex

/// Every one of the 78 operations, once, through the typed API, against the real mock.
final class OperationsTests: XCTestCase {
    private var covered: Set<String> = []

    private func op<T>(_ id: String, _ call: () async throws -> T) async throws -> T {
        let result = try await call()
        covered.insert(id)
        return result
    }

    func testEveryOperationOnce() async throws {
        let tenant = try await Tenant.create()
        let client = try tenant.client()
        let number = "+447700900001"
        let caller = "+447700900555"
        let https = "https://hooks.example.com/nixflex"

        // Agents
        let agent = try await op("agents.create") { try await client.agents().create(body: AgentCreate(name: "Front desk", voiceId: "Ashley")) }
        let agentId = agent.agentId
        XCTAssertEqual(agent.name, "Front desk")
        let headers = try await tenant.journal("agents.create").last?["headers"] as? [String: Any]
        XCTAssertEqual(headers?["user-agent"] as? String, client.userAgent())
        #if canImport(Darwin)
        XCTAssertTrue(client.userAgent().hasPrefix("nixflex-swift/\(sdkVersion()) (core "), client.userAgent())
        #endif
        let page = try await op("agents.list") { try await client.agents().list(limit: 10) }
        XCTAssertTrue(page.items.contains { $0.agentId == agentId })
        let got = try await op("agents.get") { try await client.agents().get(agentId: agentId) }
        XCTAssertEqual(got.agentId, agentId)
        let renamed = try await op("agents.update") {
            try await client.agents().update(agentId: agentId, body: AgentUpdate(name: "Reception", nullFields: [.webhookUrl]))
        }
        XCTAssertEqual(renamed.name, "Reception")
        let sent = try await tenant.journal("agents.update").last?["body"] as? [String: Any]
        XCTAssertTrue(sent?.keys.contains("webhook_url") == true && sent?["webhook_url"] is NSNull)

        // Phone numbers and caller context
        _ = try await op("phone_numbers.import") {
            try await client.phoneNumbers().import(body: PhoneNumberImport(
                phoneNumber: number, agentId: agentId, twilioSid: "AC" + String(repeating: "0", count: 32), twilioToken: "token"))
        }
        let numbers = try await op("phone_numbers.list") { try await client.phoneNumbers().list() }
        XCTAssertTrue(numbers.phoneNumbers.contains { $0.phoneNumber == number })
        _ = try await op("phone_numbers.update") {
            try await client.phoneNumbers().update(phoneNumber: number, body: PhoneNumberUpdate(customPrompt: "Be brief"))
        }
        let callers = client.phoneNumbers().callers()
        _ = try await op("phone_numbers.callers.set") {
            try await callers.set(phoneNumber: number, callerNumber: caller, body: CallerContextSet(name: "Ada Lovelace", email: "ada@example.com"))
        }
        let context = try await op("phone_numbers.callers.get") { try await callers.get(phoneNumber: number, callerNumber: caller) }
        XCTAssertEqual(context.caller.context.name, "Ada Lovelace")
        _ = try await op("phone_numbers.callers.import") {
            try await callers.import(phoneNumber: number, body: CallerContextImport(callers: [CallerContextImportRow(callerNumber: "+447700900556", name: "Grace")]))
        }
        _ = try await op("phone_numbers.callers.delete") { try await callers.delete(phoneNumber: number, callerNumber: caller) }

        // Calls and campaigns
        let call = try await op("calls.create") {
            try await client.calls().create(body: OutboundCallCreate(agentId: agentId, toNumber: caller, prompt: "Confirm the booking"))
        }
        let calls = try await op("calls.list") { try await client.calls().list(agentId: agentId) }
        XCTAssertTrue(calls.items.contains { $0.callId == call.callId })
        _ = try await op("calls.get") { try await client.calls().get(callId: call.callId) }
        _ = try await op("calls.delete") { try await client.calls().delete(callId: call.callId) }
        let campaign = try await op("campaigns.create") {
            try await client.campaigns().create(body: BatchCampaignCreate(
                agentId: agentId, prompt: "Remind them", recipients: [BatchRecipient(phone: "+447700900557")]))
        }
        _ = try await op("campaigns.launch") { try await client.campaigns().launch(campaignId: campaign.campaignId) }
        _ = try await op("campaigns.list") { try await client.campaigns().list() }
        _ = try await op("calls.delete_all") { try await client.calls().deleteAll() }

        // SMS
        _ = try await op("sms.send") { try await client.sms().send(body: SmsSend(agentId: agentId, to: caller, message: "See you at 3")) }
        let sms = client.sms().campaigns()
        func scheduled(_ name: String) -> SmsCampaignCreate {
            SmsCampaignCreate(
                agentId: agentId, fromNumber: number, name: name, messageTemplate: "Hi {name}",
                recipients: [SmsRecipient(phone: "+447700900558", variables: ["name": "Ada"])],
                scheduleType: "schedule", scheduledAt: "2099-01-01T09:00:00Z")
        }
        let smsCampaign = try await op("sms.campaigns.create") { try await sms.create(body: scheduled("Spring")) }
        _ = try await op("sms.campaigns.list") { try await sms.list(status: "scheduled") }
        _ = try await op("sms.campaigns.get") { try await sms.get(campaignId: smsCampaign.campaignId) }
        let updated = try await op("sms.campaigns.update") {
            try await sms.update(campaignId: smsCampaign.campaignId, body: SmsCampaignUpdate(name: "Summer"))
        }
        XCTAssertEqual(updated.name, "Summer")
        _ = try await op("sms.campaigns.launch") { try await sms.launch(campaignId: smsCampaign.campaignId) }
        let doomed = try await sms.create(body: scheduled("Autumn"))
        _ = try await op("sms.campaigns.delete") { try await sms.delete(campaignId: doomed.campaignId) }

        // Usage and bring-your-own providers
        _ = try await op("usage.get") { try await client.usage().get() }
        _ = try await op("storage.set") { try await client.storage().set(body: StorageConfigSet(bucket: "recordings", accessKey: "AKIA0000", secretKey: "secret")) }
        _ = try await op("storage.get") { try await client.storage().get() }
        _ = try await op("storage.delete") { try await client.storage().delete() }
        _ = try await op("llm.set") { try await client.llm().set(body: LlmConfigSet(endpoint: "https://llm.example.com/v1", model: "m-1", apiKey: "sk-test")) }
        _ = try await op("llm.get") { try await client.llm().get() }
        _ = try await op("llm.delete") { try await client.llm().delete() }
        _ = try await op("tts.set") { try await client.tts().set(body: TtsConfigSet(provider: "elevenlabs", voiceId: "v-1", apiKey: "tts-key")) }
        _ = try await op("tts.get") { try await client.tts().get() }
        _ = try await op("tts.delete") { try await client.tts().delete() }

        // Integrations
        let i = client.integrations()
        _ = try await op("integrations.monitor.set") { try await i.monitor().set(phoneNumber: number, body: ToggleConfig(enabled: true)) }
        _ = try await op("integrations.monitor.get") { try await i.monitor().get(phoneNumber: number) }
        _ = try await op("integrations.monitor.delete") { try await i.monitor().delete(phoneNumber: number) }
        _ = try await op("integrations.web_calls.set") { try await i.webCalls().set(phoneNumber: number, body: ToggleConfig(enabled: true)) }
        _ = try await op("integrations.web_calls.get") { try await i.webCalls().get(phoneNumber: number) }
        _ = try await op("integrations.web_calls.delete") { try await i.webCalls().delete(phoneNumber: number) }
        _ = try await op("integrations.webhook.set") { try await i.webhook().set(phoneNumber: number, body: UrlConfig(url: https)) }
        _ = try await op("integrations.webhook.get") { try await i.webhook().get(phoneNumber: number) }
        _ = try await op("integrations.webhook.delete") { try await i.webhook().delete(phoneNumber: number) }
        _ = try await op("integrations.webhook2.set") { try await i.webhook2().set(phoneNumber: number, body: UrlConfig(url: https)) }
        _ = try await op("integrations.webhook2.get") { try await i.webhook2().get(phoneNumber: number) }
        _ = try await op("integrations.webhook2.delete") { try await i.webhook2().delete(phoneNumber: number) }
        _ = try await op("integrations.zapier.set") { try await i.zapier().set(phoneNumber: number, body: ZapierConfig(url: https)) }
        _ = try await op("integrations.zapier.get") { try await i.zapier().get(phoneNumber: number) }
        _ = try await op("integrations.zapier.delete") { try await i.zapier().delete(phoneNumber: number) }
        _ = try await op("integrations.make.set") { try await i.make().set(phoneNumber: number, body: MakeConfig(url: https)) }
        _ = try await op("integrations.make.get") { try await i.make().get(phoneNumber: number) }
        _ = try await op("integrations.make.delete") { try await i.make().delete(phoneNumber: number) }
        _ = try await op("integrations.gohighlevel.set") { try await i.gohighlevel().set(phoneNumber: number, body: GoHighLevelConfig(url: https)) }
        _ = try await op("integrations.gohighlevel.get") { try await i.gohighlevel().get(phoneNumber: number) }
        _ = try await op("integrations.gohighlevel.delete") { try await i.gohighlevel().delete(phoneNumber: number) }
        _ = try await op("integrations.slack.set") { try await i.slack().set(phoneNumber: number, body: SlackConfig(url: https)) }
        _ = try await op("integrations.slack.get") { try await i.slack().get(phoneNumber: number) }
        _ = try await op("integrations.slack.delete") { try await i.slack().delete(phoneNumber: number) }
        _ = try await op("integrations.calcom.set") {
            try await i.calcom().set(phoneNumber: number, body: CalcomConfig(apiKey: "cal_live_x", username: "ada", eventSlug: "intro"))
        }
        _ = try await op("integrations.calcom.get") { try await i.calcom().get(phoneNumber: number) }
        _ = try await op("integrations.calcom.delete") { try await i.calcom().delete(phoneNumber: number) }
        _ = try await op("integrations.precall.set") { try await i.precall().set(phoneNumber: number, body: UrlConfig(url: https)) }
        _ = try await op("integrations.precall.get") { try await i.precall().get(phoneNumber: number) }
        _ = try await op("integrations.precall.delete") { try await i.precall().delete(phoneNumber: number) }
        _ = try await op("integrations.precall_agent.set") { try await i.precallAgent().set(agentId: agentId, body: UrlConfig(url: https)) }
        _ = try await op("integrations.precall_agent.get") { try await i.precallAgent().get(agentId: agentId) }
        _ = try await op("integrations.precall_agent.delete") { try await i.precallAgent().delete(agentId: agentId) }
        let functions = i.customFunctions()
        let function = try await op("integrations.custom_functions.create") {
            try await functions.create(phoneNumber: number, body: CustomFunctionCreate(
                name: "check_stock", url: https + "/stock", parameters: "{\"type\":\"object\"}"))
        }
        XCTAssertEqual(function.parameters, "{\"type\":\"object\"}")
        let listed = try await op("integrations.custom_functions.list") { try await functions.list(phoneNumber: number) }
        XCTAssertTrue(listed.customFunctions.contains { $0.id == function.id })
        _ = try await op("integrations.custom_functions.update") {
            try await functions.update(phoneNumber: number, functionId: function.id, body: CustomFunctionUpdate(description: "Stock level"))
        }
        _ = try await op("integrations.custom_functions.delete") { try await functions.delete(phoneNumber: number, functionId: function.id) }

        // Cleanup of the tenant's own objects
        _ = try await op("phone_numbers.delete") { try await client.phoneNumbers().delete(phoneNumber: number) }
        _ = try await op("agents.delete") { try await client.agents().delete(agentId: agentId) }

        // Keys and account, on a key of their own: rotating and deleting end that key.
        let minted = try await op("keys.create") { try await client.keys().create(body: KeyCreate(name: "ci")) }
        let other = try NixflexClient(config: ClientConfig(apiKey: "\(minted.keyId):\(minted.keySecret)", baseUrl: Mock.url))
        let rotated = try await op("keys.rotate") { try await other.keys().rotate() }
        XCTAssertNotEqual(rotated.keySecret, minted.keySecret)
        let fresh = try NixflexClient(config: ClientConfig(apiKey: "\(rotated.keyId):\(rotated.keySecret)", baseUrl: Mock.url))
        _ = try await op("account.delete") { try await fresh.account().delete() }
        let helper = try await createKey(body: KeyCreate(name: "helper"), baseUrl: Mock.url)
        XCTAssertFalse(helper.keyId.isEmpty)

        XCTAssertEqual(Set(operationIds()).subtracting(covered), [])
        XCTAssertEqual(covered.count, 78)
    }
}
