//! The core's `tracing` events, forwarded to Python's `logging` (logger `nixflex`).
//!
//! Only levels the Python logger has enabled cross over: the facade tells this module the
//! logger's effective level (`set_log_level`), and below it events are discarded without taking
//! the GIL. Messages carry the span context (operation, method, attempt, idempotency key) and
//! never a key secret: anything shaped like `nxfs_…` is masked before it leaves. The same fields
//! ride on the record as a dict, `record.nixflex` (`extra=`), so that structured handlers need
//! not parse the message; an event's own field wins over a span's of the same name.
//!
//! Records are emitted on whichever thread produced the event, tokio's workers included: those
//! take the GIL for each forwarded record, which is why nothing below the logger's level crosses.

use std::fmt::Write as _;
use std::sync::atomic::{AtomicU8, Ordering};

use pyo3::prelude::*;
use pyo3::sync::PyOnceLock;
use pyo3::types::PyDict;
use tracing::field::{Field, Visit};
use tracing::{Event, Level, Metadata, Subscriber, span};
use tracing_subscriber::layer::{Context, Layer};
use tracing_subscriber::prelude::*;
use tracing_subscriber::registry::LookupSpan;

/// The most verbose tracing level forwarded: 0 off, 1 error … 5 trace.
static MAX_LEVEL: AtomicU8 = AtomicU8::new(2);

fn rank(level: &Level) -> u8 {
    match *level {
        Level::ERROR => 1,
        Level::WARN => 2,
        Level::INFO => 3,
        Level::DEBUG => 4,
        Level::TRACE => 5,
    }
}

fn python_level(level: &Level) -> i32 {
    match *level {
        Level::ERROR => 40,
        Level::WARN => 30,
        Level::INFO => 20,
        Level::DEBUG => 10,
        Level::TRACE => 5,
    }
}

/// Sets which events reach Python, from a `logging` level number.
#[pyfunction]
pub fn set_log_level(level: i32) {
    let max = match level {
        i32::MIN..=5 => 5,
        6..=10 => 4,
        11..=20 => 3,
        21..=30 => 2,
        31..=40 => 1,
        _ => 0,
    };
    MAX_LEVEL.store(max, Ordering::Relaxed);
}

/// Masks key secrets (`nxfs_…`) in a message.
pub fn redact(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    let mut rest = text;
    while let Some(at) = rest.find("nxfs_") {
        out.push_str(&rest[..at + 5]);
        let after = &rest[at + 5..];
        let end = after
            .find(|c: char| !(c.is_ascii_alphanumeric() || c == '_' || c == '-'))
            .unwrap_or(after.len());
        out.push_str("***");
        rest = &after[end..];
    }
    out.push_str(rest);
    out
}

/// A field's value as it crosses to Python: numbers and booleans keep their type.
#[derive(Clone)]
enum Value {
    Text(String),
    Int(i64),
    Uint(u64),
    Bool(bool),
}

#[derive(Default)]
struct Fields {
    message: String,
    rest: String,
    pairs: Vec<(&'static str, Value)>,
}

impl Visit for Fields {
    fn record_str(&mut self, field: &Field, value: &str) {
        if field.name() == "message" {
            self.message.push_str(value);
        } else if !value.is_empty() {
            let _ = write!(self.rest, " {}={}", field.name(), value);
            self.pairs.push((field.name(), Value::Text(redact(value))));
        }
    }
    fn record_i64(&mut self, field: &Field, value: i64) {
        let _ = write!(self.rest, " {}={}", field.name(), value);
        self.pairs.push((field.name(), Value::Int(value)));
    }
    fn record_u64(&mut self, field: &Field, value: u64) {
        let _ = write!(self.rest, " {}={}", field.name(), value);
        self.pairs.push((field.name(), Value::Uint(value)));
    }
    fn record_bool(&mut self, field: &Field, value: bool) {
        let _ = write!(self.rest, " {}={}", field.name(), value);
        self.pairs.push((field.name(), Value::Bool(value)));
    }
    fn record_debug(&mut self, field: &Field, value: &dyn std::fmt::Debug) {
        if field.name() == "message" {
            let _ = write!(self.message, "{value:?}");
        } else {
            let text = format!("{value:?}");
            let _ = write!(self.rest, " {}={}", field.name(), text);
            self.pairs.push((field.name(), Value::Text(redact(&text))));
        }
    }
}

/// A span's fields, formatted once.
struct SpanFields(String, Vec<(&'static str, Value)>);

struct PythonLogging;

impl<S> Layer<S> for PythonLogging
where
    S: Subscriber + for<'a> LookupSpan<'a>,
{
    fn register_callsite(&self, _: &'static Metadata<'static>) -> tracing::subscriber::Interest {
        // The Python side changes its level at any time: ask `enabled` every time.
        tracing::subscriber::Interest::sometimes()
    }

    fn enabled(&self, metadata: &Metadata<'_>, _: Context<'_, S>) -> bool {
        rank(metadata.level()) <= MAX_LEVEL.load(Ordering::Relaxed)
    }

    fn on_new_span(&self, attrs: &span::Attributes<'_>, id: &span::Id, ctx: Context<'_, S>) {
        let mut fields = Fields::default();
        attrs.record(&mut fields);
        if let Some(span) = ctx.span(id) {
            span.extensions_mut()
                .insert(SpanFields(fields.rest, fields.pairs));
        }
    }

    fn on_event(&self, event: &Event<'_>, ctx: Context<'_, S>) {
        let mut fields = Fields::default();
        event.record(&mut fields);
        let mut line = String::new();
        let mut pairs = Vec::new();
        if let Some(scope) = ctx.event_scope(event) {
            for span in scope.from_root() {
                let ext = span.extensions();
                let own = ext.get::<SpanFields>();
                let text = own.map(|f| f.0.trim()).unwrap_or("");
                let _ = write!(line, "{}{{{}}}: ", span.name(), text);
                if let Some(own) = own {
                    pairs.extend(own.1.iter().cloned());
                }
            }
        }
        line.push_str(&fields.message);
        line.push_str(&fields.rest);
        pairs.extend(fields.pairs);
        emit(
            python_level(event.metadata().level()),
            &redact(&line),
            &pairs,
        );
    }
}

fn emit(level: i32, message: &str, pairs: &[(&'static str, Value)]) {
    // SAFETY: a plain query of the interpreter's state, allowed without the GIL.
    if unsafe { pyo3::ffi::Py_IsInitialized() } == 0 {
        return;
    }
    static LOGGER: PyOnceLock<Py<PyAny>> = PyOnceLock::new();
    Python::attach(|py| {
        let logger = LOGGER.get_or_try_init(py, || {
            py.import("logging")?
                .call_method1("getLogger", ("nixflex",))
                .map(Bound::unbind)
        });
        if let Ok(logger) = logger {
            if let Err(err) = log(py, logger, level, message, pairs) {
                err.write_unraisable(py, None);
            }
        }
    });
}

fn log(
    py: Python<'_>,
    logger: &Py<PyAny>,
    level: i32,
    message: &str,
    pairs: &[(&'static str, Value)],
) -> PyResult<()> {
    let fields = PyDict::new(py);
    // Later pairs (inner spans, then the event) overwrite outer ones of the same name.
    for (name, value) in pairs {
        match value {
            Value::Text(text) => fields.set_item(*name, text)?,
            Value::Int(n) => fields.set_item(*name, *n)?,
            Value::Uint(n) => fields.set_item(*name, *n)?,
            Value::Bool(b) => fields.set_item(*name, *b)?,
        }
    }
    let extra = PyDict::new(py);
    extra.set_item("nixflex", fields)?;
    let kwargs = PyDict::new(py);
    kwargs.set_item("extra", extra)?;
    logger.call_method(py, "log", (level, message), Some(&kwargs))?;
    Ok(())
}

/// Installs the forwarding as this library's tracing subscriber (once; other Rust libraries in
/// the process have their own).
pub fn install() {
    let _ =
        tracing::subscriber::set_global_default(tracing_subscriber::registry().with(PythonLogging));
}

#[cfg(test)]
mod tests {
    #[test]
    fn secrets_are_masked() {
        assert_eq!(
            super::redact("key nxf_a:nxfs_s3cret-x ok"),
            "key nxf_a:nxfs_*** ok"
        );
        assert_eq!(super::redact("no secret"), "no secret");
        assert_eq!(super::redact("nxfs_"), "nxfs_***");
    }
}
