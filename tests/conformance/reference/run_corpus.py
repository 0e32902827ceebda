#!/usr/bin/env python3
"""Runs the conformance corpus against the Python reference model (darklaunch_ref.py).

    python3 run_corpus.py [-v]

Checks, for every file in tests/conformance/:
  * bucketing-vectors.json against bucketing.py;
  * compile-errors.json: each case fails with the given code (and path, when given);
  * every other *.json: the file and case format, that the ruleset compiles, and that every
    case evaluates to exactly `expect`.
Prints 'N passed, N failed' and exits non-zero on any failure. It is also a small model of
the harness each layer (Rust, wasm, npm, ...) is expected to have.
"""
from __future__ import annotations

import glob
import os
import sys

import bucketing as B
import darklaunch_ref as R

HERE = os.path.dirname(os.path.abspath(__file__))
CORPUS = os.path.normpath(os.path.join(HERE, ".."))
DEFAULT_NOW = "2026-01-01T00:00:00Z"
EXPECT_KEYS = {"value", "variant", "reason", "error", "rule", "stage"}
REASONS = {"STATIC", "TARGETING_MATCH", "SPLIT", "DISABLED", "DEFAULT", "ERROR"}
ERRORS = {None, "FLAG_NOT_FOUND", "TYPE_MISMATCH", "TARGETING_KEY_MISSING", "INVALID_CONTEXT",
          "PARSE_ERROR"}
TYPES = {"boolean", "string", "number", "object"}
COMPILE_CODES = {"TOO_LARGE", "INVALID_JSON", "INVALID_FORMAT", "UNSUPPORTED_SCHEMA",
                 "DUPLICATE_KEY", "INVALID_KEY", "UNKNOWN_VARIANT", "UNKNOWN_SEGMENT",
                 "UNKNOWN_FLAG", "PREREQUISITE_CYCLE", "VARIANT_TYPE_MISMATCH", "INVALID_WEIGHTS",
                 "INVALID_PERCENT", "UNORDERED_STAGES", "SHRINKING_EXPOSURE", "INVALID_CONDITION",
                 "INVALID_TIME", "LIMIT_EXCEEDED"}


def load(path):
    with open(path, encoding="utf-8") as f:
        text = f.read()
    doc = R.parse_json(text)
    dup = R._find_dup(doc, "")
    assert dup is None, f"{path}: duplicate key at {dup}"
    return doc


def same(a, b) -> bool:
    """JSON equality (numbers by value, booleans distinct from numbers)."""
    if isinstance(a, bool) or isinstance(b, bool):
        return isinstance(a, bool) and isinstance(b, bool) and a == b
    if R.is_num(a) and R.is_num(b):
        return a == b
    if isinstance(a, dict) and isinstance(b, dict):
        return a.keys() == b.keys() and all(same(a[k], b[k]) for k in a)
    if isinstance(a, list) and isinstance(b, list):
        return len(a) == len(b) and all(same(x, y) for x, y in zip(a, b))
    return type(a) is type(b) and a == b


def run_eval_file(path, verbose, fails):
    doc = load(path)
    name = os.path.basename(path)
    assert set(doc) == {"description", "ruleset", "cases"}, f"{name}: top-level keys"
    rs = R.compile_doc(doc["ruleset"])
    passed = 0
    names = set()
    for c in doc["cases"]:
        assert set(c) <= {"name", "flag", "context", "context_json", "now", "type", "expect"}, c
        assert {"name", "flag", "expect"} <= set(c), c
        assert not ("context" in c and "context_json" in c), c["name"]
        assert c["name"] not in names, f"duplicate case name {c['name']}"
        names.add(c["name"])
        exp = c["expect"]
        assert set(exp) == EXPECT_KEYS, c["name"]
        assert exp["reason"] in REASONS and exp["error"] in ERRORS, c["name"]
        assert (exp["reason"] == "ERROR") == (exp["error"] is not None), c["name"]
        assert c.get("type") is None or c["type"] in TYPES, c["name"]
        now = R.parse_time_ms(c.get("now", DEFAULT_NOW))
        assert now is not None, c["name"]
        got = R.evaluate(rs, c["flag"], c.get("context"), context_json=c.get("context_json"),
                         now=now, type=c.get("type"))
        ok = all(same(got[k], exp[k]) for k in EXPECT_KEYS)
        if ok:
            passed += 1
            if verbose:
                print(f"ok   {name}: {c['name']}")
        else:
            fails.append(f"{name}: {c['name']}\n    expected {exp}\n    got      {got}")
    return passed, len(doc["cases"])


def run_compile_errors(path, verbose, fails):
    doc = load(path)
    assert set(doc) == {"description", "cases"}
    passed = 0
    codes = set()
    for c in doc["cases"]:
        assert set(c) <= {"name", "ruleset", "ruleset_text", "pad_to_bytes", "error"}, c["name"]
        assert ("ruleset" in c) != ("ruleset_text" in c), c["name"]
        want = c["error"]
        assert want["code"] in COMPILE_CODES and set(want) <= {"code", "path"}, c["name"]
        if want["code"] in ("TOO_LARGE", "INVALID_JSON", "INVALID_FORMAT"):
            assert "path" not in want, c["name"]
        else:
            assert "path" in want, c["name"]
        codes.add(want["code"])
        try:
            if "ruleset_text" in c:
                R.compile_text(c["ruleset_text"], c.get("pad_to_bytes"))
            else:
                R.compile_doc(c["ruleset"])
            got = None
        except R.CompileError as e:
            got = {"code": e.code, "path": e.path}
        ok = got is not None and got["code"] == want["code"] and (
            "path" not in want or got["path"] == want["path"])
        if ok:
            passed += 1
            if verbose:
                print(f"ok   compile-errors.json: {c['name']}")
        else:
            fails.append(f"compile-errors.json: {c['name']}\n    expected {want}\n    got {got}")
    missing = COMPILE_CODES - codes
    if missing:
        fails.append(f"compile-errors.json: no case for {sorted(missing)}")
    return passed, len(doc["cases"])


def run_vectors(path, verbose, fails):
    doc = load(path)
    assert doc["keys"] == {"inclusion": "darklaunch:incl1", "variant": "darklaunch:vari1"}
    passed = total = 0
    for v in doc["vectors"]:
        total += 1
        unit = v["unit"]
        ok = (str(B.position(v["salt"], unit)) == v["position"]
              and str(B.variant_position(v["salt"], unit)) == v["variant_position"]
              and all(B.inside(v["salt"], unit, p) == b for p, b in v["inside"].items())
              and B.choose_variant(v["salt"], unit, v["weights"]) == v["variant"])
        if ok:
            passed += 1
        else:
            fails.append(f"bucketing-vectors.json: {v['salt']!r} {unit!r}")
    for t in doc["thresholds"]:
        total += 1
        if str(B.threshold(t["percent"])) == t["threshold"] and \
                B.percent_units(t["percent"]) == t["units"]:
            passed += 1
        else:
            fails.append(f"bucketing-vectors.json: threshold {t['percent']}")
    return passed, total


def main(argv):
    verbose = "-v" in argv
    fails: list[str] = []
    passed = total = 0
    for path in sorted(glob.glob(os.path.join(CORPUS, "*.json"))):
        base = os.path.basename(path)
        if base == "bucketing-vectors.json":
            p, t = run_vectors(path, verbose, fails)
        elif base == "compile-errors.json":
            p, t = run_compile_errors(path, verbose, fails)
        else:
            p, t = run_eval_file(path, verbose, fails)
        print(f"{base:28s} {p:4d}/{t:<4d}")
        passed += p
        total += t
    for f in fails:
        print("FAIL " + f)
    print(f"{passed} passed, {total - passed} failed")
    return 0 if passed == total and not fails else 1


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
