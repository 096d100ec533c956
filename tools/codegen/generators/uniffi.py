"""Generates the uniffi surface from which the Swift and Kotlin packages are generated.

From `spec/`: every API object and request body as a `uniffi::Record` (serde with the API's own
field names), one `uniffi::Object` per resource with one async method per operation (78), a
pager per paginated list, and the iterator idioms over those pagers in Swift (`AsyncSequence`)
and Kotlin (`Flow`). The methods call the core's `Client::call`: no HTTP policy is generated.
"""

from __future__ import annotations

from typing import Any

from format import rustfmt
from generators.rust import HEADER, RustTypes, first_paragraph
from generators.rust import doc as rust_doc
from naming import pascal, rust_ident
from spec_model import Op, Spec

SWIFT_KOTLIN_HEADER = HEADER

# Names the hand-written part of the crate defines.
FIXED_NAMES = {
    "NixflexClient", "ClientConfig", "RequestOptions", "RawResponse", "NixflexError",
    "NixflexErrorInfo", "WebhookEvent",
}

# The core's types for the API's free-form values cross the FFI as JSON text.
JSON = "serde_json::Value"
JSON_LIST = "Vec<serde_json::Value>"
STRING_MAP = "std::collections::BTreeMap<String, String>"


def doc(text: str, indent: str = "") -> str:
    """A doc comment that uniffi copies into Kotlin and Swift block comments: `/*` and `*/`
    inside it would open or close them (Kotlin nests block comments)."""
    return rust_doc(text.replace("/*", "/ *").replace("*/", "* /"), indent)


def ffi_type(rust_type: str) -> tuple[str, str | None]:
    """The FFI type of a core type, and the serde helper module that carries it, if any."""
    if rust_type == JSON:
        return "String", "json_text"
    if rust_type == JSON_LIST:
        return "Vec<String>", "json_text_vec"
    if rust_type == STRING_MAP:
        return "std::collections::HashMap<String, String>", None
    return rust_type, None


def reachable_structs(spec: Spec) -> list[str]:
    """The object schemas that operations use, directly or nested, in the order of `spec/`."""
    seen: set[str] = set()

    def visit(node: Any) -> None:
        if isinstance(node, dict):
            ref = Spec.ref_name(node)
            if ref is not None:
                if ref not in seen:
                    seen.add(ref)
                    visit(spec.schemas.get(ref, {}))
                return
            for value in node.values():
                visit(value)
        elif isinstance(node, list):
            for value in node:
                visit(value)

    for op in spec.ops:
        visit(op.body_schema)
        visit(op.response_schema)
    return [n for n, s in spec.schemas.items() if n in seen and RustTypes._is_struct(s)]


def nullable_enum_name(record: str) -> str:
    return f"{record}NullableField"


def page_name(item: str) -> str:
    return f"{item}Page"


def pager_name(item: str) -> str:
    return f"{item}Pager"


def api_name(path: tuple[str, ...]) -> str:
    return pascal("_".join(path)) + "Api"


def field_doc(node: Any, helper: str | None) -> str:
    text = node.get("description", "") if isinstance(node, dict) else ""
    if helper:
        text = (text + " " if text else "") + "(JSON text.)"
    return doc(text, "    ") if text else ""


def record(types: RustTypes, name: str, schema: dict[str, Any], is_request: bool) -> tuple[str, bool]:
    """A record and, for request bodies with fields that can be sent as `null`, its enum of
    those fields. Returns the code and whether the record has required fields."""
    props: dict[str, Any] = schema.get("properties", {})
    required = set(schema.get("required", []))
    fields, nullables = [], []
    for prop, node in props.items():
        rust_type, nullable = types.of(node)
        ffi, helper = ffi_type(rust_type)
        ident = rust_ident(prop)
        rename = f'    #[serde(rename = "{prop}")]\n' if ident != prop else ""
        desc = field_doc(node, helper)
        if prop in required and (is_request or not nullable):
            with_attr = f'    #[serde(with = "crate::convert::{helper}")]\n' if helper else ""
            fields.append(f"{desc}{rename}{with_attr}    pub {ident}: {ffi},\n")
            continue
        with_ = f', with = "crate::convert::{helper}_opt"' if helper else ""
        attrs = (
            f'    #[serde(default, skip_serializing_if = "Option::is_none"{with_})]\n'
            "    #[uniffi(default)]\n"
        )
        fields.append(f"{desc}{rename}{attrs}    pub {ident}: Option<{ffi}>,\n")
        if is_request and nullable and rust_type != JSON:
            nullables.append(prop)
    if nullables:
        fields.append(
            "    /// Fields to send as JSON `null`, which clears them (as the API documents).\n"
            "    #[serde(skip)]\n"
            "    #[uniffi(default)]\n"
            f"    pub null_fields: Vec<{nullable_enum_name(name)}>,\n"
        )
    fields.append(
        "    /// Fields the SDK does not name, kept as sent or received; each value is JSON text.\n"
        '    #[serde(flatten, with = "crate::convert::json_map")]\n'
        "    #[uniffi(default)]\n"
        "    pub extra: std::collections::HashMap<String, String>,\n"
    )
    kind = "request body" if is_request else "API object"
    out = doc(schema.get("description", "") or f"The {name} {kind}.")
    out += (
        "#[derive(Debug, Clone, PartialEq, serde::Serialize, serde::Deserialize, uniffi::Record)]\n"
        f"pub struct {name} {{\n{''.join(fields)}}}\n"
    )
    if is_request:
        if nullables:
            enum = nullable_enum_name(name)
            variants = "".join(f"    /// `{p}`\n    {pascal(p)},\n" for p in nullables)
            arms = "".join(f'            {enum}::{pascal(p)} => "{p}",\n' for p in nullables)
            out += (
                f"\n/// The fields of `{name}` that can be sent as `null`.\n"
                "#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, uniffi::Enum)]\n"
                f"pub enum {enum} {{\n{variants}}}\n\n"
                f"impl {enum} {{\n"
                "    fn wire_name(self) -> &'static str {\n"
                f"        match self {{\n{arms}        }}\n    }}\n}}\n\n"
                f"impl crate::convert::RequestBody for {name} {{\n"
                "    fn nulls(&self) -> Vec<&'static str> {\n"
                "        self.null_fields.iter().map(|f| f.wire_name()).collect()\n    }\n}\n"
            )
        else:
            out += f"\nimpl crate::convert::RequestBody for {name} {{}}\n"
    return out, bool(required)


def list_items(spec: Spec, types: RustTypes) -> list[str]:
    """The item types of the paginated lists, once each, in the order of `spec/`."""
    items: list[str] = []
    for op in spec.ops:
        if op.paginated:
            item, _ = types.of(spec.list_item_schema(op))
            if item not in items:
                items.append(item)
    return items


def page_record(item: str) -> str:
    page = page_name(item)
    return (
        f"/// One page of a list of `{item}`, whatever the wire shape.\n"
        "#[derive(Debug, Clone, PartialEq, uniffi::Record)]\n"
        f"pub struct {page} {{\n"
        "    /// The items of this page.\n"
        f"    pub items: Vec<{item}>,\n"
        "    /// The total number of items, when the server says it (envelope shape).\n"
        "    pub count: Option<u64>,\n"
        "    /// The page size the server applied, when it says it.\n"
        "    pub limit: Option<u64>,\n"
        "    /// The offset of this page, when the server says it.\n"
        "    pub offset: Option<u64>,\n"
        "}\n\n"
        f"impl From<crate::api::Page<{item}>> for {page} {{\n"
        f"    fn from(page: crate::api::Page<{item}>) -> {page} {{\n"
        f"        {page} {{ items: page.items, count: page.count, limit: page.limit, offset: page.offset }}\n"
        "    }\n}\n"
    )


def models_rs(spec: Spec) -> tuple[str, set[str]]:
    types = RustTypes(spec)
    requests = spec.request_schema_names()
    parts = [
        HEADER,
        "//! The API's objects and request bodies as uniffi records, with the API's field names\n"
        "//! on the wire. Free-form values are JSON text.\n\n",
    ]
    names: set[str] = set()
    defaultable: set[str] = set()
    for name in reachable_structs(spec):
        code, has_required = record(types, name, spec.schemas[name], name in requests)
        parts.append(code + "\n")
        names.add(name)
        if name in requests and not has_required:
            defaultable.add(name)
        if name in requests and "NullableField" in code:
            names.add(nullable_enum_name(name))
    for item in list_items(spec, types):
        parts.append(page_record(item) + "\n")
        names.add(page_name(item))
    clash = names & FIXED_NAMES
    if clash:
        raise SystemExit(f"uniffi: generated names clash with hand-written ones: {sorted(clash)}")
    return "".join(parts), defaultable


def query_type(types: RustTypes, schema: dict[str, Any]) -> str:
    rust_type, _ = types.of(schema)
    if rust_type not in {"String", "i64", "f64", "bool"}:
        raise SystemExit(f"uniffi: unsupported query parameter type {rust_type}")
    return rust_type


def summary_doc(op: Op) -> str:
    text = doc(f"{op.summary or op.id}.\n\n`{op.method} {op.path}` (`{op.id}`).", "    ")
    if op.description:
        text += doc("\n" + first_paragraph(op.description), "    ")
    return text


def method_rs(spec: Spec, types: RustTypes, op: Op, defaultable: set[str]) -> str:
    args, defaults = ["&self"], []
    for p in op.path_params:
        args.append(f"{rust_ident(p.name)}: String")
    path = "".join(f'.path("{p.name}", {rust_ident(p.name)})' for p in op.path_params)
    lines = []
    for p in op.query_params:
        ident = rust_ident(p.name)
        args.append(f"{ident}: Option<{query_type(types, p.schema)}>")
        defaults.append(f"{ident} = None")
        lines.append(f'            if let Some(v) = &{ident} {{\n                params = params.query("{p.name}", v);\n            }}\n')
    if op.body_schema is not None:
        body = Spec.ref_name(op.body_schema)
        if body is None:
            raise SystemExit(f"uniffi: {op.id} has an inline request body")
        args.append(f"body: crate::generated::models::{body}")
        if body in defaultable:
            # uniffi 0.32 reads a bare name (the type's natural default) only last in the list.
            defaults.append("body")
        build_end = "            crate::convert::with_body(params, &body)\n"
    else:
        build_end = "            Ok(params)\n"
    binding = "let mut params" if op.query_params else "let params"
    # The parameters are built inside the call's task (`Api::json`/`Api::list`), so a panic
    # while encoding them is caught with the rest of the call.
    if lines or op.body_schema is not None:
        build = (
            f"move || {{\n            {binding} = nixflex::CallParams::new(){path};\n"
            f"{''.join(lines)}{build_end}        }}"
        )
    else:
        build = f"move || Ok(nixflex::CallParams::new(){path})"
    if op.paginated:
        item, _ = types.of(spec.list_item_schema(op))
        ret = f"crate::generated::models::{page_name(item)}"
        finish = (
            f'        self.api.list::<crate::generated::models::{item}, {ret}, _>("{op.id}", "{op.list_key}", {build}).await\n'
        )
    else:
        rtype = Spec.ref_name(op.response_schema)
        if rtype is None:
            raise SystemExit(f"uniffi: {op.id} has no named response schema")
        ret = f"crate::generated::models::{rtype}"
        finish = f'        self.api.json::<{ret}, _>("{op.id}", {build}).await\n'
    attr = f"    #[uniffi::method(default({', '.join(defaults)}))]\n" if defaults else ""
    out = (
        f"{summary_doc(op)}{attr}"
        f"    pub async fn {rust_ident(op.name)}({', '.join(args)}) -> Result<{ret}, crate::errors::NixflexError> {{\n"
        f"{finish}    }}\n"
    )
    if op.paginated:
        out += "\n" + pages_rs(types, op, item)
    return out


def walk_filters(op: Op) -> list:
    return [p for p in op.query_params if p.name not in ("limit", "offset")]


def pages_rs(types: RustTypes, op: Op, item: str) -> str:
    args, defaults, lines = ["&self"], [], []
    for p in op.path_params:
        args.append(f"{rust_ident(p.name)}: String")
    path = "".join(f'.path("{p.name}", {rust_ident(p.name)})' for p in op.path_params)
    filters = walk_filters(op)
    for p in filters:
        ident = rust_ident(p.name)
        args.append(f"{ident}: Option<{query_type(types, p.schema)}>")
        defaults.append(f"{ident} = None")
        lines.append(f'        if let Some(v) = &{ident} {{\n            params = params.query("{p.name}", v);\n        }}\n')
    args += ["page_size: u32", "max_items: Option<u64>"]
    defaults += ["page_size = 100", "max_items = None"]
    binding = "let mut params" if filters else "let params"
    pager = pager_name(item)
    return (
        f"    /// Walks every item of `{op.id}`, fetching the next pages while the current one is read\n"
        f"    /// (`page_size` items a page, at most `max_items` in all). Swift and Kotlin wrap it as\n"
        f"    /// `iter(...)`: an `AsyncSequence` and a `Flow`.\n"
        f"    #[uniffi::method(default({', '.join(defaults)}))]\n"
        f"    pub fn pages({', '.join(args)}) -> Result<std::sync::Arc<crate::generated::resources::{pager}>, crate::errors::NixflexError> {{\n"
        f"        crate::runtime::guard(|| {{\n"
        f"            {binding} = nixflex::CallParams::new(){path};\n{''.join(lines)}"
        f'            let core = self.api.pager("{op.id}", params, page_size, max_items)?;\n'
        f"            Ok(std::sync::Arc::new({pager} {{ core }}))\n"
        "        })\n    }\n"
    )


def pager_rs(item: str, ops: list[str]) -> str:
    pager = pager_name(item)
    return (
        f"/// A walk over every `{item}` of {', '.join(f'`{o}`' for o in ops)}, page by page.\n"
        "#[derive(uniffi::Object)]\n"
        f"pub struct {pager} {{\n    core: crate::pager::PagerCore,\n}}\n\n"
        '#[uniffi::export(async_runtime = "tokio")]\n'
        f"impl {pager} {{\n"
        "    /// The next page of items, or `None` when the walk is over.\n"
        f"    pub async fn next_page(&self) -> Result<Option<Vec<crate::generated::models::{item}>>, crate::errors::NixflexError> {{\n"
        "        self.core.next_page().await\n    }\n\n"
        "    /// The total the server reported, once a page has said it.\n"
        "    pub fn count(&self) -> Option<u64> {\n        self.core.count()\n    }\n}\n\n"
    )


def resource_groups(spec: Spec) -> tuple[dict[tuple[str, ...], list[Op]], dict[tuple[str, ...], set[str]]]:
    groups: dict[tuple[str, ...], list[Op]] = {}
    children: dict[tuple[str, ...], set[str]] = {}
    for op in spec.ops:
        groups.setdefault(op.resource, []).append(op)
        for depth in range(1, len(op.resource) + 1):
            parent, child = op.resource[: depth - 1], op.resource[depth - 1]
            children.setdefault(parent, set()).add(child)
            groups.setdefault(op.resource[:depth], [])
    return groups, children


def accessor(path: tuple[str, ...]) -> str:
    name = api_name(path)
    return (
        f"    /// The `{'.'.join(path)}` operations.\n"
        f"    pub fn {rust_ident(path[-1])}(&self) -> std::sync::Arc<{name}> {{\n"
        f"        std::sync::Arc::new({name} {{ api: self.api.clone() }})\n    }}\n"
    )


def resources_rs(spec: Spec, defaultable: set[str]) -> tuple[str, list[str]]:
    types = RustTypes(spec)
    groups, children = resource_groups(spec)
    out = [
        HEADER,
        "//! One object per resource, one async method per operation; pagers for the paginated\n"
        "//! lists.\n\n",
        "use crate::client::NixflexClient;\n\n",
    ]
    names = []
    for path in sorted(p for p in groups if p):
        name = api_name(path)
        names.append(name)
        # uniffi rejects `async_runtime` on an impl without async methods (a pure group).
        export = '#[uniffi::export(async_runtime = "tokio")]' if groups[path] else "#[uniffi::export]"
        out.append(
            f"/// The `{'.'.join(path)}` operations.\n"
            f"#[derive(uniffi::Object)]\npub struct {name} {{\n    api: crate::api::Api,\n}}\n\n"
            f"{export}\n"
            f"impl {name} {{\n"
            "    /// The same operations with `options` for every call made through the returned handle.\n"
            f"    pub fn with_options(&self, options: crate::client::RequestOptions) -> std::sync::Arc<{name}> {{\n"
            f"        std::sync::Arc::new({name} {{ api: self.api.with_options(options.into()) }})\n    }}\n\n"
            "    /// The same operations, recording what comes with each response (status, headers,\n"
            "    /// request id, attempts, idempotency key) into `recorder`.\n"
            f"    pub fn with_recorder(&self, recorder: std::sync::Arc<crate::meta::ResponseRecorder>) -> std::sync::Arc<{name}> {{\n"
            f"        std::sync::Arc::new({name} {{ api: self.api.with_recorder(recorder) }})\n    }}\n"
        )
        for child in sorted(children.get(path, ())):
            out.append("\n" + accessor(path + (child,)))
        for op in groups[path]:
            out.append("\n" + method_rs(spec, types, op, defaultable))
        out.append("}\n\n")
    pagers: dict[str, list[str]] = {}
    for op in spec.ops:
        if op.paginated:
            item, _ = types.of(spec.list_item_schema(op))
            pagers.setdefault(item, []).append(op.id)
    for item, ops in pagers.items():
        out.append(pager_rs(item, ops))
        names.append(pager_name(item))
    out.append("#[uniffi::export]\nimpl NixflexClient {\n")
    for i, child in enumerate(sorted(children.get((), ()))):
        out.append(("\n" if i else "") + accessor((child,)))
    out.append("}\n")
    return "".join(out), names


# --- Swift and Kotlin iterator idioms -------------------------------------------------------

SWIFT_TYPES = {"String": "String", "i64": "Int64", "f64": "Double", "bool": "Bool"}
KOTLIN_TYPES = {"String": "String", "i64": "Long", "f64": "Double", "bool": "Boolean"}


def lower_camel(name: str) -> str:
    p = pascal(name)
    return p[:1].lower() + p[1:]


def paginated(spec: Spec) -> list[tuple[Op, str]]:
    types = RustTypes(spec)
    return [(op, types.of(spec.list_item_schema(op))[0]) for op in spec.ops if op.paginated]


def swift_iterators(spec: Spec) -> str:
    types = RustTypes(spec)
    out = [
        SWIFT_KOTLIN_HEADER,
        "// Every paginated list as an `AsyncSequence` of its items (see NixflexItems.swift).\n\n",
    ]
    for op, item in paginated(spec):
        params, call = [], []
        for p in op.path_params:
            params.append(f"{lower_camel(p.name)}: String")
            call.append(f"{lower_camel(p.name)}: {lower_camel(p.name)}")
        for p in walk_filters(op):
            params.append(f"{lower_camel(p.name)}: {SWIFT_TYPES[query_type(types, p.schema)]}? = nil")
            call.append(f"{lower_camel(p.name)}: {lower_camel(p.name)}")
        params += ["pageSize: UInt32 = 100", "maxItems: UInt64? = nil"]
        call += ["pageSize: pageSize", "maxItems: maxItems"]
        out.append(
            f"extension {api_name(op.resource)} {{\n"
            f"    /// Every item of `{op.id}`, fetching the next pages while the current one is read:\n"
            f"    /// `for try await item in ….iter() {{ … }}`.\n"
            f"    public func iter({', '.join(params)}) -> NixflexItems<{item}> {{\n"
            "        NixflexItems {\n"
            f"            let pager = try self.pages({', '.join(call)})\n"
            "            return { try await pager.nextPage() }\n"
            "        }\n    }\n}\n\n"
        )
    return "".join(out).rstrip("\n") + "\n"


def kotlin_iterators(spec: Spec) -> str:
    types = RustTypes(spec)
    out = [
        SWIFT_KOTLIN_HEADER,
        "// Every paginated list as a cold Flow of its items (see Flows.kt).\n\n",
        "package com.nixflex\n\nimport kotlinx.coroutines.flow.Flow\n\n",
    ]
    for op, item in paginated(spec):
        params, call = [], []
        for p in op.path_params:
            params.append(f"{lower_camel(p.name)}: String")
            call.append(lower_camel(p.name))
        for p in walk_filters(op):
            params.append(f"{lower_camel(p.name)}: {KOTLIN_TYPES[query_type(types, p.schema)]}? = null")
            call.append(lower_camel(p.name))
        params += ["pageSize: UInt = 100u", "maxItems: ULong? = null"]
        call += ["pageSize", "maxItems"]
        out.append(
            f"/** Every item of `{op.id}`, fetching the next pages while the current one is collected. */\n"
            f"fun {api_name(op.resource)}.iter({', '.join(params)}): Flow<{item}> =\n"
            f"    pagerFlow({{ pages({', '.join(call)}) }}, {{ it.nextPage() }})\n\n"
        )
    return "".join(out).rstrip("\n") + "\n"


def generate(spec: Spec) -> dict[str, str]:
    models, defaultable = models_rs(spec)
    resources, names = resources_rs(spec, defaultable)
    clash = set(names) & (FIXED_NAMES | set(spec.schemas))
    if clash:
        raise SystemExit(f"uniffi: resource names clash with other types: {sorted(clash)}")
    mod = HEADER + "//! The typed surface, generated from `spec/`.\n\npub mod models;\npub mod resources;\n"
    return {
        "bindings-swift/src/generated/mod.rs": rustfmt(mod),
        "bindings-swift/src/generated/models.rs": rustfmt(models),
        "bindings-swift/src/generated/resources.rs": rustfmt(resources),
        "bindings-swift/Sources/Nixflex/Iterators.swift": swift_iterators(spec),
        "bindings-kotlin/src/main/kotlin/com/nixflex/Iterators.kt": kotlin_iterators(spec),
    }
