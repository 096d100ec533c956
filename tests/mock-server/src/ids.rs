//! Identifier formats of the API (`agent_` + 16 hex, `CA` + 32 hex, `req_` + 16 hex, ...).

use rand::RngCore;

/// `n` lowercase hex characters.
pub fn hex(n: usize) -> String {
    let mut bytes = vec![0u8; n.div_ceil(2)];
    rand::rng().fill_bytes(&mut bytes);
    let mut s = hex::encode(bytes);
    s.truncate(n);
    s
}

pub fn prefixed(prefix: &str, n: usize) -> String {
    let mut s = String::with_capacity(prefix.len() + n);
    s.push_str(prefix);
    s.push_str(&hex(n));
    s
}

pub fn uuid() -> String {
    uuid::Uuid::new_v4().to_string()
}
