//! What the generated dispatch works with: a step's arguments, its typed conversions, and what
//! came back.

use futures::StreamExt;
use futures::stream::BoxStream;
use serde::Serialize;
use serde::de::DeserializeOwned;
use serde_json::{Map, Value, json};

/// The arguments of one step: path parameters, query and body, as the scenario gives them.
#[derive(Debug, Clone, Default)]
pub struct Args {
    pub path: Map<String, Value>,
    pub query: Map<String, Value>,
    pub body: Option<Value>,
}

/// Why a step did not produce a result.
#[derive(Debug)]
pub enum Failure {
    /// The SDK failed: this is an outcome the scenario may expect.
    Sdk(nixflex::Error),
    /// The scenario asks for something the typed API cannot express (a bug of the scenario).
    Scenario(String),
}

impl From<nixflex::Error> for Failure {
    fn from(e: nixflex::Error) -> Failure {
        Failure::Sdk(e)
    }
}

/// A result as JSON, with what came with it.
#[derive(Debug)]
pub struct Called {
    pub result: Value,
    pub meta: nixflex::ResponseMeta,
}

impl Called {
    /// A typed result, serialized back to JSON.
    pub fn value<T: Serialize>(response: nixflex::Response<T>) -> Called {
        let (data, meta) = response.into_parts();
        let result = serde_json::to_value(&data)
            .unwrap_or_else(|e| json!({ "$unserializable": e.to_string() }));
        Called { result, meta }
    }

    /// A page of a list: `{"items", "count", "limit", "offset"}`, whatever the wire shape.
    pub fn page<T: Serialize>(response: nixflex::Response<nixflex::ListPage<T>>) -> Called {
        let (page, meta) = response.into_parts();
        let items = serde_json::to_value(&page.items).unwrap_or(Value::Null);
        let result = json!({
            "items": items,
            "count": page.count,
            "limit": page.limit,
            "offset": page.offset,
        });
        Called { result, meta }
    }
}

/// A walk's items as JSON.
pub type Items = BoxStream<'static, nixflex::Result<Value>>;

/// Turns a typed walk into a walk of JSON values.
pub fn values<T: Serialize + Send + 'static>(
    stream: BoxStream<'static, nixflex::Result<T>>,
) -> Items {
    stream
        .map(|item| item.map(|v| serde_json::to_value(&v).unwrap_or(Value::Null)))
        .boxed()
}

fn scenario(message: String) -> Failure {
    Failure::Scenario(message)
}

impl Args {
    /// Fails on names the operation does not have, so that a typo in a scenario is caught.
    pub fn check(
        &self,
        op: &str,
        path: &[&str],
        query: &[&str],
        takes_body: bool,
    ) -> Result<(), Failure> {
        if let Some(name) = self.path.keys().find(|k| !path.contains(&k.as_str())) {
            return Err(scenario(format!("{op} has no path parameter {name:?}")));
        }
        if let Some(name) = self.query.keys().find(|k| !query.contains(&k.as_str())) {
            return Err(scenario(format!("{op} has no query parameter {name:?}")));
        }
        if self.body.is_some() && !takes_body {
            return Err(scenario(format!("{op} takes no body")));
        }
        Ok(())
    }

    /// A path parameter, as a string.
    pub fn path(&self, name: &str) -> Result<String, Failure> {
        match self.path.get(name) {
            Some(Value::String(s)) => Ok(s.clone()),
            Some(other) => Err(scenario(format!(
                "path parameter {name} must be a string, got {other}"
            ))),
            None => Err(scenario(format!("path parameter {name} is missing"))),
        }
    }

    /// A query parameter, typed as the params struct wants it.
    pub fn query<T: DeserializeOwned>(&self, name: &str) -> Result<Option<T>, Failure> {
        match self.query.get(name) {
            None | Some(Value::Null) => Ok(None),
            Some(v) => serde_json::from_value(v.clone()).map(Some).map_err(|e| {
                scenario(format!(
                    "query parameter {name} = {v} does not fit its type: {e}"
                ))
            }),
        }
    }

    /// The body as the typed request (`{}` when the scenario gives none).
    pub fn body<T: DeserializeOwned>(&self) -> Result<T, Failure> {
        let body = self.body.clone().unwrap_or_else(|| json!({}));
        serde_json::from_value(body.clone()).map_err(|e| {
            scenario(format!(
                "the body {body} cannot be expressed as the typed request: {e}"
            ))
        })
    }
}
