//! The API key: parsed once, checked at construction, and never shown whole.

use std::fmt;

use crate::error::{Error, Result};

/// A Nixflex API key, `nxf_<key id>:nxfs_<key secret>`.
///
/// `Debug` and `Display` show the key id only; the secret never appears in any message,
/// log line or debug output.
#[derive(Clone, PartialEq, Eq)]
pub struct ApiKey {
    key_id: String,
    secret: String,
}

fn is_key_char(c: char) -> bool {
    c.is_ascii_alphanumeric() || c == '_' || c == '-'
}

impl ApiKey {
    /// Parses and checks a key. The error names what is wrong without echoing the value.
    pub fn parse(raw: &str) -> Result<ApiKey> {
        let raw = raw.trim();
        if raw.is_empty() {
            return Err(Error::configuration(
                "no API key: pass api_key or set NIXFLEX_API_KEY (format nxf_<id>:nxfs_<secret>)",
            ));
        }
        let Some((key_id, secret)) = raw.split_once(':') else {
            return Err(Error::configuration(
                "malformed API key: expected nxf_<id>:nxfs_<secret>, the two halves joined by ':'",
            ));
        };
        let id_ok =
            key_id.len() > 4 && key_id.starts_with("nxf_") && key_id.chars().all(is_key_char);
        if !id_ok {
            return Err(Error::configuration(
                "malformed API key: the part before ':' must be a key id starting with nxf_",
            ));
        }
        let secret_ok =
            secret.len() > 5 && secret.starts_with("nxfs_") && secret.chars().all(is_key_char);
        if !secret_ok {
            return Err(Error::configuration(
                "malformed API key: the part after ':' must be a key secret starting with nxfs_",
            ));
        }
        Ok(ApiKey {
            key_id: key_id.to_owned(),
            secret: secret.to_owned(),
        })
    }

    /// The public half, safe to log and to share with support.
    pub fn key_id(&self) -> &str {
        &self.key_id
    }

    /// The secret half. It signs webhooks; keep it out of logs.
    pub fn secret(&self) -> &str {
        &self.secret
    }

    pub(crate) fn authorization_value(&self) -> String {
        format!("Bearer {}:{}", self.key_id, self.secret)
    }
}

/// `text` with every key secret (`nxfs_…`) in it masked, for messages that echo what the
/// caller passed (a key pasted into the base URL must not come back in an error).
pub(crate) fn mask_secrets(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    let mut rest = text;
    while let Some(at) = rest.find("nxfs_") {
        out.push_str(&rest[..at]);
        out.push_str("nxfs_***");
        let after = &rest[at + "nxfs_".len()..];
        let end = after.find(|c: char| !is_key_char(c)).unwrap_or(after.len());
        rest = &after[end..];
    }
    out.push_str(rest);
    out
}

impl fmt::Debug for ApiKey {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "ApiKey({}:nxfs_***)", self.key_id)
    }
}

impl fmt::Display for ApiKey {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}:nxfs_***", self.key_id)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const SECRET: &str = "nxfs_s3cr3tvalue";

    #[test]
    fn masks_every_secret_in_a_text() {
        let text = format!("http://x/{SECRET}?a=nxfs_other-1&b=2 nxfs_");
        assert_eq!(
            mask_secrets(&text),
            "http://x/nxfs_***?a=nxfs_***&b=2 nxfs_***"
        );
        assert_eq!(mask_secrets("no secret"), "no secret");
    }

    #[test]
    fn accepts_a_well_formed_key() {
        let key = ApiKey::parse(&format!("nxf_abc123:{SECRET}")).unwrap();
        assert_eq!(key.key_id(), "nxf_abc123");
        assert_eq!(key.secret(), SECRET);
    }

    #[test]
    fn rejects_malformed_keys_without_echoing_them() {
        for bad in [
            "",
            "nxf_abc",
            "abc:nxfs_x1",
            "nxf_abc:secret",
            &format!("{SECRET}:nxf_abc"),
            "nxf_abc nxfs_s3cr3tvalue",
            "nxf_a:nxfs_s3cr3t value",
        ] {
            let err = ApiKey::parse(bad).unwrap_err();
            assert_eq!(err.kind(), crate::ErrorKind::Configuration);
            assert!(!err.to_string().contains("s3cr3t"), "{err}");
            assert!(!format!("{err:?}").contains("s3cr3t"), "{err:?}");
        }
    }

    #[test]
    fn debug_and_display_hide_the_secret() {
        let key = ApiKey::parse(&format!("nxf_abc123:{SECRET}")).unwrap();
        assert!(!format!("{key:?}").contains("s3cr3t"));
        assert!(!format!("{key}").contains("s3cr3t"));
        assert!(format!("{key:?}").contains("nxf_abc123"));
    }
}
