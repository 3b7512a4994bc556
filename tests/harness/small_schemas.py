"""A small schemas folder of its own (made up for tests): one endpoint, two outcomes.

The real catalog grows while people work; tests of drift, inference and diff build this one
in a tmp folder so they depend on nothing but the rules.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import yaml

BASE = "https://wyze-toolkit.invalid/schemas/"
HOST = "api.wyzecam.com"
PATH = "/app/v2/device/get_widget"  # made up: no such endpoint is documented anywhere
TOKEN = "lvtx.REDACTED_access_token_0123456789abcdef"  # shaped like a placeholder

REQUEST = {"type": "object", "properties": {"access_token": {"type": "string"},
                                             "ts": {"type": "integer"}}}
SUCCESS = {"type": "object", "required": ["code", "data"], "properties": {
    "code": {"const": "1"}, "msg": {"type": "string"},
    "data": {"type": "object", "properties": {"widget_count": {"type": "integer"},
                                              "name": {"type": "string"}}}}}
EXPIRED = {"type": "object", "properties": {"code": {"const": "2001"}, "msg": {"type": "string"}}}


def _schema(root: Path, name: str, body: dict[str, Any]) -> None:
    path = root / name
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(json.dumps({"$schema": "https://json-schema.org/draft/2020-12/schema",
                                "$id": BASE + name, **body}), encoding="utf-8")


def build(root: Path) -> Path:
    """Write the folder (catalog.yaml + three schemas) under ``root`` and return it."""
    _schema(root, "widget/request.json", REQUEST)
    _schema(root, "widget/success.json", SUCCESS)
    _schema(root, "widget/expired.json", EXPIRED)
    catalog = {"version": 1, "base_uri": BASE, "generations": {"app-api": {"title": "t"}},
               "endpoints": [{
                   "id": "test.get_widget", "method": "POST", "hosts": [HOST], "path": PATH,
                   "generation": "app-api", "summary": "made up for tests",
                   "request": "widget/request.json",
                   "outcomes": [
                       {"name": "success", "when": {"status": 200, "fields": {"code": "1"}},
                        "response": "widget/success.json"},
                       {"name": "access_token_expired",
                        "when": {"status": 200, "fields": {"code": "2001"}},
                        "response": "widget/expired.json"}]}]}
    (root / "catalog.yaml").write_text(yaml.safe_dump(catalog, sort_keys=False),
                                       encoding="utf-8")
    return root


def interaction(body: Any, request: Any = None, status: int = 200, path: str = PATH,
                host: str = HOST) -> dict[str, Any]:
    """One VCR v1 interaction with JSON bodies (made up)."""
    return {
        "request": {"method": "POST", "uri": f"https://{host}{path}",
                    "body": json.dumps(request if request is not None
                                       else {"access_token": TOKEN, "ts": 1}),
                    "headers": {"Content-Type": ["application/json"]}},
        "response": {"status": {"code": status, "message": "OK"},
                     "headers": {"Content-Type": ["application/json"]},
                     "body": {"string": json.dumps(body)}},
    }
