//! `Authorization: Bearer nxf_<32 hex>:nxfs_<secret>`.

use http::HeaderMap;
use http::header::AUTHORIZATION;

pub enum Credentials<'a> {
    Missing,
    Malformed,
    Key { key_id: &'a str, secret: &'a str },
}

pub fn is_key_id(s: &str) -> bool {
    s.strip_prefix("nxf_")
        .is_some_and(|h| h.len() == 32 && h.bytes().all(|b| matches!(b, b'0'..=b'9' | b'a'..=b'f')))
}

pub fn parse(headers: &HeaderMap) -> Credentials<'_> {
    let Some(value) = headers.get(AUTHORIZATION) else {
        return Credentials::Missing;
    };
    let Ok(value) = value.to_str() else {
        return Credentials::Malformed;
    };
    let Some((scheme, token)) = value.trim().split_once(' ') else {
        return Credentials::Malformed;
    };
    if !scheme.eq_ignore_ascii_case("bearer") {
        return Credentials::Malformed;
    }
    match token.trim().split_once(':') {
        Some((key_id, secret))
            if is_key_id(key_id) && secret.len() > "nxfs_".len() && secret.starts_with("nxfs_") =>
        {
            Credentials::Key { key_id, secret }
        }
        _ => Credentials::Malformed,
    }
}

/// The key id a request claims, even when the rest of the header is wrong, so that a tenant's
/// journal also shows its clients' failed authentication attempts.
pub fn claimed_key_id(headers: &HeaderMap) -> Option<&str> {
    let value = headers.get(AUTHORIZATION)?.to_str().ok()?;
    let token = value.trim().split_once(' ')?.1.trim();
    let key_id = token.split(':').next()?;
    is_key_id(key_id).then_some(key_id)
}
