"""Reads spec/openapi.json into the plain descriptions every language generator works from."""

from __future__ import annotations

import json
import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

METHODS = ("get", "post", "put", "patch", "delete")


@dataclass
class Param:
    name: str
    schema: dict[str, Any]
    required: bool
    description: str


@dataclass
class Op:
    id: str
    method: str
    path: str
    summary: str
    description: str
    path_params: list[Param]
    query_params: list[Param]
    body_schema: dict[str, Any] | None
    body_required: bool
    success_status: int
    response_schema: dict[str, Any] | None
    auth: bool
    paginated: bool
    list_key: str | None
    page_limits: dict[str, dict[str, int]]
    aliases: list[str] = field(default_factory=list)

    @property
    def segments(self) -> list[str]:
        return self.id.split(".")

    @property
    def resource(self) -> tuple[str, ...]:
        return tuple(self.segments[:-1])

    @property
    def name(self) -> str:
        return self.segments[-1]


class Spec:
    def __init__(self, path: Path):
        self.doc: dict[str, Any] = json.loads(path.read_text())
        self.schemas: dict[str, Any] = self.doc.get("components", {}).get("schemas", {})
        self.ops: list[Op] = [self._op(p, m, o) for p, m, o in self._raw_ops()]

    def _raw_ops(self):
        for path, item in self.doc["paths"].items():
            for method in METHODS:
                if method in item:
                    yield path, method, item[method]

    def resolve(self, node: dict[str, Any]) -> dict[str, Any]:
        """Follows `$ref` chains inside this document."""
        while isinstance(node, dict) and "$ref" in node:
            node = self._pointer(node["$ref"])
        return node

    def _pointer(self, ref: str) -> dict[str, Any]:
        if not ref.startswith("#/"):
            raise ValueError(f"external reference {ref} is not supported")
        node: Any = self.doc
        for part in ref[2:].split("/"):
            node = node[part.replace("~1", "/").replace("~0", "~")]
        return node

    @staticmethod
    def ref_name(node: dict[str, Any] | None) -> str | None:
        """The component name a schema node points at, if it is a plain `$ref`."""
        if isinstance(node, dict) and set(node) == {"$ref"} and node["$ref"].startswith("#/components/schemas/"):
            return node["$ref"].rsplit("/", 1)[1]
        return None

    def _op(self, path: str, method: str, raw: dict[str, Any]) -> Op:
        params = [self.resolve(p) for p in raw.get("parameters", [])]
        in_path = [p for p in params if p["in"] == "path"]
        order = re.findall(r"{([^}]+)}", path)
        by_name = {p["name"]: p for p in in_path}
        missing = [n for n in order if n not in by_name]
        if missing:
            raise ValueError(f"{raw['operationId']}: path parameters {missing} are not declared")
        path_params = [self._param(by_name[n]) for n in order]
        query_params = [self._param(p) for p in params if p["in"] == "query"]
        body_schema, body_required = None, False
        if "requestBody" in raw:
            body = self.resolve(raw["requestBody"])
            body_schema = body["content"]["application/json"]["schema"]
            body_required = bool(body.get("required", False))
        success = sorted(int(code) for code in raw["responses"] if str(code).startswith("2"))
        if len(success) != 1:
            raise ValueError(f"{raw['operationId']}: expected one success response, got {success}")
        response = self.resolve(raw["responses"][str(success[0])])
        response_schema = response.get("content", {}).get("application/json", {}).get("schema")
        return Op(
            id=raw["operationId"],
            method=method.upper(),
            path=path,
            summary=raw.get("summary", "").strip(),
            description=raw.get("description", "").strip(),
            path_params=path_params,
            query_params=query_params,
            body_schema=body_schema,
            body_required=body_required,
            success_status=success[0],
            response_schema=response_schema,
            auth=raw.get("security", None) != [],
            paginated=bool(raw.get("x-paginated")),
            list_key=raw.get("x-list-key"),
            page_limits=raw.get("x-page-limits", {}),
            aliases=list(raw.get("x-sdk-aliases", [])),
        )

    def _param(self, raw: dict[str, Any]) -> Param:
        return Param(
            name=raw["name"],
            schema=raw.get("schema", {}),
            required=bool(raw.get("required", False)),
            description=raw.get("description", "").strip(),
        )

    def list_item_schema(self, op: Op) -> dict[str, Any] | None:
        """The item schema of a paginated operation (from the bare-array shape)."""
        schema = op.response_schema or {}
        for variant in schema.get("oneOf", []) + schema.get("anyOf", []):
            variant = self.resolve(variant) if self.ref_name(variant) is None else variant
            if variant.get("type") == "array":
                return variant.get("items")
        if schema.get("type") == "array":
            return schema.get("items")
        return None

    def request_schema_names(self) -> set[str]:
        """Components used, directly or through properties, as request bodies."""
        names: set[str] = set()
        for op in self.ops:
            name = self.ref_name(op.body_schema)
            if name:
                names.add(name)
        return names
