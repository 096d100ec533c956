// The idiomatic layer over the generated bindings (nixflex_ffi.kt): the client's constructor and
// the key helper, which name this package in the User-Agent.
//
// The native library cannot tell which language loaded it (Kotlin on macOS and Swift on Linux
// both exist), so each language package names itself here instead of the library guessing.

package com.nixflex

/** The SDK named in the `User-Agent` of every request this package makes. */
const val NIXFLEX_PRODUCT: String = "nixflex-kotlin"

/**
 * A client from [config]; unset values come from `NIXFLEX_API_KEY`, `NIXFLEX_BASE_URL` and the
 * defaults. A malformed key is a [NixflexException.Configuration] here, not at the first call.
 * Close it (`use { }`) when done: it owns a native handle.
 */
fun NixflexClient(config: ClientConfig = ClientConfig()): NixflexClient = NixflexClient.forProduct(NIXFLEX_PRODUCT, config)

/**
 * Creates an API key (`keys.create`), which needs no key of its own. The base URL comes from
 * [baseUrl], else `NIXFLEX_BASE_URL`, else production.
 */
suspend fun createKey(body: KeyCreate, baseUrl: String? = null): KeyResponse = createKeyForProduct(NIXFLEX_PRODUCT, body, baseUrl)
