//! The matcher of expectations (see the README): subsets of objects, arrays element by element,
//! numbers by value, and `$` operators.

use serde_json::Value;

fn is_operator(map: &serde_json::Map<String, Value>) -> bool {
    !map.is_empty() && map.keys().all(|k| k.starts_with('$'))
}

fn type_name(v: &Value) -> &'static str {
    match v {
        Value::Null => "null",
        Value::Bool(_) => "boolean",
        Value::Number(_) => "number",
        Value::String(_) => "string",
        Value::Array(_) => "array",
        Value::Object(_) => "object",
    }
}

fn short(v: Option<&Value>) -> String {
    match v {
        None => "(absent)".to_owned(),
        Some(v) => {
            let text = v.to_string();
            if text.chars().count() > 160 {
                format!("{}…", text.chars().take(160).collect::<String>())
            } else {
                text
            }
        }
    }
}

fn number(v: Option<&Value>) -> Option<f64> {
    v.and_then(Value::as_f64)
}

fn operator(op: &str, arg: &Value, actual: Option<&Value>, at: &str) -> Result<(), String> {
    let present = actual.is_some_and(|v| !v.is_null());
    let fail = |what: String| Err(format!("{at}: expected {what}, got {}", short(actual)));
    match op {
        "$present" => {
            if arg.as_bool() == Some(present) {
                Ok(())
            } else if present {
                fail("absent or null".to_owned())
            } else {
                fail("a value".to_owned())
            }
        }
        "$len" => {
            let len = match actual {
                Some(Value::Array(a)) => Some(a.len()),
                Some(Value::String(s)) => Some(s.chars().count()),
                Some(Value::Object(o)) => Some(o.len()),
                _ => None,
            };
            match (len, arg.as_u64()) {
                (Some(n), Some(want)) if n as u64 == want => Ok(()),
                (Some(n), _) => Err(format!("{at}: expected length {arg}, got {n}")),
                _ => fail(format!("something of length {arg}")),
            }
        }
        "$regex" => {
            let pattern = arg
                .as_str()
                .ok_or_else(|| format!("{at}: $regex needs a string"))?;
            let re = regex::Regex::new(pattern).map_err(|e| format!("{at}: bad $regex: {e}"))?;
            match actual.and_then(Value::as_str) {
                Some(s) if re.is_match(s) => Ok(()),
                _ => fail(format!("a string matching /{pattern}/")),
            }
        }
        "$gte" | "$lte" => match (number(actual), arg.as_f64()) {
            (Some(n), Some(bound))
                if (op == "$gte" && n >= bound) || (op == "$lte" && n <= bound) =>
            {
                Ok(())
            }
            _ => fail(format!("{} {arg}", if op == "$gte" { ">=" } else { "<=" })),
        },
        "$ne" => {
            if matches(arg, actual, at).is_ok() {
                fail(format!("anything but {arg}"))
            } else {
                Ok(())
            }
        }
        "$type" => {
            let want = arg.as_str().unwrap_or("");
            let ok = match actual {
                None => want == "null",
                Some(v) => {
                    let name = type_name(v);
                    name == want || (want == "integer" && (v.is_i64() || v.is_u64()))
                }
            };
            if ok {
                Ok(())
            } else {
                fail(format!("a {want}"))
            }
        }
        "$contains" => match actual {
            Some(Value::Array(items)) => {
                if items
                    .iter()
                    .any(|item| matches(arg, Some(item), at).is_ok())
                {
                    Ok(())
                } else {
                    fail(format!("an array with an element matching {arg}"))
                }
            }
            Some(Value::String(s)) if arg.as_str().is_some_and(|needle| s.contains(needle)) => {
                Ok(())
            }
            _ => fail(format!("something containing {arg}")),
        },
        "$at" => {
            let Some(Value::Array(items)) = actual else {
                return fail("an array".to_owned());
            };
            let wants = arg
                .as_object()
                .ok_or_else(|| format!("{at}: $at needs an object"))?;
            for (key, want) in wants {
                let index: i64 = key
                    .parse()
                    .map_err(|_| format!("{at}: $at keys are indexes, not {key:?}"))?;
                let index = if index < 0 {
                    index + items.len() as i64
                } else {
                    index
                };
                let item = usize::try_from(index)
                    .ok()
                    .and_then(|i| items.get(i))
                    .ok_or_else(|| format!("{at}: no element at {key} (length {})", items.len()))?;
                matches(want, Some(item), &format!("{at}[{key}]"))?;
            }
            Ok(())
        }
        "$any" => {
            let options = arg
                .as_array()
                .ok_or_else(|| format!("{at}: $any needs an array"))?;
            if options.iter().any(|o| matches(o, actual, at).is_ok()) {
                Ok(())
            } else {
                fail(format!("any of {arg}"))
            }
        }
        other => Err(format!("{at}: unknown operator {other}")),
    }
}

/// Checks `actual` (`None`: absent) against `expected`; the error says where and why.
pub fn matches(expected: &Value, actual: Option<&Value>, at: &str) -> Result<(), String> {
    match expected {
        Value::Null => match actual {
            None | Some(Value::Null) => Ok(()),
            Some(v) => Err(format!(
                "{at}: expected null or absent, got {}",
                short(Some(v))
            )),
        },
        Value::Object(map) if is_operator(map) => {
            for (op, arg) in map {
                operator(op, arg, actual, at)?;
            }
            Ok(())
        }
        Value::Object(map) => {
            let Some(Value::Object(got)) = actual else {
                return Err(format!("{at}: expected an object, got {}", short(actual)));
            };
            for (k, v) in map {
                matches(v, got.get(k), &format!("{at}.{k}"))?;
            }
            Ok(())
        }
        Value::Array(want) => {
            let Some(Value::Array(got)) = actual else {
                return Err(format!("{at}: expected an array, got {}", short(actual)));
            };
            if want.len() != got.len() {
                return Err(format!(
                    "{at}: expected {} elements, got {}: {}",
                    want.len(),
                    got.len(),
                    short(actual)
                ));
            }
            for (i, (w, g)) in want.iter().zip(got).enumerate() {
                matches(w, Some(g), &format!("{at}[{i}]"))?;
            }
            Ok(())
        }
        Value::Number(n) => match number(actual) {
            Some(got) if n.as_f64() == Some(got) => Ok(()),
            _ => Err(format!("{at}: expected {n}, got {}", short(actual))),
        },
        scalar => {
            if actual == Some(scalar) {
                Ok(())
            } else {
                Err(format!("{at}: expected {scalar}, got {}", short(actual)))
            }
        }
    }
}

/// The value at a dotted path (`result.items.0.agent_id`).
pub fn lookup<'a>(value: &'a Value, path: &str) -> Option<&'a Value> {
    path.split('.').try_fold(value, |v, part| match v {
        Value::Object(map) => map.get(part),
        Value::Array(items) => part.parse::<usize>().ok().and_then(|i| items.get(i)),
        _ => None,
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn subsets_nulls_and_operators() {
        let got = json!({"a": 1, "b": [1, 2], "c": null, "s": "hello"});
        assert!(matches(&json!({"a": 1.0}), Some(&got), "r").is_ok());
        assert!(matches(&json!({"c": null, "d": null}), Some(&got), "r").is_ok());
        assert!(matches(&json!({"b": [1]}), Some(&got), "r").is_err());
        assert!(
            matches(
                &json!({"b": {"$len": 2}, "s": {"$regex": "^he"}}),
                Some(&got),
                "r"
            )
            .is_ok()
        );
        assert!(
            matches(
                &json!({"d": {"$present": false}, "a": {"$present": true}}),
                Some(&got),
                "r"
            )
            .is_ok()
        );
        assert!(matches(&json!({"a": {"$gte": 1, "$lte": 1}}), Some(&got), "r").is_ok());
        assert!(
            matches(
                &json!({"b": {"$contains": 2}, "s": {"$contains": "ell"}}),
                Some(&got),
                "r"
            )
            .is_ok()
        );
        assert!(
            matches(
                &json!({"a": {"$any": [2, 1]}, "s": {"$ne": "x"}}),
                Some(&got),
                "r"
            )
            .is_ok()
        );
        assert_eq!(lookup(&got, "b.1"), Some(&json!(2)));
    }
}
