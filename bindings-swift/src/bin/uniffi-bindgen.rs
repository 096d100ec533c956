//! `uniffi-bindgen` of exactly the uniffi version the library links, so generated Swift and
//! Kotlin never drift from the scaffolding.

fn main() {
    uniffi::uniffi_bindgen_main()
}
