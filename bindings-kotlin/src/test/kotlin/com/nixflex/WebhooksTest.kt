package com.nixflex

import org.junit.jupiter.api.Assertions.assertEquals
import org.junit.jupiter.api.Assertions.assertFalse
import org.junit.jupiter.api.Assertions.assertThrows
import org.junit.jupiter.api.Assertions.assertTrue
import org.junit.jupiter.api.Test

class WebhooksTest {
    private val secret = "nxfs_testsecret_0123456789abcdef"
    private val body = """{"event":"call.completed","call_id":"CA123"}"""
    private val t = 1755300000L
    private val golden = "t=1755300000,v1=8244940dd2d19c8d603cfd55b40de1cd94b98de4aca1f56b98cdd5f44ea98031"

    @Test
    fun goldenVector() {
        assertEquals(golden, signWebhook(body, secret, t))
        assertTrue(verifyWebhookSignature(body, golden, secret, now = t))
        assertTrue(verifyWebhookSignature(body.toByteArray(), golden, secret, 300u, t))
        val event = constructWebhookEvent(body, golden, listOf("nxfs_old", secret), now = t)
        assertEquals("call.completed", event.event)
        assertEquals("CA123", Json.parse(event.json).obj()["call_id"])
    }

    @Test
    fun rejections() {
        assertFalse(verifyWebhookSignature(body.replace("CA123", "CA124"), golden, secret, now = t))
        assertFalse(verifyWebhookSignature(body, golden, secret, now = t + 301))
        assertFalse(verifyWebhookSignature(body, "garbage", secret, now = t))
        // A missing header, as `request.getHeader(...)` reports it, is false rather than a throw.
        val absent: String? = null
        assertFalse(verifyWebhookSignature(body, absent, secret, now = t))
        assertFalse(verifyWebhookSignature(body.toByteArray(), absent, secret, 300u, t))
        val missing = assertThrows(NixflexException.Signature::class.java) { constructWebhookEvent(body, null, listOf(secret), now = t) }
        assertEquals("missing_signature", missing.code)
        val late = assertThrows(NixflexException.Signature::class.java) { constructWebhookEvent(body, golden, listOf(secret), now = t + 301) }
        assertEquals("timestamp_out_of_tolerance", late.code)
        val wrong = assertThrows(NixflexException.Signature::class.java) { constructWebhookEvent(body, golden, listOf("nxfs_other"), now = t) }
        assertEquals("signature_mismatch", wrong.code)
        assertEquals("signature", wrong.kind)
    }
}
