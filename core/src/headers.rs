//! The headers every request carries.

/// `nixflex-<lang>/<version> (core <version>; <os> <arch>)`, with the real versions.
pub(crate) fn user_agent(product: &str, version: &str) -> String {
    format!(
        "{product}/{version} (core {}; {} {})",
        crate::VERSION,
        std::env::consts::OS,
        std::env::consts::ARCH
    )
}

#[cfg(test)]
mod tests {
    #[test]
    fn user_agent_names_product_core_and_platform() {
        let ua = super::user_agent("nixflex-python", "1.2.3");
        assert!(ua.starts_with("nixflex-python/1.2.3 (core "), "{ua}");
        assert!(ua.contains(crate::VERSION));
        assert!(ua.contains(std::env::consts::OS));
    }
}
