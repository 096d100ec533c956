//! Request validation against the spec's schemas, compiled once per process.
//!
//! A failure becomes the API's envelope: a missing required field (or a blank string, or an empty
//! object where at least one field is needed) is `missing_field`; a node carrying `x-error-code`
//! gives that code; anything else is `invalid_request`. The message names the field.

use crate::errors::ApiError;
use crate::spec::{OpSpec, Spec, spec};
use jsonschema::error::ValidationErrorKind;
use jsonschema::paths::LocationSegment;
use jsonschema::{Draft, ValidationError, Validator};
use serde_json::{Map, Value, json};
use std::sync::OnceLock;

struct Compiled {
    schema: Value,
    validator: Validator,
}

pub struct OpValidators {
    body: Option<Compiled>,
    query: Option<Compiled>,
}

pub fn validators() -> &'static [OpValidators] {
    static V: OnceLock<Vec<OpValidators>> = OnceLock::new();
    V.get_or_init(|| compile_all(spec()))
}

fn compile(schema: Value, what: &str) -> Option<Compiled> {
    match jsonschema::options()
        .with_draft(Draft::Draft202012)
        .should_validate_formats(true)
        .build(&schema)
    {
        Ok(validator) => Some(Compiled { schema, validator }),
        Err(e) => {
            tracing::error!("cannot compile the schema of {what}: {e}");
            None
        }
    }
}

fn compile_all(spec: &Spec) -> Vec<OpValidators> {
    spec.ops
        .iter()
        .map(|op| OpValidators {
            body: op
                .body_schema
                .clone()
                .and_then(|s| compile(s, &format!("{} body", op.id))),
            query: query_schema(op).and_then(|s| compile(s, &format!("{} query", op.id))),
        })
        .collect()
}

/// One object schema for all query parameters, so they are checked like a body.
fn query_schema(op: &OpSpec) -> Option<Value> {
    if op.query_params.is_empty() {
        return None;
    }
    let mut props = Map::new();
    let mut required = Vec::new();
    for p in &op.query_params {
        let mut schema = p.schema.clone();
        // The API reduces an oversized page size instead of rejecting it.
        if op.paginated && p.name == "limit" {
            if let Value::Object(m) = &mut schema {
                m.remove("maximum");
                m.remove("exclusiveMaximum");
            }
        }
        props.insert(p.name.clone(), schema);
        if p.required {
            required.push(Value::String(p.name.clone()));
        }
    }
    Some(json!({"type": "object", "properties": props, "required": required}))
}

/// Validates a JSON body. `Ok` is the common case and costs one `is_valid` walk.
pub fn check_body(op: usize, body: &Value) -> Result<(), ApiError> {
    let Some(c) = validators().get(op).and_then(|v| v.body.as_ref()) else {
        return Ok(());
    };
    if c.validator.is_valid(body) {
        return Ok(());
    }
    Err(pick_error(
        &c.schema,
        c.validator.iter_errors(body).collect(),
        None,
    ))
}

/// Converts the query string to typed JSON per the parameters' schemas and validates it.
/// Unknown parameters are kept as strings (and not validated).
pub fn check_query(
    op: &OpSpec,
    op_index: usize,
    raw: Option<&str>,
) -> Result<Map<String, Value>, ApiError> {
    let mut out = Map::new();
    let Some(raw) = raw.filter(|r| !r.is_empty()) else {
        if op.query_params.iter().any(|p| p.required) {
            let p = op
                .query_params
                .iter()
                .find(|p| p.required)
                .expect("checked");
            return Err(ApiError::missing(&p.name));
        }
        return Ok(out);
    };
    for (k, v) in form_urlencoded::parse(raw.as_bytes()) {
        let typed = match op.query_params.iter().find(|p| p.name == k) {
            Some(p) => typed_value(&p.schema, &v),
            None => Value::String(v.into_owned()),
        };
        out.insert(k.into_owned(), typed);
    }
    if let Some(c) = validators().get(op_index).and_then(|v| v.query.as_ref()) {
        let instance = Value::Object(out);
        if !c.validator.is_valid(&instance) {
            return Err(pick_error(
                &c.schema,
                c.validator.iter_errors(&instance).collect(),
                Some("query parameter "),
            ));
        }
        let Value::Object(m) = instance else {
            unreachable!()
        };
        return Ok(m);
    }
    Ok(out)
}

fn schema_types(schema: &Value) -> Vec<&str> {
    match schema.get("type") {
        Some(Value::String(s)) => vec![s.as_str()],
        Some(Value::Array(a)) => a.iter().filter_map(Value::as_str).collect(),
        _ => Vec::new(),
    }
}

/// A value that does not convert stays a string, so the schema reports the type error.
fn typed_value(schema: &Value, raw: &str) -> Value {
    for t in schema_types(schema) {
        match t {
            "integer" => {
                if let Ok(i) = raw.parse::<i64>() {
                    return json!(i);
                }
            }
            "number" => {
                if let Ok(f) = raw.parse::<f64>() {
                    if f.is_finite() {
                        return json!(f);
                    }
                }
            }
            "boolean" => match raw {
                "true" => return Value::Bool(true),
                "false" => return Value::Bool(false),
                _ => {}
            },
            "null" if raw == "null" => return Value::Null,
            "array" => {
                let item = schema.get("items").cloned().unwrap_or(Value::Bool(true));
                return Value::Array(raw.split(',').map(|s| typed_value(&item, s)).collect());
            }
            _ => {}
        }
    }
    Value::String(raw.to_string())
}

struct Candidate {
    rank: u8,
    error: ApiError,
}

/// Among all failures, the one the API would report: missing fields first (the API checks
/// presence before format), then explicitly coded nodes, then the rest, in schema order.
fn pick_error(schema: &Value, errors: Vec<ValidationError<'_>>, prefix: Option<&str>) -> ApiError {
    let mut flat = Vec::new();
    flatten(&errors, &mut flat);
    let best = flat
        .iter()
        .map(|e| classify(schema, e, prefix.unwrap_or("")))
        .min_by_key(|c| c.rank);
    match best {
        Some(c) => c.error,
        None => ApiError::bad_request("invalid_request", "The request is invalid"),
    }
}

/// `anyOf`/`oneOf` report one error for the whole choice; the branch that came closest
/// (fewest failures) says best what the client got wrong.
fn flatten<'e, 'a>(errors: &'e [ValidationError<'a>], out: &mut Vec<&'e ValidationError<'a>>) {
    for e in errors {
        let branch = match e.kind() {
            ValidationErrorKind::AnyOf { context }
            | ValidationErrorKind::OneOfNotValid { context } => context
                .iter()
                .filter(|b| !b.is_empty())
                .min_by_key(|b| b.len()),
            _ => None,
        };
        match branch {
            Some(branch) => flatten(branch, out),
            None => out.push(e),
        }
    }
}

fn field_name(e: &ValidationError<'_>) -> String {
    let mut s = String::new();
    for seg in e.instance_path().segments() {
        match seg {
            LocationSegment::Property(p) => {
                if !s.is_empty() {
                    s.push('.');
                }
                s.push_str(&p);
            }
            LocationSegment::Index(i) => {
                s.push_str(&format!("[{i}]"));
            }
        }
    }
    s
}

/// The `x-error-code` of the schema node whose keyword failed, or of an enclosing node that
/// describes the same value (`allOf`, `anyOf` wrappers), never of an enclosing object: a bad
/// nested field is not the parent's error.
fn error_code_for(schema: &Value, e: &ValidationError<'_>, for_required: bool) -> Option<String> {
    let segs: Vec<String> = e.schema_path().segments().map(|s| s.to_string()).collect();
    let mut node = schema;
    let mut code = schema.get("x-error-code").and_then(Value::as_str);
    let mut prev: Option<&str> = None;
    // The last segment is the failing keyword itself; only the nodes above it count.
    for seg in segs.iter().take(segs.len().saturating_sub(1)) {
        let next = match node {
            Value::Object(m) => m.get(seg.as_str()),
            Value::Array(a) => seg.parse::<usize>().ok().and_then(|i| a.get(i)),
            _ => None,
        };
        let Some(next) = next else { break };
        let describes_child = matches!(
            prev,
            Some("properties" | "patternProperties" | "prefixItems")
        ) || matches!(
            seg.as_str(),
            "items"
                | "additionalProperties"
                | "contains"
                | "propertyNames"
                | "unevaluatedProperties"
                | "unevaluatedItems"
        );
        if describes_child {
            code = None;
        }
        let is_container = matches!(
            seg.as_str(),
            "properties" | "patternProperties" | "$defs" | "definitions" | "dependentSchemas"
        );
        // A nested object's own code describes its shape (say, unknown fields); a field missing
        // inside it is still `missing_field` unless a wrapper (`allOf`, `if/then`) says otherwise.
        let nested_object_for_required = for_required && describes_child;
        if !is_container && !nested_object_for_required {
            if let Some(c) = next.get("x-error-code").and_then(Value::as_str) {
                code = Some(c);
            }
        }
        prev = Some(seg.as_str());
        node = next;
    }
    code.map(str::to_string)
}

fn describe_type(e: &ValidationError<'_>) -> String {
    match e.kind() {
        ValidationErrorKind::Type { kind } => match kind {
            jsonschema::error::TypeKind::Single(t) => format!("{t:?}").to_lowercase(),
            jsonschema::error::TypeKind::Multiple(ts) => {
                let v: Vec<String> = ts.iter().map(|t| format!("{t:?}").to_lowercase()).collect();
                v.join(" or ")
            }
        },
        _ => String::new(),
    }
}

fn classify(schema: &Value, e: &ValidationError<'_>, prefix: &str) -> Candidate {
    let path = field_name(e);
    let join = |child: &str| {
        if path.is_empty() {
            child.to_string()
        } else {
            format!("{path}.{child}")
        }
    };
    let shown = |p: &str| {
        if p.is_empty() {
            "body".to_string()
        } else {
            format!("{prefix}{p}")
        }
    };
    if let ValidationErrorKind::Required { property } = e.kind() {
        let field = join(property.as_str().unwrap_or_default());
        let code = error_code_for(schema, e, true).unwrap_or_else(|| "missing_field".into());
        return Candidate {
            rank: rank_of(&code, true),
            error: ApiError::bad_request(code, format!("{} is required.", shown(&field)))
                .with_details(json!({ "field": field })),
        };
    }
    let explicit = error_code_for(schema, e, false);
    let blank = matches!(e.kind(), ValidationErrorKind::MinLength { .. })
        && e.instance().as_str().is_some_and(|s| s.trim().is_empty());
    if blank || matches!(e.kind(), ValidationErrorKind::MinProperties { .. }) {
        let msg = if blank {
            format!("{} must not be blank.", shown(&path))
        } else if path.is_empty() {
            "At least one field is required.".to_string()
        } else {
            format!("{} needs at least one field.", shown(&path))
        };
        let code = match explicit {
            Some(c) if !blank => c,
            _ => "missing_field".to_string(),
        };
        return Candidate {
            rank: rank_of(&code, true),
            error: ApiError::bad_request(code, msg).with_details(json!({ "field": path })),
        };
    }
    let (field, message) = match e.kind() {
        ValidationErrorKind::AdditionalProperties { unexpected }
        | ValidationErrorKind::UnevaluatedProperties { unexpected } => {
            let name = unexpected.first().cloned().unwrap_or_default();
            let f = join(&name);
            (f.clone(), format!("Unknown field: {}.", shown(&f)))
        }
        ValidationErrorKind::Type { .. } => (
            path.clone(),
            format!("{} must be {}.", shown(&path), describe_type(e)),
        ),
        ValidationErrorKind::MaxLength { limit } => (
            path.clone(),
            format!("{} too long. Maximum is {limit} characters.", shown(&path)),
        ),
        ValidationErrorKind::MinLength { limit } => (
            path.clone(),
            format!("{} too short. Minimum is {limit} characters.", shown(&path)),
        ),
        ValidationErrorKind::MaxItems { limit } => (
            path.clone(),
            format!("{} has too many items. Maximum is {limit}.", shown(&path)),
        ),
        ValidationErrorKind::MinItems { limit } => (
            path.clone(),
            format!("{} needs at least {limit} item(s).", shown(&path)),
        ),
        ValidationErrorKind::Pattern { .. }
            if e.instance().as_str().is_some_and(|s| s.trim().is_empty()) =>
        {
            (path.clone(), format!("{} must not be blank.", shown(&path)))
        }
        ValidationErrorKind::Pattern { .. } => (
            path.clone(),
            format!("{} has an invalid format.", shown(&path)),
        ),
        ValidationErrorKind::Format { format } => (
            path.clone(),
            format!("{} is not a valid {format}.", shown(&path)),
        ),
        ValidationErrorKind::Enum { options } => (
            path.clone(),
            format!("{} must be one of {}.", shown(&path), options),
        ),
        ValidationErrorKind::Minimum { limit }
        | ValidationErrorKind::ExclusiveMinimum { limit } => (
            path.clone(),
            format!("{} is too small (minimum {limit}).", shown(&path)),
        ),
        ValidationErrorKind::Maximum { limit }
        | ValidationErrorKind::ExclusiveMaximum { limit } => (
            path.clone(),
            format!("{} is too large (maximum {limit}).", shown(&path)),
        ),
        _ => (
            path.clone(),
            format!("{} is invalid: {}.", shown(&path), e.masked()),
        ),
    };
    let rank = rank_of(explicit.as_deref().unwrap_or(""), explicit.is_some());
    Candidate {
        rank,
        error: ApiError::bad_request(
            explicit.unwrap_or_else(|| "invalid_request".into()),
            message,
        )
        .with_details(json!({ "field": field })),
    }
}

/// Presence before format before the rest: the order in which the API checks a request.
fn rank_of(code: &str, explicit: bool) -> u8 {
    if code == "missing_field" {
        0
    } else if explicit {
        1
    } else {
        2
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// A schema that fails to compile would silently skip validation; catch it here.
    #[test]
    fn every_schema_of_the_spec_compiles() {
        let spec = spec();
        for (op, v) in spec.ops.iter().zip(validators()) {
            assert_eq!(op.body_schema.is_some(), v.body.is_some(), "{} body", op.id);
            assert_eq!(
                !op.query_params.is_empty(),
                v.query.is_some(),
                "{} query",
                op.id
            );
        }
    }
}
