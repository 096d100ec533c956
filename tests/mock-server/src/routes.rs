//! The route table: method + path template → operation, built from the spec.
//!
//! Matching works on the raw path split on '/', each segment percent-decoded on its own, so an
//! encoded `%2F` stays inside one path parameter and `%2B` becomes `+` (never a space).

use crate::spec::Spec;
use http::Method;
use percent_encoding::percent_decode_str;
use std::borrow::Cow;
use std::collections::HashMap;

enum Seg {
    Lit(String),
    Param(String),
}

struct Route {
    op: usize,
    segs: Vec<Seg>,
}

pub struct RouteTable {
    by_len: HashMap<usize, Vec<Route>>,
}

pub enum RouteMatch {
    Found {
        op: usize,
        params: Vec<(String, String)>,
    },
    MethodNotAllowed {
        allow: Vec<Method>,
    },
    NotFound,
}

impl RouteTable {
    pub fn new(spec: &Spec) -> Self {
        let mut by_len: HashMap<usize, Vec<Route>> = HashMap::new();
        for (i, op) in spec.ops.iter().enumerate() {
            let segs: Vec<Seg> = op
                .template
                .trim_start_matches('/')
                .split('/')
                .map(
                    |s| match s.strip_prefix('{').and_then(|s| s.strip_suffix('}')) {
                        Some(name) => Seg::Param(name.to_string()),
                        None => Seg::Lit(s.to_string()),
                    },
                )
                .collect();
            by_len
                .entry(segs.len())
                .or_default()
                .push(Route { op: i, segs });
        }
        // Literal segments win over parameters, earliest position first:
        // `/callers/import` must beat `/callers/{caller_number}`.
        for routes in by_len.values_mut() {
            routes.sort_by_key(|r| {
                r.segs
                    .iter()
                    .map(|s| matches!(s, Seg::Param(_)) as u8)
                    .collect::<Vec<_>>()
            });
        }
        Self { by_len }
    }

    pub fn find(&self, spec: &Spec, method: &Method, raw_path: &str) -> RouteMatch {
        let raw = raw_path.strip_prefix('/').unwrap_or(raw_path);
        let segments: Vec<Cow<'_, str>> = raw
            .split('/')
            .map(|s| percent_decode_str(s).decode_utf8_lossy())
            .collect();
        let Some(routes) = self.by_len.get(&segments.len()) else {
            return RouteMatch::NotFound;
        };
        let mut allow: Vec<Method> = Vec::new();
        for route in routes {
            let matches = route.segs.iter().zip(&segments).all(|(s, v)| match s {
                Seg::Lit(l) => l == v,
                Seg::Param(_) => !v.is_empty(),
            });
            if !matches {
                continue;
            }
            let op = &spec.ops[route.op];
            if op.method == *method {
                let params = route
                    .segs
                    .iter()
                    .zip(&segments)
                    .filter_map(|(s, v)| match s {
                        Seg::Param(name) => Some((name.clone(), v.to_string())),
                        Seg::Lit(_) => None,
                    })
                    .collect();
                return RouteMatch::Found {
                    op: route.op,
                    params,
                };
            }
            if !allow.contains(&op.method) {
                allow.push(op.method.clone());
            }
        }
        if allow.is_empty() {
            RouteMatch::NotFound
        } else {
            RouteMatch::MethodNotAllowed { allow }
        }
    }
}
