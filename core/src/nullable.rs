//! `Option<Option<T>>` on the wire: absent (`None`) leaves a field alone, `Some(None)` sends
//! `null` (which clears or inherits, as the API documents), `Some(Some(v))` sets it.

use serde::{Deserialize, Deserializer, Serialize, Serializer};

pub(crate) fn serialize<T: Serialize, S: Serializer>(
    value: &Option<Option<T>>,
    serializer: S,
) -> Result<S::Ok, S::Error> {
    match value {
        Some(inner) => inner.serialize(serializer),
        None => serializer.serialize_none(),
    }
}

pub(crate) fn deserialize<'de, T: Deserialize<'de>, D: Deserializer<'de>>(
    deserializer: D,
) -> Result<Option<Option<T>>, D::Error> {
    Option::<T>::deserialize(deserializer).map(Some)
}

#[cfg(test)]
mod tests {
    #[derive(serde::Serialize, serde::Deserialize, Debug, PartialEq)]
    struct Patch {
        #[serde(default, skip_serializing_if = "Option::is_none", with = "super")]
        voice_id: Option<Option<String>>,
    }

    #[test]
    fn absent_null_and_value_round_trip() {
        let cases = [
            (Patch { voice_id: None }, "{}"),
            (
                Patch {
                    voice_id: Some(None),
                },
                r#"{"voice_id":null}"#,
            ),
            (
                Patch {
                    voice_id: Some(Some("Ashley".into())),
                },
                r#"{"voice_id":"Ashley"}"#,
            ),
        ];
        for (patch, json) in cases {
            assert_eq!(serde_json::to_string(&patch).unwrap(), json);
            assert_eq!(serde_json::from_str::<Patch>(json).unwrap(), patch);
        }
    }
}
