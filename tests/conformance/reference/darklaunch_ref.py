#!/usr/bin/env python3
"""A small, independent reference model of darklaunch (docs/ruleset.md): compile + evaluate.

Pure Python 3.11, standard library only. It exists to cross-check the conformance corpus
(tests/conformance/*.json): `run_corpus.py` runs every case through it. It follows the
choices written in the corpus files' descriptions wherever the spec leaves a detail open.
It favours clarity over speed and is not part of the product.
"""
from __future__ import annotations

import json
import re
from dataclasses import dataclass
from datetime import date, datetime
from decimal import Decimal
from typing import Any

import bucketing

# ----------------------------------------------------------------------------- limits
MAX_DOCUMENT_BYTES = 16 * 1024 * 1024
MAX_JSON_DEPTH = 128
MAX_FLAGS = 10_000
MAX_SEGMENTS = 10_000
MAX_VARIANTS = 64
MAX_RULES = 1_000
MAX_PREREQUISITES = 16
MAX_PREREQUISITE_DEPTH = 16
MAX_STAGES = 64
MAX_CONDITION_DEPTH = 16
MAX_CONDITIONS = 4_096
MAX_IN_VALUES = 100_000
MAX_SEGMENT_KEYS = 1_000_000
MAX_KEY_BYTES = 128
MAX_ATTR_BYTES = 256
MAX_STRING_LITERAL_BYTES = 4_096
MAX_CONTEXT_ATTRS = 256
MAX_CONTEXT_STRING_BYTES = 4_096
MAX_CONTEXT_ARRAY = 256
MAX_WEIGHT_TOTAL = 1_000_000

SCHEMA = "darklaunch/v1"
KEY_RE = re.compile(r"^[A-Za-z0-9._:\-]+$")
OPS_STRING = {"contains", "starts_with", "ends_with"}
OPS_NUMBER = {"lt", "lte", "gt", "gte"}
OPS_SEMVER = {"semver_eq", "semver_lt", "semver_lte", "semver_gt", "semver_gte"}
OPS_TIME = {"before", "after"}
OPS_EQ = {"eq", "neq"}
OPS_IN = {"in", "not_in"}
OPS_ALL = OPS_STRING | OPS_NUMBER | OPS_SEMVER | OPS_TIME | OPS_EQ | OPS_IN | {"exists"}


# ----------------------------------------------------------------------------- errors
class CompileError(Exception):
    def __init__(self, code: str, path: str | None = None, detail: str = ""):
        super().__init__(f"{code} at {path}: {detail}")
        self.code, self.path, self.detail = code, path, detail


def ptr(*parts: str | int) -> str:
    """RFC 6901 JSON Pointer from unescaped reference tokens."""
    return "".join("/" + str(p).replace("~", "~0").replace("/", "~1") for p in parts)


def join(base: str, *parts: str | int) -> str:
    return base + ptr(*parts)


# ----------------------------------------------------------------------------- JSON text
class JObj(dict):
    """A JSON object that remembers the first key that appeared twice in it."""
    dup: str | None = None


def _pairs_hook(pairs):
    o = JObj()
    for k, v in pairs:
        if k in o and o.dup is None:
            o.dup = k
        o[k] = v
    return o


def _reject_constant(name):
    raise ValueError(f"{name} is not JSON")


def parse_json(text: str) -> Any:
    """Strict JSON: exact decimals, NaN/Infinity rejected. Raises ValueError."""
    return json.loads(text, object_pairs_hook=_pairs_hook, parse_float=Decimal,
                      parse_constant=_reject_constant)


def _depth(v: Any) -> int:
    if isinstance(v, dict):
        return 1 + max((_depth(x) for x in v.values()), default=0)
    if isinstance(v, list):
        return 1 + max((_depth(x) for x in v), default=0)
    return 0


def _find_dup(v: Any, path: str) -> str | None:
    if isinstance(v, dict):
        if getattr(v, "dup", None) is not None:
            return join(path, v.dup)
        for k, x in v.items():
            r = _find_dup(x, join(path, k))
            if r:
                return r
    elif isinstance(v, list):
        for i, x in enumerate(v):
            r = _find_dup(x, join(path, i))
            if r:
                return r
    return None


# ----------------------------------------------------------------------------- values
def is_num(v: Any) -> bool:
    return isinstance(v, (int, Decimal)) and not isinstance(v, bool)


def is_int(v: Any) -> bool:
    return isinstance(v, int) and not isinstance(v, bool)


def is_scalar(v: Any) -> bool:
    return isinstance(v, (str, bool)) or is_num(v)


def json_type(v: Any) -> str:
    if isinstance(v, bool):
        return "boolean"
    if isinstance(v, str):
        return "string"
    if is_num(v):
        return "number"
    if isinstance(v, (dict, list)):
        return "object"
    return "null"


def blen(s: str) -> int:
    return len(s.encode("utf-8"))


def fold(s: str) -> str:
    """What ignore_case compares: Unicode lowercase with the final sigma written as σ."""
    return s.lower().replace("ς", "σ")


_RFC3339 = re.compile(
    r"^(\d{4})-(\d{2})-(\d{2})T(\d{2}):(\d{2}):(\d{2})(\.\d+)?(Z|[+-]\d{2}:\d{2})$")


def parse_time_ms(s: str) -> int | None:
    """RFC 3339 date-time with Z or numeric offset -> Unix milliseconds (fraction truncated)."""
    m = _RFC3339.match(s)
    if not m:
        return None
    y, mo, d, h, mi, se = (int(m.group(i)) for i in range(1, 7))
    frac, off = m.group(7), m.group(8)
    try:
        dt = datetime(y, mo, d, h, mi, se)
    except ValueError:
        return None
    ms = int((dt - datetime(1970, 1, 1)).total_seconds()) * 1000
    if frac:
        ms += int((frac[1:] + "000")[:3])
    if off != "Z":
        oh, om = int(off[1:3]), int(off[4:6])
        if oh > 23 or om > 59:
            return None
        delta = (oh * 60 + om) * 60_000
        ms -= delta if off[0] == "+" else -delta
    return ms


def parse_date(s: str) -> bool:
    if not re.fullmatch(r"\d{4}-\d{2}-\d{2}", s):
        return False
    try:
        date(int(s[0:4]), int(s[5:7]), int(s[8:10]))
        return True
    except ValueError:
        return False


_SEMVER = re.compile(
    r"^(0|[1-9]\d*)\.(0|[1-9]\d*)\.(0|[1-9]\d*)"
    r"(?:-((?:0|[1-9]\d*|\d*[a-zA-Z-][0-9a-zA-Z-]*)(?:\.(?:0|[1-9]\d*|\d*[a-zA-Z-][0-9a-zA-Z-]*))*))?"
    r"(?:\+([0-9a-zA-Z-]+(?:\.[0-9a-zA-Z-]+)*))?$")


def parse_semver(s: str):
    m = _SEMVER.match(s)
    if not m:
        return None
    pre = m.group(4)
    ids = []
    if pre is not None:
        for p in pre.split("."):
            ids.append((0, int(p), "") if p.isdigit() else (1, 0, p))
    return (int(m.group(1)), int(m.group(2)), int(m.group(3))), ids


def semver_cmp(a, b) -> int:
    (ca, pa), (cb, pb) = a, b
    if ca != cb:
        return -1 if ca < cb else 1
    if not pa and not pb:
        return 0
    if not pa:
        return 1   # a release sorts after its prereleases
    if not pb:
        return -1
    for x, y in zip(pa, pb):
        if x != y:
            return -1 if x < y else 1   # numeric ids (0, n) sort before alphanumeric (1, s)
    return (len(pa) > len(pb)) - (len(pa) < len(pb))


# ----------------------------------------------------------------------------- compiled model
@dataclass
class Stage:
    at: int
    units: int


@dataclass
class Rollout:
    by: str
    salt: str
    weights: dict[str, int]
    otherwise: str
    units: int | None        # fixed percent (None when staged)
    stages: list[Stage] | None
    linear: bool


@dataclass
class Ruleset:
    flags: dict[str, dict]
    segments: dict[str, dict]


# ----------------------------------------------------------------------------- compile
def compile_text(text: str, pad_to_bytes: int | None = None) -> Ruleset:
    if pad_to_bytes is not None:
        text = text + " " * max(0, pad_to_bytes - blen(text))
    if blen(text) > MAX_DOCUMENT_BYTES:
        raise CompileError("TOO_LARGE", None)
    try:
        doc = parse_json(text)
    except (ValueError, RecursionError) as e:
        raise CompileError("INVALID_JSON", None, str(e))
    if _depth(doc) > MAX_JSON_DEPTH:
        raise CompileError("INVALID_JSON", None, "nested too deep")
    d = _find_dup(doc, "")
    if d is not None:
        raise CompileError("DUPLICATE_KEY", d)
    return compile_doc(doc)


def _fmt(ok: bool, detail: str):
    if not ok:
        raise CompileError("INVALID_FORMAT", None, detail)


def _fields(obj: Any, path: str, required: set[str], optional: set[str]):
    _fmt(isinstance(obj, dict), f"{path}: expected an object")
    for k in obj:
        _fmt(k in required or k in optional, f"{path}: unknown field {k!r}")
    for k in required:
        _fmt(k in obj, f"{path}: missing field {k!r}")


def _check_format(doc: Any):
    _fields(doc, "", {"schema", "flags"},
            {"segments", "version", "issued_at", "expires", "environment"})
    _fmt(isinstance(doc["schema"], str), "/schema: string")
    # Snapshot metadata (docs/snapshots.md): optional in a plain ruleset, typed when present.
    _fmt("version" not in doc or (is_int(doc["version"]) and 0 <= doc["version"] < 2**64),
         "/version: u64")
    for k in ("issued_at", "expires", "environment"):
        _fmt(k not in doc or isinstance(doc[k], str), f"/{k}: string")
    _fmt(isinstance(doc["flags"], dict), "/flags: object")
    segs = doc.get("segments", {})
    _fmt(isinstance(segs, dict), "/segments: object")
    for name, s in segs.items():
        p = ptr("segments", name)
        _fields(s, p, set(), {"by", "include", "exclude", "if", "description"})
        for k in ("by", "description"):
            _fmt(not (k in s) or isinstance(s[k], str), f"{p}/{k}: string")
        for k in ("include", "exclude"):
            if k in s:
                _fmt(isinstance(s[k], list) and all(isinstance(x, str) for x in s[k]),
                     f"{p}/{k}: array of strings")
    for key, f in doc["flags"].items():
        p = ptr("flags", key)
        _fields(f, p, {"variants", "off", "default"},
                {"enabled", "metadata", "prerequisites", "rules"})
        _fmt(isinstance(f["variants"], dict), f"{p}/variants: object")
        _fmt(isinstance(f["off"], str), f"{p}/off: string")
        _fmt(isinstance(f.get("enabled", True), bool), f"{p}/enabled: boolean")
        if "metadata" in f:
            m = f["metadata"]
            _fields(m, p + "/metadata", set(),
                    {"owner", "description", "tags", "temporary", "remove_by"})
            for k in ("owner", "description", "remove_by"):
                _fmt(not (k in m) or isinstance(m[k], str), f"{p}/metadata/{k}: string")
            _fmt(isinstance(m.get("temporary", False), bool), "temporary: boolean")
            if "tags" in m:
                _fmt(isinstance(m["tags"], list) and all(isinstance(t, str) for t in m["tags"]),
                     "tags: array of strings")
        prs = f.get("prerequisites", [])
        _fmt(isinstance(prs, list), f"{p}/prerequisites: array")
        for i, pr in enumerate(prs):
            _fields(pr, f"{p}/prerequisites/{i}", {"flag", "variant"}, set())
            _fmt(isinstance(pr["flag"], str) and isinstance(pr["variant"], str), "prereq strings")
        rules = f.get("rules", [])
        _fmt(isinstance(rules, list), f"{p}/rules: array")
        for i, r in enumerate(rules):
            _fields(r, f"{p}/rules/{i}", {"if", "serve"}, {"id"})
            _fmt(isinstance(r.get("id", ""), str), "rule id: string")
            _check_serve_format(r["serve"], f"{p}/rules/{i}/serve")
        _check_serve_format(f["default"], f"{p}/default")


def _check_serve_format(s: Any, path: str):
    if isinstance(s, str):
        return
    _fields(s, path, {"rollout"}, set())
    r = s["rollout"]
    _fields(r, path + "/rollout", {"variants"},
            {"by", "salt", "otherwise", "percent", "stages", "ramp"})
    for k in ("by", "salt", "otherwise"):
        _fmt(not (k in r) or isinstance(r[k], str), f"{path}/rollout/{k}: string")
    _fmt(isinstance(r["variants"], dict), "rollout variants: object")
    _fmt(r.get("ramp", "step") in ("step", "linear"), "ramp: step or linear")
    if "stages" in r:
        _fmt(isinstance(r["stages"], list), "stages: array")
        for i, st in enumerate(r["stages"]):
            _fields(st, f"{path}/rollout/stages/{i}", {"at", "percent"}, {"rollback"})
            _fmt(isinstance(st["at"], str), "at: string")
            _fmt(isinstance(st.get("rollback", False), bool), "rollback: boolean")


def _check_key(k: str, path: str):
    if not (1 <= blen(k) <= MAX_KEY_BYTES and KEY_RE.match(k)):
        raise CompileError("INVALID_KEY", path)


def _check_attr(a: str, path: str):
    if not (1 <= blen(a) <= MAX_ATTR_BYTES):
        raise CompileError("INVALID_KEY", path)


def _units_of(p: Any, path: str) -> int:
    if not is_num(p) or p < 0 or p > 100:
        raise CompileError("INVALID_PERCENT", path)
    try:
        return bucketing.percent_units(Decimal(p) if isinstance(p, int) else p)
    except ValueError:
        raise CompileError("INVALID_PERCENT", path)


def compile_doc(doc: Any) -> Ruleset:
    if isinstance(doc, dict) and isinstance(doc.get("schema"), str) and doc["schema"] != SCHEMA:
        raise CompileError("UNSUPPORTED_SCHEMA", "/schema")
    _check_format(doc)
    segments, flags = doc.get("segments", {}), doc["flags"]
    if len(flags) > MAX_FLAGS:
        raise CompileError("LIMIT_EXCEEDED", "/flags")
    if len(segments) > MAX_SEGMENTS:
        raise CompileError("LIMIT_EXCEEDED", "/segments")

    for name, s in segments.items():
        p = ptr("segments", name)
        _check_key(name, p)
        if "by" in s:
            _check_attr(s["by"], p + "/by")
        for k in ("include", "exclude"):
            if len(s.get(k, [])) > MAX_SEGMENT_KEYS:
                raise CompileError("LIMIT_EXCEEDED", f"{p}/{k}")
        if "if" in s:
            counter = [0]
            _check_cond(s["if"], p + "/if", segments, True, 1, counter, p)

    for key, f in flags.items():
        p = ptr("flags", key)
        _check_key(key, p)
        variants = f["variants"]
        if len(variants) > MAX_VARIANTS:
            raise CompileError("LIMIT_EXCEEDED", p + "/variants")
        if len(variants) == 0:
            raise CompileError("INVALID_FORMAT", None, "a flag needs at least one variant")
        first_type = None
        for vn, vv in variants.items():
            _check_key(vn, join(p, "variants", vn))
            t = json_type(vv)
            if t == "null" or (first_type is not None and t != first_type):
                raise CompileError("VARIANT_TYPE_MISMATCH", join(p, "variants", vn))
            first_type = first_type or t
        if f["off"] not in variants:
            raise CompileError("UNKNOWN_VARIANT", p + "/off")
        m = f.get("metadata", {})
        if "remove_by" in m:
            if not parse_date(m["remove_by"]) or m.get("temporary") is not True:
                raise CompileError("INVALID_TIME", p + "/metadata/remove_by")
        prs = f.get("prerequisites", [])
        if len(prs) > MAX_PREREQUISITES:
            raise CompileError("LIMIT_EXCEEDED", p + "/prerequisites")
        for i, pr in enumerate(prs):
            pp = f"{p}/prerequisites/{i}"
            if pr["flag"] not in flags:
                raise CompileError("UNKNOWN_FLAG", pp + "/flag")
            if pr["variant"] not in flags[pr["flag"]]["variants"]:
                raise CompileError("UNKNOWN_VARIANT", pp + "/variant")
        rules = f.get("rules", [])
        if len(rules) > MAX_RULES:
            raise CompileError("LIMIT_EXCEEDED", p + "/rules")
        ids: set[str] = set()
        counter = [0]
        for i, r in enumerate(rules):
            rp = f"{p}/rules/{i}"
            if "id" in r:
                _check_key(r["id"], rp + "/id")
                if r["id"] in ids:
                    raise CompileError("DUPLICATE_KEY", rp + "/id")
                ids.add(r["id"])
            _check_cond(r["if"], rp + "/if", segments, False, 1, counter, p)
            _check_serve(r["serve"], rp + "/serve", f)
        _check_serve(f["default"], p + "/default", f)

    # cycles: depth-first from each flag in document order, entries in order; the first
    # entry that reaches a flag on the current path closes the cycle.
    state: dict[str, int] = {}

    def visit(k: str, depth: int):
        state[k] = 1
        for i, pr in enumerate(flags[k].get("prerequisites", [])):
            t = pr["flag"]
            if state.get(t) == 1:
                raise CompileError("PREREQUISITE_CYCLE", ptr("flags", k, "prerequisites", i))
            if state.get(t) is None:
                visit(t, depth + 1)
        state[k] = 2

    for k in flags:
        if k not in state:
            visit(k, 1)

    # prerequisite chain depth (edges on the longest chain)
    memo: dict[str, int] = {}

    def chain(k: str) -> int:
        if k not in memo:
            memo[k] = max((1 + chain(pr["flag"]) for pr in flags[k].get("prerequisites", [])),
                          default=0)
        return memo[k]

    for k in flags:
        if chain(k) > MAX_PREREQUISITE_DEPTH:
            raise CompileError("LIMIT_EXCEEDED", ptr("flags", k, "prerequisites"))

    compiled_flags = {}
    for key, f in flags.items():
        compiled_flags[key] = {
            "key": key,
            "variants": f["variants"],
            "off": f["off"],
            "enabled": f.get("enabled", True),
            "prerequisites": f.get("prerequisites", []),
            "rules": [{"if": r["if"], "serve": _compile_serve(r["serve"], key, f)}
                      for r in f.get("rules", [])],
            "default": _compile_serve(f["default"], key, f),
            "type": json_type(next(iter(f["variants"].values()))),
        }
    compiled_segments = {
        n: {"by": s.get("by", "targetingKey"), "include": set(s.get("include", [])),
            "exclude": set(s.get("exclude", [])), "if": s.get("if")}
        for n, s in segments.items()}
    return Ruleset(compiled_flags, compiled_segments)


def _check_serve(s: Any, path: str, flag: dict):
    variants = flag["variants"]
    if isinstance(s, str):
        if s not in variants:
            raise CompileError("UNKNOWN_VARIANT", path)
        return
    r, rp = s["rollout"], path + "/rollout"
    if "by" in r:
        _check_attr(r["by"], rp + "/by")
    if blen(r.get("salt", "")) > 128:
        raise CompileError("LIMIT_EXCEEDED", rp + "/salt")
    total = 0
    for vn, w in r["variants"].items():
        if vn not in variants:
            raise CompileError("UNKNOWN_VARIANT", join(rp, "variants", vn))
        if not is_int(w) or w < 0:
            raise CompileError("INVALID_WEIGHTS", join(rp, "variants", vn))
        total += w
    if total < 1 or total > MAX_WEIGHT_TOTAL:
        raise CompileError("INVALID_WEIGHTS", rp + "/variants")
    if "otherwise" in r and r["otherwise"] not in variants:
        raise CompileError("UNKNOWN_VARIANT", rp + "/otherwise")
    if "percent" in r and "stages" in r:
        raise CompileError("INVALID_PERCENT", rp + "/percent")
    if "percent" in r:
        _units_of(r["percent"], rp + "/percent")
    if "stages" in r:
        stages = r["stages"]
        if not stages:
            raise CompileError("UNORDERED_STAGES", rp + "/stages")
        if len(stages) > MAX_STAGES:
            raise CompileError("LIMIT_EXCEEDED", rp + "/stages")
        prev_at = prev_units = None
        for i, st in enumerate(stages):
            sp = f"{rp}/stages/{i}"
            at = parse_time_ms(st["at"])
            if at is None:
                raise CompileError("INVALID_TIME", sp + "/at")
            u = _units_of(st["percent"], sp + "/percent")
            if prev_at is not None and at <= prev_at:
                raise CompileError("UNORDERED_STAGES", sp)
            if prev_units is not None and u < prev_units and st.get("rollback") is not True:
                raise CompileError("SHRINKING_EXPOSURE", sp)
            prev_at, prev_units = at, u


def _compile_serve(s: Any, key: str, flag: dict):
    if isinstance(s, str):
        return s
    r = s["rollout"]
    stages = None
    if "stages" in r:
        stages = [Stage(parse_time_ms(st["at"]), _units_of(st["percent"], "")) for st in r["stages"]]
    units = None if stages is not None else _units_of(r.get("percent", 100), "")
    return Rollout(by=r.get("by", "targetingKey"), salt=r.get("salt", key),
                   weights=dict(r["variants"]), otherwise=r.get("otherwise", flag["off"]),
                   units=units, stages=stages, linear=r.get("ramp", "step") == "linear")


def _check_cond(c: Any, path: str, segments: dict, in_segment: bool, depth: int,
                counter: list[int], owner: str):
    """Errors found while checking a condition are reported at that condition's object,
    except INVALID_KEY of the attribute name, reported at its `attr` member."""
    def bad(code="INVALID_CONDITION"):
        raise CompileError(code, path)

    if depth > MAX_CONDITION_DEPTH:
        bad("LIMIT_EXCEEDED")
    counter[0] += 1
    if counter[0] > MAX_CONDITIONS:
        bad("LIMIT_EXCEEDED")
    if not isinstance(c, dict):
        bad()
    shapes = [s for s in ("clause", "all", "any", "not", "segment")
              if (s == "clause" and ("attr" in c or "op" in c)) or (s != "clause" and s in c)]
    if len(shapes) != 1:
        bad()
    shape = shapes[0]
    if shape in ("all", "any"):
        if set(c) != {shape} or not isinstance(c[shape], list):
            bad()
        for i, sub in enumerate(c[shape]):
            _check_cond(sub, f"{path}/{shape}/{i}", segments, in_segment, depth + 1, counter, owner)
        return
    if shape == "not":
        if set(c) != {"not"}:
            bad()
        _check_cond(c["not"], path + "/not", segments, in_segment, depth + 1, counter, owner)
        return
    if shape == "segment":
        if set(c) != {"segment"} or not isinstance(c["segment"], str):
            bad()
        if in_segment:
            bad()
        if c["segment"] not in segments:
            bad("UNKNOWN_SEGMENT")
        return
    allowed = {"attr", "op", "value", "values", "negate", "ignore_case"}
    if not set(c) <= allowed or "attr" not in c or "op" not in c:
        bad()
    if not isinstance(c["attr"], str) or not isinstance(c["op"], str):
        bad()
    _check_attr(c["attr"], path + "/attr")
    op = c["op"]
    if op not in OPS_ALL:
        bad()
    for k in ("negate", "ignore_case"):
        if k in c and not isinstance(c[k], bool):
            bad()
    if op == "exists":
        if "value" in c or "values" in c:
            bad()
        return
    if op in OPS_IN:
        if "value" in c or not isinstance(c.get("values"), list):
            bad()
        if len(c["values"]) > MAX_IN_VALUES:
            bad("LIMIT_EXCEEDED")
        for v in c["values"]:
            if not is_scalar(v):
                bad()
            if isinstance(v, str) and blen(v) > MAX_STRING_LITERAL_BYTES:
                bad("LIMIT_EXCEEDED")
        return
    if "values" in c or "value" not in c:
        bad()
    v = c["value"]
    if isinstance(v, str) and blen(v) > MAX_STRING_LITERAL_BYTES:
        bad("LIMIT_EXCEEDED")
    if op in OPS_EQ and not is_scalar(v):
        bad()
    if op in OPS_STRING and not isinstance(v, str):
        bad()
    if op in OPS_NUMBER and not is_num(v):
        bad()
    if op in OPS_SEMVER and not (isinstance(v, str) and parse_semver(v)):
        bad()
    if op in OPS_TIME and not (isinstance(v, str) and parse_time_ms(v) is not None):
        bad()


# ----------------------------------------------------------------------------- context
class EvalError(Exception):
    def __init__(self, code: str):
        super().__init__(code)
        self.code = code


def check_context(ctx: Any) -> dict:
    if not isinstance(ctx, dict) or len(ctx) > MAX_CONTEXT_ATTRS:
        raise EvalError("INVALID_CONTEXT")
    for v in ctx.values():
        if v is None or isinstance(v, bool) or is_num(v):
            continue
        if isinstance(v, str):
            if blen(v) > MAX_CONTEXT_STRING_BYTES:
                raise EvalError("INVALID_CONTEXT")
            continue
        if isinstance(v, list):
            if len(v) > MAX_CONTEXT_ARRAY:
                raise EvalError("INVALID_CONTEXT")
            for e in v:
                if not is_scalar(e):
                    raise EvalError("INVALID_CONTEXT")
                if isinstance(e, str) and blen(e) > MAX_CONTEXT_STRING_BYTES:
                    raise EvalError("INVALID_CONTEXT")
            continue
        # objects as attribute values: the spec does not say (open question, no corpus case)
        raise EvalError("INVALID_CONTEXT")
    return ctx


# ----------------------------------------------------------------------------- conditions
def _eq(a: Any, lit: Any, ic: bool) -> bool:
    if isinstance(lit, bool) or isinstance(a, bool):
        return isinstance(a, bool) and isinstance(lit, bool) and a == lit
    if isinstance(lit, str):
        return isinstance(a, str) and (fold(a) == fold(lit) if ic else a == lit)
    return is_num(a) and is_num(lit) and Decimal(a) == Decimal(lit)


def _holds_scalar(op: str, a: Any, c: dict) -> bool:
    ic = c.get("ignore_case", False)
    lit = c.get("value")
    if op == "eq":
        return _eq(a, lit, ic)
    if op == "in":
        return any(_eq(a, v, ic) for v in c["values"])
    if op in OPS_STRING:
        if not isinstance(a, str):
            return False
        x, y = (fold(a), fold(lit)) if ic else (a, lit)
        return {"contains": y in x, "starts_with": x.startswith(y),
                "ends_with": x.endswith(y)}[op]
    if op in OPS_NUMBER:
        if not is_num(a):
            return False
        x, y = Decimal(a), Decimal(lit)
        return {"lt": x < y, "lte": x <= y, "gt": x > y, "gte": x >= y}[op]
    if op in OPS_SEMVER:
        sa = parse_semver(a) if isinstance(a, str) else None
        if sa is None:
            return False
        k = semver_cmp(sa, parse_semver(lit))
        return {"semver_eq": k == 0, "semver_lt": k < 0, "semver_lte": k <= 0,
                "semver_gt": k > 0, "semver_gte": k >= 0}[op]
    if op in OPS_TIME:
        if isinstance(a, str):
            t = parse_time_ms(a)
            if t is None:
                return False
            t = Decimal(t)
        elif is_num(a):
            t = Decimal(a)
        else:
            return False
        lt = Decimal(parse_time_ms(lit))
        return t < lt if op == "before" else t > lt
    raise AssertionError(op)


def _clause(c: dict, ctx: dict) -> bool:
    op, negate = c["op"], c.get("negate", False)
    a = ctx.get(c["attr"])
    if a is None:                       # missing or null
        return op == "exists" and negate
    if op == "exists":
        res = True
    elif op in ("neq", "not_in"):
        pos = "eq" if op == "neq" else "in"
        elems = a if isinstance(a, list) else [a]
        res = not any(_holds_scalar(pos, e, c) for e in elems)
    else:
        elems = a if isinstance(a, list) else [a]
        res = any(_holds_scalar(op, e, c) for e in elems)
    return res != negate


def _unit_key(v: Any) -> str | None:
    if isinstance(v, str):
        return v
    if is_int(v):
        return str(v)
    return None


def _in_segment(rs: Ruleset, name: str, ctx: dict) -> bool:
    s = rs.segments[name]
    k = _unit_key(ctx.get(s["by"]))
    if k is not None and k in s["exclude"]:
        return False
    if k is not None and k in s["include"]:
        return True
    return s["if"] is not None and matches(rs, s["if"], ctx)


def matches(rs: Ruleset, c: dict, ctx: dict) -> bool:
    if "all" in c:
        return all(matches(rs, x, ctx) for x in c["all"])
    if "any" in c:
        return any(matches(rs, x, ctx) for x in c["any"])
    if "not" in c:
        return not matches(rs, c["not"], ctx)
    if "segment" in c:
        return _in_segment(rs, c["segment"], ctx)
    return _clause(c, ctx)


# ----------------------------------------------------------------------------- evaluate
@dataclass
class Result:
    variant: str | None
    reason: str
    error: str | None = None
    rule: int | None = None
    stage: int | None = None


def exposure(r: Rollout, now: int) -> tuple[int, int | None]:
    """(units, active stage index) of a rollout at `now` (Unix ms)."""
    if r.stages is None:
        return r.units, None
    active = None
    for i, st in enumerate(r.stages):
        if st.at <= now:
            active = i
    if active is None:
        return 0, None
    s = r.stages[active]
    if r.linear and active + 1 < len(r.stages):
        n = r.stages[active + 1]
        return s.units + (n.units - s.units) * (now - s.at) // (n.at - s.at), active
    return s.units, active


def _serve(rs: Ruleset, serve, ctx: dict, now: int, rule: int | None) -> Result:
    if isinstance(serve, str):
        return Result(serve, "TARGETING_MATCH" if rule is not None else "DEFAULT", rule=rule)
    r: Rollout = serve
    unit = ctx.get(r.by)
    if unit is None:
        raise EvalError("TARGETING_KEY_MISSING" if r.by == "targetingKey" else "INVALID_CONTEXT")
    if _unit_key(unit) is None:
        raise EvalError("INVALID_CONTEXT")
    units, stage = exposure(r, now)
    if bucketing.inside_units(r.salt, unit, units):
        v = bucketing.choose_variant(r.salt, unit, r.weights)
    else:
        v = r.otherwise
    return Result(v, "SPLIT", rule=rule, stage=stage)


def _eval_flag(rs: Ruleset, f: dict, ctx: dict, now: int) -> Result:
    if not f["enabled"]:
        return Result(f["off"], "DISABLED")
    for pr in f["prerequisites"]:
        pf = rs.flags[pr["flag"]]
        try:
            pres = _eval_flag(rs, pf, ctx, now)
        except EvalError:
            pres = None
        if pres is None or pres.variant != pr["variant"]:
            return Result(f["off"], "DEFAULT")
    for i, rule in enumerate(f["rules"]):
        if matches(rs, rule["if"], ctx):
            return _serve(rs, rule["serve"], ctx, now, i)
    res = _serve(rs, f["default"], ctx, now, None)
    if res.reason == "DEFAULT" and not f["rules"] and not f["prerequisites"]:
        res.reason = "STATIC"
    return res


def evaluate(rs: Ruleset, flag: str, context: Any = None, *, context_json: str | None = None,
             now: int, type: str | None = None) -> dict:
    def err(code):
        return {"value": None, "variant": None, "reason": "ERROR", "error": code,
                "rule": None, "stage": None}

    f = rs.flags.get(flag)
    if f is None:
        return err("FLAG_NOT_FOUND")
    try:
        if context_json is not None:
            try:
                context = parse_json(context_json)
            except (ValueError, RecursionError):
                return err("PARSE_ERROR")
        elif context is None:
            context = {}
        ctx = check_context(context)
        if type is not None and type != f["type"]:
            return err("TYPE_MISMATCH")
        res = _eval_flag(rs, f, ctx, now)
    except EvalError as e:
        return err(e.code)
    return {"value": f["variants"][res.variant], "variant": res.variant, "reason": res.reason,
            "error": None, "rule": res.rule, "stage": res.stage}
