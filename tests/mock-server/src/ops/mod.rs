//! The operations, one module per resource. A handler runs inside the tenant's state lock and
//! returns the success body (its status is the spec's 2xx) or an API error; anything that must
//! happen outside the lock (timers, deliveries) is returned as an [`Effect`].

pub mod account;
pub mod agents;
pub mod byo;
pub mod callers;
pub mod calls;
pub mod campaigns;
pub mod custom_functions;
pub mod integrations;
pub mod phone_numbers;
pub mod sms;

use crate::errors::ApiError;
use crate::spec::OpSpec;
use crate::tenants::{Tenant, TenantConfig, TenantState};
use bytes::Bytes;
use serde_json::{Map, Value};
use std::sync::LazyLock;

pub enum Effect {
    /// A call was created: run its lifecycle (status changes and webhooks).
    StartCall(String),
}

pub struct Ctx<'a> {
    pub tenant: &'a Tenant,
    pub st: &'a mut TenantState,
    pub cfg: &'a TenantConfig,
    pub now_ms: i64,
    pub op: &'static OpSpec,
    pub params: &'a [(String, String)],
    pub query: &'a Map<String, Value>,
    pub body: &'a Value,
    pub effects: Vec<Effect>,
}

static EMPTY: LazyLock<Map<String, Value>> = LazyLock::new(Map::new);

impl Ctx<'_> {
    pub fn param(&self, name: &str) -> &str {
        self.params
            .iter()
            .find(|(k, _)| k == name)
            .map(|(_, v)| v.as_str())
            .unwrap_or("")
    }

    pub fn body(&self) -> &Map<String, Value> {
        self.body.as_object().unwrap_or(&EMPTY)
    }

    pub fn str_field(&self, name: &str) -> Option<&str> {
        self.body().get(name).and_then(Value::as_str)
    }

    pub fn now_iso(&self) -> String {
        crate::clock::iso_ms(self.now_ms)
    }
}

/// A success body: a JSON value, or bytes already serialized (lists and stored objects are
/// written straight from the state, without cloning them into a `Value` first).
pub enum Reply {
    Json(Value),
    Raw(Bytes),
}

impl From<Value> for Reply {
    fn from(v: Value) -> Self {
        Reply::Json(v)
    }
}

impl Reply {
    /// Serializes `v` as is; for borrowed state.
    pub fn raw<S: serde::Serialize + ?Sized>(v: &S) -> Self {
        Reply::Raw(Bytes::from(serde_json::to_vec(v).expect("JSON serializes")))
    }

    pub fn into_bytes(self) -> Bytes {
        match self {
            Reply::Json(v) => Bytes::from(serde_json::to_vec(&v).expect("JSON serializes")),
            Reply::Raw(b) => b,
        }
    }
}

pub type OpResult = Result<Reply, ApiError>;
pub type Handler = fn(&mut Ctx<'_>) -> OpResult;

/// The handler of an operation id. Every id of the spec has one (a test checks it).
pub fn handler(id: &str) -> Option<Handler> {
    let h: Handler = match id {
        "agents.create" => agents::create,
        "agents.list" => agents::list,
        "agents.get" => agents::get,
        "agents.update" => agents::update,
        "agents.delete" => agents::delete,
        "calls.create" => calls::create,
        "calls.list" => calls::list,
        "calls.get" => calls::get,
        "calls.delete" => calls::delete,
        "calls.delete_all" => calls::delete_all,
        "campaigns.create" => campaigns::create,
        "campaigns.launch" => campaigns::launch,
        "campaigns.list" => campaigns::list,
        "phone_numbers.import" => phone_numbers::import,
        "phone_numbers.list" => phone_numbers::list,
        "phone_numbers.update" => phone_numbers::update,
        "phone_numbers.delete" => phone_numbers::delete,
        "phone_numbers.callers.get" => callers::get,
        "phone_numbers.callers.set" => callers::set,
        "phone_numbers.callers.delete" => callers::delete,
        "phone_numbers.callers.import" => callers::import,
        "sms.send" => sms::send,
        "sms.campaigns.create" => sms::create_campaign,
        "sms.campaigns.list" => sms::list_campaigns,
        "sms.campaigns.get" => sms::get_campaign,
        "sms.campaigns.update" => sms::update_campaign,
        "sms.campaigns.launch" => sms::launch_campaign,
        "sms.campaigns.delete" => sms::delete_campaign,
        "keys.rotate" => account::rotate_key,
        "usage.get" => account::usage,
        "account.delete" => account::delete_account,
        "storage.set" | "llm.set" | "tts.set" => byo::set,
        "storage.get" | "llm.get" | "tts.get" => byo::get,
        "storage.delete" | "llm.delete" | "tts.delete" => byo::delete,
        "integrations.custom_functions.create" => custom_functions::create,
        "integrations.custom_functions.list" => custom_functions::list,
        "integrations.custom_functions.update" => custom_functions::update,
        "integrations.custom_functions.delete" => custom_functions::delete,
        id if id.starts_with("integrations.") => integrations::handle,
        _ => return None,
    };
    Some(h)
}
