"""Checks of spec/openapi.json.

Part A always runs: the operation table of spec/README.md, path parameters, conventions, formatting and
OpenAPI 3.1 validity. Part B compares against the official OpenAPI document when
<repo>/../shared/nixflex-openapi.json exists (it is skipped only when that file is absent).
"""
import json
import re
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parents[2]
SPEC_PATH = REPO / "spec" / "openapi.json"
README_PATH = REPO / "spec" / "README.md"
OFFICIAL_PATH = REPO.parent / "shared" / "nixflex-openapi.json"

METHODS = ("get", "put", "post", "patch", "delete")
MUTATING = {"post", "put", "patch", "delete"}
PATH_PARAM_NAMES = {"agent_id", "call_id", "campaign_id", "phone_number", "caller_number", "function_id"}
CALLER_CONTEXT_IDS = {"phone_numbers.callers.get", "phone_numbers.callers.set", "phone_numbers.callers.delete",
                      "phone_numbers.callers.import"}
PAGINATED = {"agents.list": ("agents", 100), "calls.list": ("calls", 50), "campaigns.list": ("campaigns", 50),
             "sms.campaigns.list": ("campaigns", 50)}
# Deliberate, documented departures from the official document's required lists:
# (operation id, field) -> reason. Each one is stated in the operation's "Decision:" line.
REQUIRED_DEVIATIONS = {
    ("agents.update", "name"): "PUT /v1/agents/{agent_id} is a partial update (newest docs and both SDKs); the "
                               "official document merely reuses its create schema for it",
}


# ----------------------------------------------------------------- helpers
def load_spec():
    return json.loads(SPEC_PATH.read_text(encoding="utf-8"))


SPEC = load_spec()


def operations(doc):
    for path, item in doc["paths"].items():
        for method in METHODS:
            if method in item:
                yield method, path, item, item[method]


def resolve(doc, node):
    seen = 0
    while isinstance(node, dict) and "$ref" in node:
        ref = node["$ref"]
        assert ref.startswith("#/"), "only local $refs are expected: %s" % ref
        target = doc
        for part in ref[2:].split("/"):
            target = target[part.replace("~1", "/").replace("~0", "~")]
        node = target
        seen += 1
        assert seen < 50, "$ref loop at %s" % ref
    return node


def declared_params(doc, item, op):
    params = {}
    for p in list(item.get("parameters", [])) + list(op.get("parameters", [])):
        p = resolve(doc, p)
        params[(p["in"], p["name"])] = p
    return params


def readme_table():
    text = README_PATH.read_text(encoding="utf-8")
    section = text.split("## Operations", 1)[1]
    table = {}
    for line in section.splitlines():
        if not line.startswith("| `"):
            continue
        cells = [c.strip() for c in line.strip().strip("|").split("|")]
        ids = re.findall(r"`([^`]+)`", cells[0])
        methods = [m.strip().lower() for m in cells[1].split("/")]
        path = re.findall(r"`([^`]+)`", cells[2])[0]
        assert len(ids) == len(methods), "README row has %d ids but %d methods: %s" % (len(ids), len(methods), line)
        base = ids[0].rsplit(".", 1)[0]
        for oid, method in zip(ids, methods):
            full = base + oid if oid.startswith(".") else oid
            assert full not in table, "README lists %s twice" % full
            table[full] = (method, path)
    return table


def norm_path(path):
    return re.sub(r"{[^}]+}", "{}", path)


def request_schema(doc, op):
    body = op.get("requestBody")
    if not body:
        return None
    body = resolve(doc, body)
    content = body.get("content", {}).get("application/json")
    return None if content is None else content.get("schema")


def response_schema(doc, response):
    response = resolve(doc, response)
    content = response.get("content", {}).get("application/json")
    return None if content is None else content.get("schema")


def required_fields(doc, schema):
    schema = resolve(doc, schema)
    req = set(schema.get("required", []))
    for sub in schema.get("allOf", []):
        sub = resolve(doc, sub)
        if "if" not in sub:
            req |= set(sub.get("required", []))
    return req


def property_paths(doc, schema, prefix=(), depth=0):
    """Every property path an (official) schema names: ('phone_number', 'agent_id'), ('[]', 'call_id'), ..."""
    out = set()
    if schema is None or depth > 12:
        return out
    schema = resolve(doc, schema)
    if not isinstance(schema, dict):
        return out
    for key in ("allOf", "oneOf", "anyOf"):
        for sub in schema.get(key, []):
            out |= property_paths(doc, sub, prefix, depth + 1)
    for name, sub in schema.get("properties", {}).items():
        out.add(prefix + (name,))
        out |= property_paths(doc, sub, prefix + (name,), depth + 1)
    if isinstance(schema.get("items"), dict):
        out |= property_paths(doc, schema["items"], prefix + ("[]",), depth + 1)
    return out


def has_path(doc, schema, path, depth=0):
    if schema is None or depth > 30:
        return False
    schema = resolve(doc, schema)
    if not isinstance(schema, dict):
        return False
    if not path:
        return True
    for key in ("allOf", "oneOf", "anyOf"):
        if any(has_path(doc, sub, path, depth + 1) for sub in schema.get(key, [])):
            return True
    head, rest = path[0], path[1:]
    if head == "[]":
        return isinstance(schema.get("items"), dict) and has_path(doc, schema["items"], rest, depth + 1)
    props = schema.get("properties", {})
    return head in props and has_path(doc, props[head], rest, depth + 1)


# ----------------------------------------------------------------- part A: our spec
OUR_OPS = list(operations(SPEC))
OUR_BY_ID = {op["operationId"]: (method, path, item, op) for method, path, item, op in OUR_OPS}


def test_spec_file_is_pretty_printed_json():
    text = SPEC_PATH.read_text(encoding="utf-8")
    assert text.endswith("\n") and not text.endswith("\n\n"), "openapi.json must end with exactly one newline"
    assert text == json.dumps(json.loads(text), indent=2, ensure_ascii=False) + "\n", \
        "openapi.json must be pretty-printed with a 2-space indent (json.dumps(..., indent=2, ensure_ascii=False))"


def test_spec_validates_as_openapi_3_1():
    # installed by CI (pip install openapi-spec-validator)
    from openapi_spec_validator import OpenAPIV31SpecValidator, validate

    assert SPEC["openapi"] == "3.1.0", "the spec must declare OpenAPI 3.1.0"
    validate(SPEC, cls=OpenAPIV31SpecValidator)


def test_78_operations_with_unique_ids():
    ids = [op.get("operationId") for _, _, _, op in OUR_OPS]
    assert None not in ids, "an operation has no operationId"
    dupes = sorted({i for i in ids if ids.count(i) > 1})
    assert not dupes, "duplicate operationIds: %s" % dupes
    assert len(ids) == 78, "expected 78 operations, found %d" % len(ids)


def test_operations_equal_readme_table():
    table = readme_table()
    assert len(table) == 78, "README table should list 78 operations, parsed %d" % len(table)
    ours = {op["operationId"]: (method, path) for method, path, _, op in OUR_OPS}
    missing = sorted(set(table) - set(ours))
    extra = sorted(set(ours) - set(table))
    assert not missing, "operations in the README table but not in openapi.json: %s" % missing
    assert not extra, "operations in openapi.json but not in the README table: %s" % extra
    wrong = ["%s: README %s %s, spec %s %s" % (i, table[i][0].upper(), table[i][1], ours[i][0].upper(), ours[i][1])
             for i in sorted(table) if table[i] != ours[i]]
    assert not wrong, "method/path differ from the README table:\n" + "\n".join(wrong)


@pytest.mark.parametrize("oid", sorted(OUR_BY_ID))
def test_path_params_declared(oid):
    method, path, item, op = OUR_BY_ID[oid]
    assert path.startswith("/v1/"), "%s: path %s must start with /v1/" % (oid, path)
    in_path = re.findall(r"{([^}]+)}", path)
    params = declared_params(SPEC, item, op)
    declared = {name for (where, name) in params if where == "path"}
    for name in in_path:
        assert name in PATH_PARAM_NAMES, "%s: path parameter {%s} is not one of the README's names" % (oid, name)
        assert name in declared, "%s: path parameter {%s} is not declared" % (oid, name)
        assert params[("path", name)].get("required") is True, "%s: path parameter %s must be required" % (oid, name)
    assert declared == set(in_path), "%s: declared path parameters %s do not match the path %s" % (
        oid, sorted(declared), path)


@pytest.mark.parametrize("oid", sorted(OUR_BY_ID))
def test_operation_conventions(oid):
    method, path, item, op = OUR_BY_ID[oid]
    for key in ("summary", "description", "tags"):
        assert op.get(key), "%s: missing %s" % (oid, key)
    codes = set(op["responses"])
    success = sorted(c for c in codes if c.startswith("2"))
    assert len(success) == 1, "%s: expected a single 2xx response, found %s" % (oid, success)
    expected_success = "201" if oid in {"agents.create", "calls.create", "campaigns.create", "phone_numbers.import",
                                        "sms.send", "sms.campaigns.create", "keys.create",
                                        "integrations.custom_functions.create"} else "200"
    assert success == [expected_success], "%s: success status %s, expected %s" % (oid, success[0], expected_success)
    body = response_schema(SPEC, op["responses"][success[0]])
    assert body is not None, "%s: the success response has no JSON schema" % oid
    base_errors = {"400", "429", "500"} if oid == "keys.create" else {"400", "401", "404", "429", "500"}
    assert base_errors <= codes, "%s: missing error responses %s" % (oid, sorted(base_errors - codes))
    for c in codes - set(success):
        schema = resolve(SPEC, response_schema(SPEC, op["responses"][c]))
        assert "error" in schema.get("properties", {}), "%s: response %s does not use the Error envelope" % (oid, c)
    params = declared_params(SPEC, item, op)
    if method in MUTATING:
        assert ("header", "Idempotency-Key") in params, "%s: mutation without Idempotency-Key" % oid
        assert "422" in codes, "%s: mutation without a 422 (idempotency_key_reused) response" % oid
        assert "idempotency_key_reused" in op.get("x-error-codes", {}).get("422", []), \
            "%s: 422 must list idempotency_key_reused" % oid
    if oid == "keys.create":
        assert op.get("security") == [], "keys.create must have security: []"
    else:
        assert "security" not in op or op["security"], "%s: only keys.create is unauthenticated" % oid
    if oid == "calls.create":
        assert "402" in codes, "calls.create must document 402"


@pytest.mark.parametrize("oid", sorted(PAGINATED))
def test_paginated_lists(oid):
    method, path, item, op = OUR_BY_ID[oid]
    key, array_default = PAGINATED[oid]
    assert op.get("x-paginated") is True, "%s: x-paginated must be true" % oid
    assert op.get("x-list-key") == key, "%s: x-list-key should be %r" % (oid, key)
    assert op.get("x-page-limits") == {"envelope": {"default": 25, "max": 100},
                                       "array": {"default": array_default, "max": 200}}, "%s: x-page-limits" % oid
    params = declared_params(SPEC, item, op)
    limit = params.get(("query", "limit"))
    offset = params.get(("query", "offset"))
    assert limit and limit["schema"].get("type") == "integer" and limit["schema"].get("minimum") == 1, \
        "%s: limit must be an integer with minimum 1" % oid
    assert "maximum" not in limit["schema"], "%s: a larger limit is reduced, so it must not have a maximum" % oid
    assert offset and offset["schema"].get("type") == "integer" and offset["schema"].get("minimum") == 0, \
        "%s: offset must be an integer with minimum 0" % oid
    schema = resolve(SPEC, response_schema(SPEC, op["responses"]["200"]))
    shapes = [resolve(SPEC, s) for s in schema.get("oneOf", [])]
    kinds = sorted(s.get("type") for s in shapes)
    assert kinds == ["array", "object"], "%s: 200 must be oneOf envelope and bare array" % oid
    envelope = next(s for s in shapes if s.get("type") == "object")
    assert key in envelope.get("required", []), "%s: envelope must require %r" % (oid, key)
    for field in ("count", "limit", "offset"):
        assert field in envelope["properties"], "%s: envelope lacks %s" % (oid, field)


def test_unpaginated_list_shapes():
    schema = resolve(SPEC, response_schema(SPEC, OUR_BY_ID["phone_numbers.list"][3]["responses"]["200"]))
    assert {"phone_numbers", "count"} <= set(schema["properties"]), "phone_numbers.list shape"
    schema = resolve(SPEC, response_schema(SPEC, OUR_BY_ID["integrations.custom_functions.list"][3]["responses"]["200"]))
    assert "custom_functions" in schema["properties"], "custom_functions.list shape"


def test_sdk_aliases():
    expected = {
        "integrations.monitor.set": ["phone_numbers.set_monitor"],
        "integrations.monitor.get": ["phone_numbers.get_monitor"],
        "integrations.web_calls.set": ["phone_numbers.set_web_calls"],
        "integrations.web_calls.get": ["phone_numbers.get_web_calls"],
        "phone_numbers.callers.get": ["callers.get"],
        "phone_numbers.callers.set": ["callers.set"],
        "phone_numbers.callers.delete": ["callers.delete"],
        "phone_numbers.callers.import": ["callers.import"],
        "integrations.webhook.set": ["webhooks.set"],
        "integrations.webhook.get": ["webhooks.get"],
        "integrations.webhook.delete": ["webhooks.delete"],
    }
    for oid, aliases in expected.items():
        assert OUR_BY_ID[oid][3].get("x-sdk-aliases") == aliases, "%s: x-sdk-aliases should be %s" % (oid, aliases)


def test_all_refs_resolve():
    def walk(node, where):
        if isinstance(node, dict):
            if "$ref" in node:
                try:
                    resolve(SPEC, node)
                except (KeyError, AssertionError) as exc:
                    pytest.fail("unresolvable $ref %s at %s (%s)" % (node["$ref"], where, exc))
            for k, v in node.items():
                walk(v, where + "/" + k)
        elif isinstance(node, list):
            for i, v in enumerate(node):
                walk(v, "%s/%d" % (where, i))
    walk(SPEC, "#")


def test_key_error_codes_on_schema_nodes():
    schemas = SPEC["components"]["schemas"]

    def code(schema, *path):
        node = schemas[schema]
        for p in path:
            node = resolve(SPEC, node)["properties"][p]
        return node.get("x-error-code")

    assert code("AgentCreate", "system_prompt") == "prompt_too_long"
    assert schemas["AgentCreate"]["properties"]["system_prompt"]["maxLength"] == 16000
    assert code("OutboundCallCreate", "to_number") == "invalid_phone_format"
    assert code("PhoneNumberImport", "twilio_sid") == "invalid_twilio_sid"
    assert code("PhoneNumberImport", "custom_prompt") == "custom_prompt_too_long"
    assert code("PhoneNumberUpdate", "custom_prompt") == "custom_prompt_too_long"
    assert code("SmsSend", "message") == "message_too_long"
    assert schemas["SmsSend"]["properties"]["message"]["maxLength"] == 1600
    assert code("SmsCampaignCreate", "recipients") == "too_many_recipients"
    assert code("UrlConfig", "url") == "invalid_url"
    assert code("CallerContextSet", "name") == "field_too_long"
    assert schemas["CallerContextSet"]["additionalProperties"] is False
    assert schemas["CallerContextSet"]["x-error-code"] == "unknown_field"
    assert schemas["PhoneNumberUpdate"]["minProperties"] == 1
    assert schemas["PhoneNumberUpdate"]["x-error-code"] == "missing_field"
    assert "x-error-code" not in schemas["AgentCreate"]["properties"]["voice_id"], "voice ids are not schema-checked"


def test_required_new_fields():
    schemas = SPEC["components"]["schemas"]
    assert {"agent_id", "to_number", "prompt"} <= set(schemas["OutboundCallCreate"]["required"])
    assert {"agent_id", "recipients", "prompt"} <= set(schemas["BatchCampaignCreate"]["required"])


# ----------------------------------------------------------------- part B: against the official document
def official():
    if not OFFICIAL_PATH.exists():
        pytest.skip("official document not found at %s" % OFFICIAL_PATH)
    return json.loads(OFFICIAL_PATH.read_text(encoding="utf-8"))


def official_keys():
    if not OFFICIAL_PATH.exists():
        return []
    doc = json.loads(OFFICIAL_PATH.read_text(encoding="utf-8"))
    return sorted("%s %s" % (m.upper(), p) for m, p, _, _ in operations(doc))


OURS_BY_KEY = {(method, norm_path(path)): op["operationId"] for method, path, _, op in OUR_OPS}


def match(official_doc, key):
    method, path = key.split(" ", 1)
    method = method.lower()
    norm = norm_path(path if path.startswith("/v1/") else "/v1" + path)
    oid = OURS_BY_KEY.get((method, norm))
    assert oid, "official operation %s %s has no counterpart in openapi.json" % (method.upper(), path)
    off_item = official_doc["paths"][path]
    return oid, off_item, off_item[method]


def test_same_operations_as_official():
    doc = official()
    theirs = {(m, norm_path("/v1" + p)) for m, p, _, _ in operations(doc)}
    assert len(theirs) == 74, "the official document should have 74 operations, found %d" % len(theirs)
    ours = set(OURS_BY_KEY)
    missing = sorted(theirs - ours)
    assert not missing, "official operations missing from openapi.json: %s" % [
        "%s %s" % (m.upper(), p) for m, p in missing]
    extra = {OURS_BY_KEY[k] for k in ours - theirs}
    assert extra == CALLER_CONTEXT_IDS, "operations beyond the official 74 should be exactly the 4 caller-context " \
                                        "ones, found %s" % sorted(extra)


@pytest.mark.parametrize("key", official_keys())
def test_official_required_fields_are_required(key):
    doc = official()
    oid, _, off_op = match(doc, key)
    off_schema = request_schema(doc, off_op)
    if off_schema is None:
        return
    _, _, _, our_op = OUR_BY_ID[oid]
    our_schema = request_schema(SPEC, our_op)
    assert our_schema is not None, "%s: the official document has a request body, ours has none" % oid
    if resolve(doc, off_op["requestBody"]).get("required"):
        assert resolve(SPEC, our_op["requestBody"]).get("required") is True, "%s: request body must be required" % oid
    ours = required_fields(SPEC, our_schema)
    for field in sorted(required_fields(doc, off_schema)):
        if (oid, field) in REQUIRED_DEVIATIONS:
            assert "Decision" in our_op["description"], "%s: deviation on %s must be explained" % (oid, field)
            continue
        assert field in ours, "%s: field %r is required by the official document but not by us" % (oid, field)


@pytest.mark.parametrize("key", official_keys())
def test_official_properties_exist(key):
    doc = official()
    oid, off_item, off_op = match(doc, key)
    _, _, our_item, our_op = OUR_BY_ID[oid]
    problems = []
    off_body = request_schema(doc, off_op)
    our_body = request_schema(SPEC, our_op)
    for path in sorted(property_paths(doc, off_body)):
        if not has_path(SPEC, our_body, path):
            problems.append("request body: field %s" % ".".join(path))
    for status, off_resp in sorted(off_op.get("responses", {}).items()):
        off_schema = response_schema(doc, off_resp)
        paths = property_paths(doc, off_schema)
        if status not in our_op["responses"]:
            problems.append("response %s is documented officially but missing" % status)
            continue
        our_schema = response_schema(SPEC, our_op["responses"][status])
        for path in sorted(paths):
            if not has_path(SPEC, our_schema, path):
                problems.append("response %s: field %s" % (status, ".".join(path)))
    our_query = {name for (where, name) in declared_params(SPEC, our_item, our_op) if where == "query"}
    for (where, name) in declared_params(doc, off_item, off_op):
        if where == "query" and name not in our_query:
            problems.append("query parameter %s" % name)
    assert not problems, "%s (%s): named by the official document but missing from ours:\n  %s" % (
        oid, key, "\n  ".join(problems))


def test_same_named_component_schemas_keep_official_fields():
    doc = official()
    ours = SPEC["components"]["schemas"]
    problems = []
    for name, off_schema in doc["components"]["schemas"].items():
        if name not in ours:
            continue
        for path in sorted(property_paths(doc, off_schema)):
            if not has_path(SPEC, ours[name], path):
                problems.append("%s: field %s" % (name, ".".join(path)))
        missing_req = required_fields(doc, off_schema) - required_fields(SPEC, ours[name])
        if missing_req:
            problems.append("%s: required %s not required by us" % (name, sorted(missing_req)))
    assert not problems, "component schemas lose official fields:\n  " + "\n  ".join(problems)
