//! What the SDK knows of each API operation: the table is generated from `spec/`.

use std::fmt;

pub use crate::generated::operations::OPERATIONS;

/// An HTTP method of the API.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Method {
    /// GET
    Get,
    /// POST
    Post,
    /// PUT
    Put,
    /// PATCH
    Patch,
    /// DELETE
    Delete,
}

impl Method {
    /// Whether the method changes state, and so carries an `Idempotency-Key`.
    pub fn is_mutation(self) -> bool {
        !matches!(self, Method::Get)
    }

    /// The method's name on the wire.
    pub fn as_str(self) -> &'static str {
        match self {
            Method::Get => "GET",
            Method::Post => "POST",
            Method::Put => "PUT",
            Method::Patch => "PATCH",
            Method::Delete => "DELETE",
        }
    }

    /// Parses a method name, case-insensitively.
    pub fn parse(name: &str) -> Option<Method> {
        [
            Method::Get,
            Method::Post,
            Method::Put,
            Method::Patch,
            Method::Delete,
        ]
        .into_iter()
        .find(|m| m.as_str().eq_ignore_ascii_case(name))
    }

    pub(crate) fn to_http(self) -> http::Method {
        match self {
            Method::Get => http::Method::GET,
            Method::Post => http::Method::POST,
            Method::Put => http::Method::PUT,
            Method::Patch => http::Method::PATCH,
            Method::Delete => http::Method::DELETE,
        }
    }
}

impl fmt::Display for Method {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// How a list operation pages.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Pagination {
    /// The key of the items in the envelope shape (`agents` in `{"agents": [...], "count": N}`).
    pub list_key: &'static str,
    /// The largest page the server returns in the envelope shape.
    pub envelope_max: u32,
    /// The largest page the server returns in the bare-array shape.
    pub array_max: u32,
}

/// One API operation, as described in `spec/`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Operation {
    /// The stable id, `agents.create`.
    pub id: &'static str,
    /// The HTTP method.
    pub method: Method,
    /// The path template, `/v1/agents/{agent_id}`.
    pub path: &'static str,
    /// The names of the path parameters, in order.
    pub path_params: &'static [&'static str],
    /// The names of the query parameters.
    pub query_params: &'static [&'static str],
    /// Whether the operation takes a JSON body.
    pub has_body: bool,
    /// Whether the operation needs the API key (`keys.create` does not).
    pub auth: bool,
    /// Paging, for list operations that take `limit`/`offset`.
    pub pagination: Option<Pagination>,
}

/// Looks an operation up by its id.
///
/// ```
/// let op = nixflex::operation("agents.get").unwrap();
/// assert_eq!(op.path, "/v1/agents/{agent_id}");
/// assert!(nixflex::operation("agents.fly").is_none());
/// ```
pub fn operation(id: &str) -> Option<&'static Operation> {
    OPERATIONS.iter().find(|op| op.id == id).copied()
}
