//! Filling path templates: every value is one percent-encoded segment.

use percent_encoding::{AsciiSet, NON_ALPHANUMERIC, utf8_percent_encode};

use crate::error::{Error, Result};

/// Everything but RFC 3986 unreserved characters is encoded, so `+` becomes `%2B` (a raw `+`
/// may decode as a space) and `/`, `?` and `#` can never split or end a path.
const SEGMENT: &AsciiSet = &NON_ALPHANUMERIC
    .remove(b'-')
    .remove(b'_')
    .remove(b'.')
    .remove(b'~');

/// Encodes one path segment.
pub fn encode_segment(value: &str) -> String {
    utf8_percent_encode(value, SEGMENT).to_string()
}

/// Replaces each `{name}` of `template` with the encoded value `lookup(name)` gives.
pub(crate) fn fill<'a>(
    template: &str,
    mut lookup: impl FnMut(&str) -> Option<&'a str>,
) -> Result<String> {
    let mut out = String::with_capacity(template.len() + 32);
    let mut rest = template;
    while let Some(open) = rest.find('{') {
        out.push_str(&rest[..open]);
        let close = rest[open..]
            .find('}')
            .map(|i| open + i)
            .ok_or_else(|| Error::internal(format!("unbalanced path template {template}")))?;
        let name = &rest[open + 1..close];
        let value = lookup(name).ok_or_else(|| {
            Error::new(
                crate::ErrorKind::InvalidRequest,
                format!("missing path parameter {name}"),
            )
        })?;
        // URL parsers resolve `.` and `..` segments (even encoded), which would change the path.
        if value.is_empty() || value == "." || value == ".." {
            return Err(Error::new(
                crate::ErrorKind::InvalidRequest,
                format!("path parameter {name} must not be empty, \".\" or \"..\""),
            ));
        }
        out.push_str(&encode_segment(value));
        rest = &rest[close + 1..];
    }
    out.push_str(rest);
    Ok(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn awkward_values_stay_one_segment() {
        assert_eq!(encode_segment("+447700900123"), "%2B447700900123");
        assert_eq!(encode_segment("a/b?c#d"), "a%2Fb%3Fc%23d");
        assert_eq!(encode_segment("x y%z"), "x%20y%25z");
        assert_eq!(encode_segment("..a-b_c~"), "..a-b_c~");
        assert_eq!(encode_segment("é"), "%C3%A9");
    }

    #[test]
    fn fills_every_placeholder() {
        let path = fill(
            "/v1/phone-numbers/{phone_number}/callers/{caller_number}",
            |n| match n {
                "phone_number" => Some("+44 1"),
                "caller_number" => Some("+1/2"),
                _ => None,
            },
        )
        .unwrap();
        assert_eq!(path, "/v1/phone-numbers/%2B44%201/callers/%2B1%2F2");
    }

    #[test]
    fn a_missing_or_empty_value_is_an_invalid_request() {
        let err = fill("/v1/agents/{agent_id}", |_| None).unwrap_err();
        assert!(err.message().contains("agent_id"));
        let err = fill("/v1/agents/{agent_id}", |_| Some("")).unwrap_err();
        assert!(err.message().contains("must not be empty"));
        assert!(fill("/v1/agents/{agent_id}", |_| Some("..")).is_err());
    }
}
