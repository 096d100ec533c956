// The hand-written layer over the generated bindings (Nixflex.swift): the client's initialiser
// and the key helper, which name this package in the User-Agent.
//
// The native library cannot tell which language loaded it (Swift on Linux and Kotlin on macOS
// both exist), so each language package names itself here instead of the library guessing.

/// The SDK named in the `User-Agent` of every request this package makes.
public let nixflexProduct = "nixflex-swift"

extension NixflexClient {
    /// A client from `config`; unset values come from `NIXFLEX_API_KEY`, `NIXFLEX_BASE_URL` and
    /// the defaults. A malformed key is `NixflexError.Configuration` here, not at the first call.
    public convenience init(config: ClientConfig = ClientConfig()) throws {
        let made = try NixflexClient.forProduct(product: nixflexProduct, config: config)
        // A second handle on the same Rust object: `made` releases its own when it goes.
        self.init(unsafeFromHandle: made.uniffiCloneHandle())
    }
}

/// Creates an API key (`keys.create`), which needs no key of its own. The base URL comes from
/// `baseUrl`, else `NIXFLEX_BASE_URL`, else production.
public func createKey(body: KeyCreate, baseUrl: String? = nil) async throws -> KeyResponse {
    try await createKeyForProduct(product: nixflexProduct, body: body, baseUrl: baseUrl)
}
