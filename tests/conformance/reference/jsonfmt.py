"""A compact, deterministic JSON pretty-printer for the corpus files.

Containers that fit on one line (within WIDTH columns) are written inline; others are
broken one member per line. Output is plain JSON (UTF-8, no escaping of non-ASCII).
"""
from __future__ import annotations

import json
from typing import Any

WIDTH = 110


def _inline(v: Any) -> str:
    return json.dumps(v, ensure_ascii=False, separators=(", ", ": "))


def dumps(v: Any, indent: int = 0, key_prefix: int = 0) -> str:
    one = _inline(v)
    if not isinstance(v, (dict, list)) or indent + key_prefix + len(one) <= WIDTH or not v:
        return one
    pad = " " * (indent + 2)
    if isinstance(v, dict):
        items = []
        for k, x in v.items():
            ks = json.dumps(k, ensure_ascii=False) + ": "
            items.append(pad + ks + dumps(x, indent + 2, len(ks)))
        return "{\n" + ",\n".join(items) + "\n" + " " * indent + "}"
    # lists of scalars: pack several per line
    if all(not isinstance(x, (dict, list)) for x in v):
        lines, cur = [], ""
        for x in v:
            s = _inline(x)
            if cur and len(pad) + len(cur) + len(s) + 2 > WIDTH:
                lines.append(cur)
                cur = ""
            cur = s if not cur else cur + ", " + s
        lines.append(cur)
        return "[\n" + ",\n".join(pad + ln for ln in lines) + "\n" + " " * indent + "]"
    return "[\n" + ",\n".join(pad + dumps(x, indent + 2) for x in v) + "\n" + " " * indent + "]"


def write(path: str, v: Any) -> None:
    text = dumps(v) + "\n"
    assert json.loads(text) == v
    with open(path, "w", encoding="utf-8") as f:
        f.write(text)
