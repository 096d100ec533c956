//! Bring-your-own storage, LLM and TTS. The live verification always passes in the mock;
//! secrets are stored but never returned.

use super::{Ctx, OpResult, Reply};
use crate::errors::ApiError;
use serde_json::{Map, Value, json};

enum Kind {
    Storage,
    Llm,
    Tts,
}

fn kind(op: &str) -> Kind {
    match op.split('.').next() {
        Some("storage") => Kind::Storage,
        Some("llm") => Kind::Llm,
        _ => Kind::Tts,
    }
}

fn slot<'a>(c: &'a mut Ctx<'_>, k: &Kind) -> &'a mut Option<Map<String, Value>> {
    match k {
        Kind::Storage => &mut c.st.storage,
        Kind::Llm => &mut c.st.llm,
        Kind::Tts => &mut c.st.tts,
    }
}

fn field(cfg: Option<&Map<String, Value>>, k: &str) -> Value {
    cfg.and_then(|m| m.get(k)).cloned().unwrap_or(Value::Null)
}

pub fn set(c: &mut Ctx<'_>) -> OpResult {
    let k = kind(&c.op.id);
    let mut cfg = c.body().clone();
    let out = match k {
        Kind::Storage => {
            let endpoint = cfg
                .get("endpoint")
                .and_then(Value::as_str)
                .filter(|e| !e.is_empty())
                .map(str::to_string);
            if let Some(e) = &endpoint {
                if !crate::spec::is_allowed_url(e) {
                    return Err(ApiError::invalid(
                        "invalid_url",
                        "endpoint",
                        "endpoint must be an https URL",
                    ));
                }
            }
            cfg.insert("endpoint".into(), json!(endpoint));
            if cfg
                .get("region")
                .and_then(Value::as_str)
                .is_none_or(str::is_empty)
            {
                cfg.insert("region".into(), json!("auto"));
            }
            json!({
                "ok": true,
                "storage_enabled": true,
                "bucket": cfg.get("bucket"),
                "endpoint": endpoint,
                "region": cfg.get("region"),
                "verified": true,
            })
        }
        Kind::Llm => json!({
            "ok": true,
            "byo_llm_enabled": true,
            "endpoint": cfg.get("endpoint"),
            "model": cfg.get("model"),
            "verified": true,
        }),
        Kind::Tts => json!({
            "ok": true,
            "byo_tts_enabled": true,
            "provider": cfg.get("provider"),
            "voice_id": cfg.get("voice_id"),
            "verified": true,
        }),
    };
    *slot(c, &k) = Some(cfg);
    Ok(Reply::from(out))
}

pub fn get(c: &mut Ctx<'_>) -> OpResult {
    let k = kind(&c.op.id);
    let cfg = slot(c, &k).as_ref();
    Ok(Reply::from(match k {
        Kind::Storage => json!({
            "storage_enabled": cfg.is_some(),
            "endpoint": field(cfg, "endpoint"),
            "region": field(cfg, "region"),
            "bucket": field(cfg, "bucket"),
            "access_key": field(cfg, "access_key"),
        }),
        Kind::Llm => json!({
            "byo_llm_enabled": cfg.is_some(),
            "endpoint": field(cfg, "endpoint"),
            "model": field(cfg, "model"),
        }),
        Kind::Tts => json!({
            "byo_tts_enabled": cfg.is_some(),
            "provider": field(cfg, "provider"),
            "voice_id": field(cfg, "voice_id"),
        }),
    }))
}

pub fn delete(c: &mut Ctx<'_>) -> OpResult {
    let k = kind(&c.op.id);
    *slot(c, &k) = None;
    Ok(Reply::from(match k {
        Kind::Storage => json!({ "ok": true, "storage_enabled": false }),
        Kind::Llm => json!({ "ok": true, "byo_llm_enabled": false }),
        Kind::Tts => json!({ "ok": true, "byo_tts_enabled": false }),
    }))
}
