//! Values across the boundary: free-form JSON as text, request bodies, options.
//!
//! The API's free-form values (`serde_json::Value` in the core) cross as JSON text, so Swift and
//! Kotlin parse them with their own JSON libraries; every other field is typed.

use std::collections::HashMap;
use std::time::Duration;

use serde::de::Error as _;
use serde::ser::Error as _;
use serde::{Deserialize, Deserializer, Serialize, Serializer};
use serde_json::Value;

use crate::errors::NixflexError;

fn parse<E: serde::ser::Error>(text: &str, what: &str) -> Result<Value, E> {
    serde_json::from_str(text).map_err(|e| E::custom(format!("{what} is not JSON text: {e}")))
}

/// A `String` field that holds any JSON value (used when the spec has a required one).
#[allow(dead_code)]
pub(crate) mod json_text {
    use super::*;

    pub(crate) fn serialize<S: Serializer>(text: &str, s: S) -> Result<S::Ok, S::Error> {
        parse::<S::Error>(text, "a JSON field")?.serialize(s)
    }

    pub(crate) fn deserialize<'de, D: Deserializer<'de>>(d: D) -> Result<String, D::Error> {
        Ok(Value::deserialize(d)?.to_string())
    }
}

/// An optional `String` field that holds any JSON value; JSON `null` reads as absent.
pub(crate) mod json_text_opt {
    use super::*;

    pub(crate) fn serialize<S: Serializer>(text: &Option<String>, s: S) -> Result<S::Ok, S::Error> {
        match text {
            Some(text) => parse::<S::Error>(text, "a JSON field")?.serialize(s),
            None => s.serialize_none(),
        }
    }

    pub(crate) fn deserialize<'de, D: Deserializer<'de>>(d: D) -> Result<Option<String>, D::Error> {
        Ok(Option::<Value>::deserialize(d)?.map(|v| v.to_string()))
    }
}

/// A list of JSON values, each as text.
#[allow(dead_code)]
pub(crate) mod json_text_vec {
    use super::*;

    pub(crate) fn serialize<S: Serializer>(items: &[String], s: S) -> Result<S::Ok, S::Error> {
        let values = items
            .iter()
            .map(|t| parse::<S::Error>(t, "a JSON list item"))
            .collect::<Result<Vec<Value>, S::Error>>()?;
        values.serialize(s)
    }

    pub(crate) fn deserialize<'de, D: Deserializer<'de>>(d: D) -> Result<Vec<String>, D::Error> {
        Ok(Vec::<Value>::deserialize(d)?
            .iter()
            .map(Value::to_string)
            .collect())
    }
}

/// An optional list of JSON values, each as text.
pub(crate) mod json_text_vec_opt {
    use super::*;

    pub(crate) fn serialize<S: Serializer>(
        items: &Option<Vec<String>>,
        s: S,
    ) -> Result<S::Ok, S::Error> {
        match items {
            Some(items) => json_text_vec::serialize(items, s),
            None => s.serialize_none(),
        }
    }

    pub(crate) fn deserialize<'de, D: Deserializer<'de>>(
        d: D,
    ) -> Result<Option<Vec<String>>, D::Error> {
        Ok(Option::<Vec<Value>>::deserialize(d)?.map(|v| v.iter().map(Value::to_string).collect()))
    }
}

/// The `extra` map of every record: fields the SDK does not name, each value as JSON text.
pub(crate) mod json_map {
    use super::*;
    use serde::ser::SerializeMap;

    pub(crate) fn serialize<S: Serializer>(
        map: &HashMap<String, String>,
        s: S,
    ) -> Result<S::Ok, S::Error> {
        let mut keys: Vec<&String> = map.keys().collect();
        keys.sort();
        let mut out = s.serialize_map(Some(keys.len()))?;
        for key in keys {
            let value: Value = serde_json::from_str(&map[key])
                .map_err(|e| S::Error::custom(format!("extra[{key:?}] is not JSON text: {e}")))?;
            out.serialize_entry(key, &value)?;
        }
        out.end()
    }

    pub(crate) fn deserialize<'de, D: Deserializer<'de>>(
        d: D,
    ) -> Result<HashMap<String, String>, D::Error> {
        let map = serde_json::Map::<String, Value>::deserialize(d).map_err(D::Error::custom)?;
        Ok(map.into_iter().map(|(k, v)| (k, v.to_string())).collect())
    }
}

/// A record sent as a request body.
pub(crate) trait RequestBody: Serialize {
    /// The wire names of the fields to send as JSON `null` (which clears them, as the API
    /// documents), from the record's `null_fields`.
    fn nulls(&self) -> Vec<&'static str> {
        Vec::new()
    }
}

/// Serializes `body` and adds it to `params`.
pub(crate) fn with_body<B: RequestBody>(
    mut params: nixflex::CallParams,
    body: &B,
) -> Result<nixflex::CallParams, NixflexError> {
    let cannot = |e: serde_json::Error| {
        NixflexError::invalid_request(format!("cannot encode the body: {e}"))
    };
    let mut value = serde_json::to_value(body).map_err(cannot)?;
    let nulls = body.nulls();
    if !nulls.is_empty() {
        let map = value
            .as_object_mut()
            .ok_or_else(|| NixflexError::internal("a request body is not a JSON object"))?;
        for name in nulls {
            if map.get(name).is_some_and(|v| !v.is_null()) {
                return Err(NixflexError::invalid_request(format!(
                    "{name} is both set and listed in null_fields"
                )));
            }
            map.insert(name.to_owned(), Value::Null);
        }
    }
    params.body = Some(serde_json::to_vec(&value).map_err(cannot)?.into());
    Ok(params)
}

/// Milliseconds from the foreign side as a duration.
pub(crate) fn millis(ms: u64) -> Duration {
    Duration::from_millis(ms)
}

/// Headers as a map, several values of one name joined with `, `.
pub(crate) fn headers(map: &http::HeaderMap) -> HashMap<String, String> {
    let mut out: HashMap<String, String> = HashMap::new();
    for (name, value) in map {
        let value = String::from_utf8_lossy(value.as_bytes()).into_owned();
        out.entry(name.as_str().to_owned())
            .and_modify(|v| {
                v.push_str(", ");
                v.push_str(&value);
            })
            .or_insert(value);
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[derive(Serialize, Deserialize, Debug, PartialEq)]
    struct Sample {
        #[serde(with = "json_text")]
        data: String,
        #[serde(
            default,
            skip_serializing_if = "Option::is_none",
            with = "json_text_opt"
        )]
        maybe: Option<String>,
        #[serde(
            default,
            skip_serializing_if = "Option::is_none",
            with = "json_text_vec_opt"
        )]
        list: Option<Vec<String>>,
        #[serde(flatten, with = "json_map")]
        extra: HashMap<String, String>,
    }

    impl RequestBody for Sample {
        fn nulls(&self) -> Vec<&'static str> {
            vec!["cleared"]
        }
    }

    #[test]
    fn json_text_round_trips_and_extra_keeps_unknown_fields() {
        let wire = r#"{"data":{"a":[1,2]},"maybe":null,"list":[{"x":1},"s"],"other":true}"#;
        let sample: Sample = serde_json::from_str(wire).unwrap();
        assert_eq!(sample.data, r#"{"a":[1,2]}"#);
        assert_eq!(sample.maybe, None);
        assert_eq!(
            sample.list.as_deref(),
            Some(&[r#"{"x":1}"#.to_owned(), r#""s""#.to_owned()][..])
        );
        assert_eq!(sample.extra["other"], "true");
        let back = serde_json::to_value(&sample).unwrap();
        assert_eq!(back["data"]["a"][1], 2);
        assert_eq!(back["other"], true);
    }

    #[test]
    fn bodies_send_nulls_and_reject_bad_json() {
        let sample = Sample {
            data: "1".into(),
            maybe: None,
            list: None,
            extra: HashMap::new(),
        };
        let params = with_body(nixflex::CallParams::new(), &sample).unwrap();
        assert_eq!(
            params.body.unwrap().as_ref(),
            br#"{"data":1,"cleared":null}"#
        );
        let bad = Sample {
            data: "{not json".into(),
            ..sample
        };
        let err = with_body(nixflex::CallParams::new(), &bad).unwrap_err();
        assert_eq!(err.info().kind, "invalid_request");
    }
}
