//! The retry policy: what is retried, and how long to wait before the next attempt.

use std::time::{Duration, SystemTime};

use http::HeaderMap;
use rand::Rng;

const BACKOFF_BASE: Duration = Duration::from_millis(500);
const BACKOFF_CAP: Duration = Duration::from_secs(8);

/// Statuses worth another attempt. Mutations are included: their idempotency key makes a
/// repeat replay the first result instead of doing the work twice.
pub(crate) fn is_retryable_status(status: u16) -> bool {
    matches!(status, 408 | 429 | 500 | 502 | 503 | 504)
}

/// The server's explicit verdict (`x-should-retry: true|false`), which wins over the status.
pub(crate) fn server_verdict(headers: &HeaderMap) -> Option<bool> {
    let value = headers.get("x-should-retry")?.to_str().ok()?.trim();
    if value.eq_ignore_ascii_case("true") {
        Some(true)
    } else if value.eq_ignore_ascii_case("false") {
        Some(false)
    } else {
        None
    }
}

/// The longest wait a server's answer is read as: anything longer (`1e30` seconds) means the
/// same (far above any cap) and must not overflow a clock.
const LONGEST_SERVER_WAIT: Duration = Duration::from_secs(366 * 24 * 3600);

/// The wait the server asked for: `retry-after-ms` first, then `Retry-After` in seconds or as
/// an HTTP date (a date in the past means no wait).
pub(crate) fn server_wait(headers: &HeaderMap, now: SystemTime) -> Option<Duration> {
    let seconds = |secs: f64| {
        (secs >= 0.0)
            .then(|| Duration::try_from_secs_f64(secs).unwrap_or(LONGEST_SERVER_WAIT))
            .map(|d| d.min(LONGEST_SERVER_WAIT))
    };
    if let Some(ms) = header_str(headers, "retry-after-ms").and_then(|v| v.parse::<f64>().ok()) {
        if let Some(wait) = seconds(ms / 1000.0) {
            return Some(wait);
        }
    }
    let value = header_str(headers, "retry-after")?;
    if let Ok(secs) = value.parse::<f64>() {
        return seconds(secs);
    }
    let when = httpdate::parse_http_date(value).ok()?;
    Some(
        when.duration_since(now)
            .unwrap_or(Duration::ZERO)
            .min(LONGEST_SERVER_WAIT),
    )
}

fn header_str<'a>(headers: &'a HeaderMap, name: &str) -> Option<&'a str> {
    headers.get(name)?.to_str().ok().map(str::trim)
}

/// Exponential backoff from 0.5 s, capped at 8 s, with full jitter, so that clients that
/// failed together do not come back together. `retry` counts from 1.
pub(crate) fn backoff(retry: u32) -> Duration {
    let ceiling = BACKOFF_BASE
        .saturating_mul(1u32 << retry.saturating_sub(1).min(16))
        .min(BACKOFF_CAP);
    ceiling.mul_f64(rand::rng().random_range(0.0..=1.0))
}

#[cfg(test)]
mod tests {
    use super::*;
    use http::HeaderValue;

    fn headers(pairs: &[(&'static str, &str)]) -> HeaderMap {
        let mut map = HeaderMap::new();
        for (name, value) in pairs {
            map.insert(*name, HeaderValue::from_str(value).unwrap());
        }
        map
    }

    #[test]
    fn retryable_statuses() {
        for s in [408, 429, 500, 502, 503, 504] {
            assert!(is_retryable_status(s), "{s}");
        }
        for s in [400, 401, 402, 403, 404, 409, 422, 501, 505] {
            assert!(!is_retryable_status(s), "{s}");
        }
    }

    #[test]
    fn should_retry_header_is_read_both_ways() {
        assert_eq!(
            server_verdict(&headers(&[("x-should-retry", "true")])),
            Some(true)
        );
        assert_eq!(
            server_verdict(&headers(&[("x-should-retry", "FALSE")])),
            Some(false)
        );
        assert_eq!(
            server_verdict(&headers(&[("x-should-retry", "maybe")])),
            None
        );
        assert_eq!(server_verdict(&HeaderMap::new()), None);
    }

    #[test]
    fn retry_after_forms() {
        let now = SystemTime::UNIX_EPOCH + Duration::from_secs(1_000_000);
        let w = |pairs: &[(&'static str, &str)]| server_wait(&headers(pairs), now);
        assert_eq!(w(&[("retry-after", "3")]), Some(Duration::from_secs(3)));
        assert_eq!(
            w(&[("retry-after", "1.5")]),
            Some(Duration::from_millis(1500))
        );
        assert_eq!(
            w(&[("retry-after", "7"), ("retry-after-ms", "250")]),
            Some(Duration::from_millis(250))
        );
        let date = httpdate::fmt_http_date(now + Duration::from_secs(20));
        assert_eq!(w(&[("retry-after", &date)]), Some(Duration::from_secs(20)));
        let past = httpdate::fmt_http_date(now - Duration::from_secs(20));
        assert_eq!(w(&[("retry-after", &past)]), Some(Duration::ZERO));
        assert_eq!(w(&[("retry-after", "soon")]), None);
        assert_eq!(w(&[("retry-after", "-1")]), None);
        assert_eq!(w(&[("retry-after", "NaN")]), None);
        assert_eq!(w(&[]), None);
    }

    #[test]
    fn absurd_waits_are_read_as_the_longest_without_overflow() {
        let now = SystemTime::UNIX_EPOCH + Duration::from_secs(1_000_000);
        let w = |pairs: &[(&'static str, &str)]| server_wait(&headers(pairs), now);
        for value in ["1e30", "inf", "10000000000000000000"] {
            assert_eq!(w(&[("retry-after", value)]), Some(LONGEST_SERVER_WAIT));
            assert_eq!(w(&[("retry-after-ms", value)]), Some(LONGEST_SERVER_WAIT));
        }
        let far = httpdate::fmt_http_date(now + Duration::from_secs(40 * 365 * 24 * 3600));
        assert_eq!(w(&[("retry-after", &far)]), Some(LONGEST_SERVER_WAIT));
    }

    #[test]
    fn backoff_grows_and_is_capped() {
        for retry in 1..20 {
            let ceiling = (BACKOFF_BASE * 2u32.pow((retry - 1).min(16))).min(BACKOFF_CAP);
            let waits: Vec<Duration> = (0..200).map(|_| backoff(retry)).collect();
            assert!(waits.iter().all(|w| *w <= ceiling));
            // Full jitter spreads over the whole range: 200 draws all in one half would be a
            // broken jitter (a chance of 2^-200 otherwise).
            assert!(waits.iter().any(|w| *w > ceiling / 2), "retry {retry}");
            assert!(waits.iter().any(|w| *w < ceiling / 2), "retry {retry}");
        }
    }
}
