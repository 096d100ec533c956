//! `${…}` templates in scenario values (see the README).

use std::time::{Duration, SystemTime, UNIX_EPOCH};

use serde_json::{Map, Value, json};

/// What templates resolve against.
pub struct Scope<'a> {
    pub vars: &'a Map<String, Value>,
    pub tenant: &'a crate::mock::Tenant,
    pub index: Option<u64>,
}

fn offset(arg: &str) -> Result<i64, String> {
    arg.trim_start_matches('+')
        .parse::<i64>()
        .map_err(|_| format!("bad offset {arg:?}"))
}

fn unix_now() -> i64 {
    SystemTime::now()
        .duration_since(UNIX_EPOCH)
        .map_or(0, |d| d.as_secs() as i64)
}

impl Scope<'_> {
    fn token(&self, token: &str) -> Result<Value, String> {
        match token {
            "tenant.key_id" => return Ok(json!(self.tenant.key_id)),
            "tenant.key_secret" => return Ok(json!(self.tenant.key_secret)),
            "tenant.api_key" => return Ok(json!(self.tenant.api_key)),
            "i" => {
                return self
                    .index
                    .map(|i| json!(i))
                    .ok_or_else(|| "${i} outside a seed".to_owned());
            }
            _ => {}
        }
        if let Some(rest) = token.strip_prefix("repeat:") {
            let (n, text) = rest
                .split_once(':')
                .ok_or_else(|| format!("${{{token}}}: repeat:N:text"))?;
            let n: usize = n.parse().map_err(|_| format!("${{{token}}}: bad count"))?;
            return Ok(json!(text.repeat(n)));
        }
        if let Some(rest) = token.strip_prefix("http_date:") {
            let secs = offset(rest)?;
            let now = SystemTime::now();
            let when = if secs >= 0 {
                now + Duration::from_secs(secs as u64)
            } else {
                now - Duration::from_secs(secs.unsigned_abs())
            };
            return Ok(json!(httpdate::fmt_http_date(when)));
        }
        if let Some(rest) = token.strip_prefix("unix:") {
            return Ok(json!(unix_now() + offset(rest)?));
        }
        self.vars
            .get(token)
            .cloned()
            .ok_or_else(|| format!("${{{token}}} is not a saved variable"))
    }

    fn string(&self, s: &str) -> Result<Value, String> {
        if let Some(inner) = s.strip_prefix("${").and_then(|r| r.strip_suffix('}')) {
            if !inner.contains("${") && !inner.contains('}') {
                return self.token(inner);
            }
        }
        let mut out = String::with_capacity(s.len());
        let mut rest = s;
        while let Some(start) = rest.find("${") {
            out.push_str(&rest[..start]);
            let end = rest[start..]
                .find('}')
                .ok_or_else(|| format!("unclosed template in {s:?}"))?;
            match self.token(&rest[start + 2..start + end])? {
                Value::String(v) => out.push_str(&v),
                other => out.push_str(&other.to_string()),
            }
            rest = &rest[start + end + 1..];
        }
        out.push_str(rest);
        Ok(Value::String(out))
    }

    /// Expands every string of `value`, keys excepted.
    pub fn expand(&self, value: &Value) -> Result<Value, String> {
        Ok(match value {
            Value::String(s) => self.string(s)?,
            Value::Array(items) => Value::Array(
                items
                    .iter()
                    .map(|v| self.expand(v))
                    .collect::<Result<_, _>>()?,
            ),
            Value::Object(map) => {
                let mut out = Map::new();
                for (k, v) in map {
                    out.insert(k.clone(), self.expand(v)?);
                }
                Value::Object(out)
            }
            other => other.clone(),
        })
    }
}
