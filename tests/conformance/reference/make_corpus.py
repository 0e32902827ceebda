#!/usr/bin/env python3
"""Generates the conformance corpus tests/conformance/*.json.

    python3 make_corpus.py        # rewrite every corpus file, then run run_corpus.py on them

Hand-written expectations live here next to the cases; every rollout expectation is computed
with the bucketing oracle (bucketing.py) from an explicitly stated exposure (units = percent *
10_000) and stage, so a wrong schedule computation in the reference model cannot hide.
"""
from __future__ import annotations

import copy
import os
import subprocess
import sys
from datetime import datetime, timezone

import bucketing as B
import jsonfmt

HERE = os.path.dirname(os.path.abspath(__file__))
OUT = os.path.normpath(os.path.join(HERE, ".."))
SCHEMA = "darklaunch/v1"

COMMON_FORMAT = (
    "Case format: each case names a flag, gives `context` (a JSON object; omitted = {}) or "
    "`context_json` (raw text handed to the evaluator as the context), an optional `now` "
    "(RFC 3339; default 2026-01-01T00:00:00Z) and an optional `type` (boolean, string, number "
    "or object: the type the caller asks for; omitted = any). `expect` always has value "
    "(the served variant's JSON value, null on error), variant, reason, error, rule (index in "
    "the flag's rules of the rule that decided, else null) and stage (index of the active stage "
    "of the rollout that decided; null if that rollout has no stages, if now is before its "
    "first stage, or if no rollout decided). Errors always have value, variant, rule and stage "
    "null."
)

BOOL = {"on": True, "off": False}


# ----------------------------------------------------------------------------- helpers
def ms(t: str) -> int:
    dt = datetime.fromisoformat(t.replace("Z", "+00:00"))
    return int(dt.timestamp() * 1000)


def iso(msv: int) -> str:
    dt = datetime.fromtimestamp(msv / 1000, tz=timezone.utc)
    s = dt.strftime("%Y-%m-%dT%H:%M:%S")
    if msv % 1000:
        s += f".{msv % 1000:03d}"
    return s + "Z"


def expect(value, variant, reason, error=None, rule=None, stage=None):
    return {"value": value, "variant": variant, "reason": reason, "error": error,
            "rule": rule, "stage": stage}


def error(code):
    return expect(None, None, "ERROR", code)


def case(name, flag, exp, context=None, *, now=None, type=None, context_json=None):
    c = {"name": name, "flag": flag}
    if context_json is not None:
        c["context_json"] = context_json
    elif context is not None:
        c["context"] = context
    if now is not None:
        c["now"] = now
    if type is not None:
        c["type"] = type
    c["expect"] = exp
    return c


def clause(attr, op, value=None, *, values=None, negate=None, ignore_case=None):
    c = {"attr": attr, "op": op}
    if values is not None:
        c["values"] = values
    elif op != "exists":
        c["value"] = value
    if negate is not None:
        c["negate"] = negate
    if ignore_case is not None:
        c["ignore_case"] = ignore_case
    return c


def bool_flag(cond):
    """A boolean flag with one rule: `cond` -> on, else off (reason DEFAULT)."""
    return {"variants": dict(BOOL), "off": "off", "rules": [{"if": cond, "serve": "on"}],
            "default": "off"}


MATCH = expect(True, "on", "TARGETING_MATCH", rule=0)
NOMATCH = expect(False, "off", "DEFAULT")


def split(variants: dict, salt, unit, units, weights, otherwise, *, rule=None, stage=None):
    """Expected result of a rollout, from the bucketing oracle at an explicit exposure."""
    v = B.bucket(salt, unit, units, weights, otherwise, is_units=True)
    return expect(variants[v], v, "SPLIT", rule=rule, stage=stage)


def ruleset(flags, segments=None):
    r = {"schema": SCHEMA}
    if segments is not None:
        r["segments"] = segments
    r["flags"] = flags
    return r


def write(name, description, rs, cases):
    names = [c["name"] for c in cases]
    assert len(names) == len(set(names)), f"duplicate case names in {name}"
    for c in cases:
        assert c["flag"] in rs["flags"] or c["expect"]["error"] == "FLAG_NOT_FOUND", c["name"]
    jsonfmt.write(os.path.join(OUT, name), {"description": description, "ruleset": rs,
                                            "cases": cases})
    return len(cases)


def find_unit(salt, lo, hi, prefix="user-", start=0, pred=None):
    """First unit prefix+N (N >= start) whose minimal inclusion units m satisfy lo < m <= hi."""
    i = start
    while True:
        u = f"{prefix}{i}"
        m = B.min_units_inside(salt, u)
        if lo < m <= hi and (pred is None or pred(u)):
            return u
        i += 1


# Users of salt "new-checkout" (all found by brute force from user-0 upwards).
NC = "new-checkout"
IN1 = find_unit(NC, 0, 10_000)                 # inside at 1% (so at 5% and 30% too)
IN1B = find_unit(NC, 0, 10_000, start=int(IN1.split("-")[1]) + 1)
IN5 = find_unit(NC, 10_000, 50_000)            # inside at 5%, not at 1%
IN30 = find_unit(NC, 50_000, 300_000)          # inside at 30%, not at 5%
OUT30 = find_unit(NC, 300_000, 1_000_000)      # outside at 30%
IN001 = find_unit(NC, 0, 100)                  # inside at 0.01%


# ============================================================================= operators.json
def operators():
    F = {}
    C = []

    def add(flag, cond, rows):
        F[flag] = bool_flag(cond)
        for desc, ctx, hit in rows:
            C.append(case(f"{flag}: {desc}", flag, MATCH if hit else NOMATCH, ctx))

    add("op-eq", clause("country", "eq", "DE"), [
        ("equal string matches", {"country": "DE"}, True),
        ("different string does not match", {"country": "FR"}, False),
        ("comparison is case-sensitive without ignore_case", {"country": "de"}, False),
    ])
    add("op-neq", clause("country", "neq", "DE"), [
        ("different string matches", {"country": "FR"}, True),
        ("equal string does not match", {"country": "DE"}, False),
    ])
    add("op-in", clause("country", "in", values=["DE", "AT", "CH"]), [
        ("value in list matches", {"country": "AT"}, True),
        ("value not in list does not match", {"country": "FR"}, False),
    ])
    add("op-not-in", clause("country", "not_in", values=["DE", "AT"]), [
        ("value not in list matches", {"country": "FR"}, True),
        ("value in list does not match", {"country": "DE"}, False),
    ])
    add("op-contains", clause("email", "contains", "@example"), [
        ("substring present matches", {"email": "ana@example.com"}, True),
        ("substring absent does not match", {"email": "ana@elsewhere.org"}, False),
    ])
    add("op-starts-with", clause("plan", "starts_with", "pro"), [
        ("prefix matches", {"plan": "pro-annual"}, True),
        ("whole string equal to prefix matches", {"plan": "pro"}, True),
        ("prefix elsewhere does not match", {"plan": "basic-pro"}, False),
    ])
    add("op-ends-with", clause("email", "ends_with", "@example.com"), [
        ("suffix matches", {"email": "bo@example.com"}, True),
        ("suffix not at the end does not match", {"email": "bo@example.com.evil.org"}, False),
    ])
    add("op-lt", clause("age", "lt", 18), [
        ("smaller number matches", {"age": 17}, True),
        ("equal number does not match", {"age": 18}, False),
        ("fraction below matches", {"age": 17.999}, True),
    ])
    add("op-lte", clause("age", "lte", 18), [
        ("equal number matches", {"age": 18}, True),
        ("larger number does not match", {"age": 19}, False),
    ])
    add("op-gt", clause("age", "gt", 65), [
        ("larger number matches", {"age": 65.5}, True),
        ("equal number does not match", {"age": 65}, False),
    ])
    add("op-gte", clause("age", "gte", 21), [
        ("equal number matches", {"age": 21}, True),
        ("smaller fraction does not match", {"age": 20.999}, False),
        ("negative number does not match", {"age": -21}, False),
    ])
    add("op-gte-float-literal", clause("score", "gte", 2.5), [
        ("integer attribute above a fractional literal matches", {"score": 3}, True),
        ("integer attribute below a fractional literal does not match", {"score": 2}, False),
    ])
    add("op-semver-eq", clause("appVersion", "semver_eq", "4.2.0"), [
        ("same version matches", {"appVersion": "4.2.0"}, True),
        ("build metadata is ignored", {"appVersion": "4.2.0+build.7"}, True),
        ("patch differs does not match", {"appVersion": "4.2.1"}, False),
        ("prerelease of the version does not match", {"appVersion": "4.2.0-rc.1"}, False),
    ])
    add("op-semver-lt", clause("appVersion", "semver_lt", "4.2.0"), [
        ("lower patch of lower minor matches", {"appVersion": "4.1.9"}, True),
        ("prerelease sorts before its release", {"appVersion": "4.2.0-rc.1"}, True),
        ("equal version does not match", {"appVersion": "4.2.0"}, False),
        ("components compare numerically, not as text (4.10.0 > 4.2.0)",
         {"appVersion": "4.10.0"}, False),
        ("major compares numerically (10.0.0 > 4.2.0)", {"appVersion": "10.0.0"}, False),
        ("invalid attribute: two components", {"appVersion": "4.1"}, False),
        ("invalid attribute: leading v", {"appVersion": "v4.1.0"}, False),
        ("invalid attribute: leading zero", {"appVersion": "04.1.0"}, False),
        ("invalid attribute: empty prerelease", {"appVersion": "4.1.0-"}, False),
        ("number attribute is a type mismatch", {"appVersion": 4}, False),
    ])
    add("op-semver-lte", clause("appVersion", "semver_lte", "1.0.0-beta"), [
        ("alpha.1 < beta matches", {"appVersion": "1.0.0-alpha.1"}, True),
        ("equal prerelease matches", {"appVersion": "1.0.0-beta"}, True),
        ("beta.2 > beta (more identifiers) does not match", {"appVersion": "1.0.0-beta.2"}, False),
        ("release > its prerelease does not match", {"appVersion": "1.0.0"}, False),
    ])
    add("op-semver-gt", clause("appVersion", "semver_gt", "1.0.0-alpha"), [
        ("alpha.1 > alpha matches", {"appVersion": "1.0.0-alpha.1"}, True),
        ("equal prerelease does not match", {"appVersion": "1.0.0-alpha"}, False),
        ("lower release does not match", {"appVersion": "0.9.9"}, False),
    ])
    add("op-semver-gt-prerelease-ids", clause("appVersion", "semver_gt", "1.0.0-beta.2"), [
        ("numeric identifiers compare numerically (beta.11 > beta.2)",
         {"appVersion": "1.0.0-beta.11"}, True),
        ("numeric identifier sorts below alphanumeric (beta.2 < beta.x)",
         {"appVersion": "1.0.0-beta.x"}, True),
        ("alphanumeric identifiers compare as ASCII (alpha < beta)",
         {"appVersion": "1.0.0-alpha.99"}, False),
    ])
    add("op-semver-gte", clause("appVersion", "semver_gte", "2.0.0"), [
        ("equal version matches", {"appVersion": "2.0.0"}, True),
        ("higher patch matches", {"appVersion": "2.0.1"}, True),
        ("prerelease of the version does not match", {"appVersion": "2.0.0-rc.1"}, False),
        ("build metadata on the attribute is ignored", {"appVersion": "2.0.0+exp.sha.5114f85"},
         True),
    ])
    # 2026-01-01T00:00:00Z = 1767225600000 ms
    add("op-before", clause("signupAt", "before", "2026-01-01T00:00:00Z"), [
        ("earlier time matches", {"signupAt": "2025-12-31T23:59:59Z"}, True),
        ("one millisecond earlier matches", {"signupAt": "2025-12-31T23:59:59.999Z"}, True),
        ("equal time does not match (strict)", {"signupAt": "2026-01-01T00:00:00Z"}, False),
        ("later time does not match", {"signupAt": "2026-01-01T00:00:00.001Z"}, False),
        ("offset: 00:59:59+01:00 is 23:59:59Z, earlier",
         {"signupAt": "2026-01-01T00:59:59+01:00"}, True),
        ("offset: 01:00:00+01:00 is the same instant, not before",
         {"signupAt": "2026-01-01T01:00:00+01:00"}, False),
        ("negative offset: 2025-12-31T19:00:00-05:00 is the same instant, not before",
         {"signupAt": "2025-12-31T19:00:00-05:00"}, False),
        ("unix milliseconds one ms earlier matches", {"signupAt": 1767225599999}, True),
        ("unix milliseconds equal does not match", {"signupAt": 1767225600000}, False),
        ("date without time is not RFC 3339", {"signupAt": "2025-12-31"}, False),
        ("time without offset is not RFC 3339", {"signupAt": "2025-12-31T00:00:00"}, False),
        ("unparseable string", {"signupAt": "yesterday"}, False),
        ("boolean is a type mismatch", {"signupAt": True}, False),
    ])
    add("op-after", clause("signupAt", "after", "2026-01-01T00:00:00Z"), [
        ("one millisecond later matches", {"signupAt": "2026-01-01T00:00:00.001Z"}, True),
        ("equal time does not match (strict)", {"signupAt": "2026-01-01T00:00:00Z"}, False),
        ("offset: 2025-12-31T20:00:00-05:00 is 01:00Z, later",
         {"signupAt": "2025-12-31T20:00:00-05:00"}, True),
        ("unix milliseconds one ms later matches", {"signupAt": 1767225600001}, True),
        ("unix milliseconds equal does not match", {"signupAt": 1767225600000}, False),
        ("unix milliseconds earlier does not match", {"signupAt": 1700000000000}, False),
    ])
    add("op-after-offset-literal", clause("signupAt", "after", "2026-01-01T02:00:00+02:00"), [
        ("literal with offset: one ms after the instant matches",
         {"signupAt": "2026-01-01T00:00:00.001Z"}, True),
        ("literal with offset: the same instant in Z does not match",
         {"signupAt": "2026-01-01T00:00:00Z"}, False),
        ("literal with offset: unix ms of the same instant does not match",
         {"signupAt": 1767225600000}, False),
    ])
    add("op-exists", clause("beta", "exists"), [
        ("present (false) matches", {"beta": False}, True),
        ("present empty string matches", {"beta": ""}, True),
        ("present empty array matches", {"beta": []}, True),
        ("missing does not match", {"country": "DE"}, False),
        ("null counts as missing", {"beta": None}, False),
    ])
    add("op-exists-negate", clause("beta", "exists", negate=True), [
        ("missing matches (attribute is absent)", {}, True),
        ("null counts as missing and matches", {"beta": None}, True),
        ("present does not match", {"beta": True}, False),
    ])
    desc = (
        "Every operator, matching and not matching. Each flag `op-*` has one rule "
        "(the clause) serving `on`, default `off`: a match is TARGETING_MATCH rule 0, a miss is "
        "DEFAULT with rule null. Times: 2026-01-01T00:00:00Z is 1767225600000 Unix ms; a number "
        "attribute of before/after is Unix milliseconds. SemVer follows SemVer 2.0.0 exactly "
        "(no leading 'v', no leading zeros, three numeric components). " + COMMON_FORMAT)
    return write("operators.json", desc, ruleset(F), C)


# ============================================================================= types.json
def types():
    F = {}
    C = []

    def add(flag, cond, rows):
        F[flag] = bool_flag(cond)
        for desc, ctx, hit in rows:
            C.append(case(f"{flag}: {desc}", flag, MATCH if hit else NOMATCH, ctx))

    add("t-eq-number", clause("n", "eq", 5), [
        ("number equals number", {"n": 5}, True),
        ("string \"5\" never equals number 5", {"n": "5"}, False),
        ("5.0 equals 5 (numeric equality)", {"n": 5.0}, True),
        ("5.5 does not equal 5", {"n": 5.5}, False),
        ("boolean never equals a number", {"n": True}, False),
    ])
    add("t-eq-string", clause("n", "eq", "5"), [
        ("number 5 never equals string \"5\"", {"n": 5}, False),
        ("string equals string", {"n": "5"}, True),
    ])
    add("t-eq-float-literal", clause("x", "eq", 1.0), [
        ("integer 1 equals literal 1.0", {"x": 1}, True),
        ("1.5 does not equal 1.0", {"x": 1.5}, False),
    ])
    add("t-eq-bool", clause("beta", "eq", True), [
        ("true equals true", {"beta": True}, True),
        ("string \"true\" never equals true", {"beta": "true"}, False),
        ("number 1 never equals true", {"beta": 1}, False),
        ("false does not equal true", {"beta": False}, False),
    ])
    add("t-neq-mismatch", clause("n", "neq", 5), [
        ("mismatched type: string \"5\" is not equal, so neq holds", {"n": "5"}, True),
        ("equal number: neq does not hold", {"n": 5}, False),
        ("missing attribute: neq is false", {}, False),
        ("null attribute counts as missing: neq is false", {"n": None}, False),
    ])
    add("t-not-in-mismatch", clause("n", "not_in", values=[5, 6]), [
        ("mismatched type: string \"5\" is not in [5, 6]", {"n": "5"}, True),
        ("number in list: not_in does not hold", {"n": 6.0}, False),
        ("missing attribute: not_in is false", {}, False),
    ])
    add("t-in-numbers", clause("n", "in", values=[1, 2.5]), [
        ("1.0 is in [1, 2.5]", {"n": 1.0}, True),
        ("2.5 is in [1, 2.5]", {"n": 2.5}, True),
        ("string \"2.5\" is not in [1, 2.5]", {"n": "2.5"}, False),
    ])
    add("t-in-booleans", clause("flagged", "in", values=[True]), [
        ("true is in [true]", {"flagged": True}, True),
        ("string \"true\" is not in [true]", {"flagged": "true"}, False),
    ])
    add("t-lt-mismatch", clause("n", "lt", 10), [
        ("string \"5\" is a type mismatch: lt does not hold", {"n": "5"}, False),
        ("boolean is a type mismatch: lt does not hold", {"n": False}, False),
        ("number below holds", {"n": 5}, True),
    ])
    add("t-lt-mismatch-negate", clause("n", "lt", 10, negate=True), [
        ("negate inverts a type mismatch (false -> true): string \"5\"", {"n": "5"}, True),
        ("negate inverts a holding comparison", {"n": 5}, False),
        ("negate keeps a missing attribute false", {}, False),
    ])
    add("t-contains-mismatch", clause("code", "contains", "1"), [
        ("number attribute is a type mismatch for contains", {"code": 123}, False),
        ("string attribute holds", {"code": "A123"}, True),
    ])
    add("t-semver-negate-invalid", clause("appVersion", "semver_lt", "2.0.0", negate=True), [
        ("negate inverts an unparseable attribute (false -> true)", {"appVersion": "latest"},
         True),
        ("negate inverts a holding comparison", {"appVersion": "1.0.0"}, False),
        ("negate keeps a missing attribute false", {}, False),
    ])
    add("t-missing-negate", clause("country", "eq", "DE", negate=True), [
        ("missing attribute keeps a negated clause false", {}, False),
        ("null attribute keeps a negated clause false", {"country": None}, False),
        ("present other value: negated eq holds", {"country": "FR"}, True),
        ("present equal value: negated eq does not hold", {"country": "DE"}, False),
    ])
    add("t-missing-eq", clause("country", "eq", "DE"), [
        ("missing attribute: eq is false", {}, False),
        ("null attribute: eq is false", {"country": None}, False),
    ])
    add("t-array-eq", clause("roles", "eq", "admin"), [
        ("array: holds when any element is equal", {"roles": ["dev", "admin"]}, True),
        ("array: no element equal", {"roles": ["dev", "ops"]}, False),
        ("empty array: eq does not hold", {"roles": []}, False),
        ("array with mixed element types: string element equal", {"roles": [5, "admin"]}, True),
        ("single string attribute still works", {"roles": "admin"}, True),
    ])
    add("t-array-eq-number", clause("roles", "eq", 5), [
        ("array of strings: \"5\" never equals 5", {"roles": ["5"]}, False),
        ("array with number 5.0 equals 5", {"roles": ["x", 5.0]}, True),
    ])
    add("t-array-neq", clause("roles", "neq", "admin"), [
        ("array: neq holds when no element is equal", {"roles": ["dev", "ops"]}, True),
        ("array: neq does not hold when one element is equal", {"roles": ["dev", "admin"]},
         False),
        ("empty array: neq holds (no element is equal)", {"roles": []}, True),
    ])
    add("t-array-in", clause("roles", "in", values=["admin", "owner"]), [
        ("array: some element in list", {"roles": ["viewer", "owner"]}, True),
        ("array: no element in list", {"roles": ["viewer"]}, False),
        ("empty array: in does not hold", {"roles": []}, False),
    ])
    add("t-array-not-in", clause("roles", "not_in", values=["admin", "owner"]), [
        ("array: no element in list -> not_in holds", {"roles": ["dev"]}, True),
        ("array: one element in list -> not_in does not hold", {"roles": ["dev", "owner"]},
         False),
        ("empty array: not_in holds", {"roles": []}, True),
    ])
    add("t-array-contains", clause("tags", "contains", "beta"), [
        ("array: some element contains the substring", {"tags": ["x", "public-beta"]}, True),
        ("array: no element contains it", {"tags": ["alpha", "stable"]}, False),
    ])
    add("t-array-gt", clause("scores", "gt", 90), [
        ("array: some element greater", {"scores": [50, 95]}, True),
        ("array: no element greater", {"scores": [50, 90]}, False),
        ("empty array: gt does not hold", {"scores": []}, False),
        ("array of numeric strings: type mismatch", {"scores": ["95"]}, False),
    ])
    add("t-array-semver", clause("versions", "semver_gte", "2.0.0"), [
        ("array: one valid element satisfies, an invalid one is skipped",
         {"versions": ["1.0.0", "not-semver", "2.1.0"]}, True),
        ("array: no element satisfies", {"versions": ["1.0.0", "garbage"]}, False),
    ])
    add("t-array-before", clause("logins", "before", "2026-01-01T00:00:00Z"), [
        ("array: one element (unix ms) before", {"logins": [1767225600000, 1767225599000]},
         True),
        ("array: none before", {"logins": ["2026-02-01T00:00:00Z", 1767225600000]}, False),
    ])
    add("t-array-eq-negate", clause("roles", "eq", "admin", negate=True), [
        ("empty array is present: negated eq holds", {"roles": []}, True),
        ("array containing the value: negated eq does not hold", {"roles": ["admin"]}, False),
    ])
    add("t-ignore-case-eq", clause("country", "eq", "de", ignore_case=True), [
        ("ASCII case folded", {"country": "DE"}, True),
        ("different value still differs", {"country": "AT"}, False),
    ])
    add("t-ignore-case-neq", clause("country", "neq", "de", ignore_case=True), [
        ("neq with ignore_case: same letters in other case are equal", {"country": "De"},
         False),
        ("neq with ignore_case: other value", {"country": "FR"}, True),
    ])
    add("t-ignore-case-in", clause("country", "in", values=["de", "at"], ignore_case=True), [
        ("in with ignore_case", {"country": "AT"}, True),
    ])
    add("t-ignore-case-not-in", clause("country", "not_in", values=["de"], ignore_case=True), [
        ("not_in with ignore_case: folded value is in the list", {"country": "De"}, False),
        ("not_in with ignore_case: other value", {"country": "CH"}, True),
    ])
    add("t-ignore-case-contains", clause("email", "contains", "EXAMPLE", ignore_case=True), [
        ("contains with ignore_case", {"email": "ana@example.com"}, True),
    ])
    add("t-ignore-case-sigma", clause("city", "eq", "ΟΔΟΣ", ignore_case=True), [
        ("ignore_case: final sigma ς matches Σ", {"city": "οδος"}, True),
        ("ignore_case: medial sigma σ at the end matches Σ", {"city": "οδοσ"}, True),
        ("ignore_case: Unicode uppercase matches", {"city": "ΟΔΟΣ"}, True),
        ("ignore_case: other Greek word differs", {"city": "οδοι"}, False),
    ])
    add("t-ignore-case-sigma-prefix", clause("city", "starts_with", "ΟΔΟΣ", ignore_case=True), [
        ("ignore_case: a word ending in Σ is a prefix of a longer word", {"city": "ΟΔΟΣΤΡΩΜΑ"},
         True),
    ])
    add("t-sigma-case-sensitive", clause("city", "eq", "οδος"), [
        ("without ignore_case ς and σ differ", {"city": "οδοσ"}, False),
    ])
    add("t-ignore-case-ends-with", clause("email", "ends_with", "@Example.COM",
                                          ignore_case=True), [
        ("ends_with with ignore_case", {"email": "X@EXAMPLE.com"}, True),
    ])
    add("t-ignore-case-unicode", clause("city", "starts_with", "ÄPFEL", ignore_case=True), [
        ("Unicode simple lowercasing: Ä matches ä", {"city": "äpfelstadt"}, True),
        ("no ignore_case semantics beyond lowercasing (Ö is not O)", {"city": "öpfel"}, False),
    ])
    add("t-ignore-case-no-expansion", clause("street", "eq", "STRASSE", ignore_case=True), [
        ("simple lowercasing does not turn ß into ss", {"street": "straße"}, False),
        ("plain case difference", {"street": "Strasse"}, True),
    ])
    add("t-case-sensitive-default", clause("email", "ends_with", "@example.com"), [
        ("without ignore_case the comparison is exact", {"email": "x@EXAMPLE.COM"}, False),
    ])
    # number-valued flag with integer and fractional variants: one type
    F["t-number-variants"] = {"variants": {"one": 1, "half": 0.5, "big": 1e21}, "off": "one",
                              "rules": [{"if": clause("plan", "eq", "pro"), "serve": "half"}],
                              "default": "big"}
    C.append(case("t-number-variants: integer and fractional variants are one type (number)",
                  "t-number-variants", expect(0.5, "half", "TARGETING_MATCH", rule=0),
                  {"plan": "pro"}, type="number"))
    C.append(case("t-number-variants: large number variant served as is",
                  "t-number-variants", expect(1e21, "big", "DEFAULT"), {}, type="number"))
    desc = (
        "The 'Type rules, precisely' section: no coercion (\"5\" vs 5, \"true\" vs true), 1 == "
        "1.0, mismatched types (eq false; neq/not_in true; lt/contains/semver/before false), "
        "array attributes (positive operators: any element; neq/not_in: no element; empty "
        "array = present with no elements), null = missing, missing attribute keeps negated "
        "clauses false, ignore_case. Choices where the spec is open: (1) `negate` inverts the "
        "result of a type mismatch or an unparseable value too (only a missing/null attribute "
        "stays false), so `lt` negated on \"5\" holds and `semver_lt` negated on \"latest\" holds; "
        "(2) ignore_case uses Unicode *simple* lowercasing, one code point to one code point "
        "(ß stays ß); (3) mixed-type elements in an array attribute are each compared on their "
        "own type. " + COMMON_FORMAT)
    return write("types.json", desc, ruleset(F), C)


# ============================================================================= conditions.json
def conditions():
    DE = clause("country", "eq", "DE")
    PRO = clause("plan", "eq", "pro")
    F = {
        "g-all": bool_flag({"all": [DE, PRO]}),
        "g-all-empty": bool_flag({"all": []}),
        "g-any": bool_flag({"any": [DE, clause("beta", "eq", True)]}),
        "g-any-empty": bool_flag({"any": []}),
        "g-not": bool_flag({"not": DE}),
        "g-not-any-empty": bool_flag({"not": {"any": []}}),
        "g-not-all-empty": bool_flag({"not": {"all": []}}),
        "g-nested": bool_flag({"all": [
            {"any": [clause("country", "in", values=["DE", "AT"]), clause("staff", "eq", True)]},
            {"not": clause("plan", "eq", "free")},
            {"all": [{"any": [{"not": {"not": clause("age", "gte", 18)}}]}]},
        ]}),
        "g-order": {"variants": {"de": "de", "pro": "pro", "everyone": "everyone",
                                 "none": "none"},
                    "off": "none",
                    "rules": [{"id": "germany", "if": DE, "serve": "de"},
                              {"id": "pro-plan", "if": PRO, "serve": "pro"},
                              {"if": {"all": []}, "serve": "everyone"}],
                    "default": "none"},
        "g-order-no-catch-all": {"variants": {"de": "de", "pro": "pro", "none": "none"},
                                 "off": "none",
                                 "rules": [{"if": DE, "serve": "de"},
                                           {"if": PRO, "serve": "pro"}],
                                 "default": "none"},
    }
    C = [
        case("g-all: every condition matches", "g-all", MATCH, {"country": "DE", "plan": "pro"}),
        case("g-all: one condition fails", "g-all", NOMATCH, {"country": "DE", "plan": "free"}),
        case("g-all: empty all matches even an empty context", "g-all-empty", MATCH, {}),
        case("g-any: one of two matches", "g-any", MATCH, {"country": "FR", "beta": True}),
        case("g-any: none matches", "g-any", NOMATCH, {"country": "FR", "beta": False}),
        case("g-any: empty any never matches", "g-any-empty", NOMATCH, {"country": "DE"}),
        case("g-not: inner fails -> matches", "g-not", MATCH, {"country": "FR"}),
        case("g-not: inner matches -> does not match", "g-not", NOMATCH, {"country": "DE"}),
        case("g-not: missing attribute makes the inner clause false, so not(...) matches "
             "(unlike negate)", "g-not", MATCH, {}),
        case("g-not: not(any []) matches", "g-not-any-empty", MATCH, {}),
        case("g-not: not(all []) does not match", "g-not-all-empty", NOMATCH, {}),
        case("g-nested: all three branches hold", "g-nested", MATCH,
             {"country": "AT", "plan": "pro", "age": 30}),
        case("g-nested: any-branch via staff", "g-nested", MATCH,
             {"country": "US", "staff": True, "age": 18}),
        case("g-nested: excluded by not(plan eq free)", "g-nested", NOMATCH,
             {"country": "DE", "plan": "free", "age": 30}),
        case("g-nested: double not of a failing clause fails", "g-nested", NOMATCH,
             {"country": "DE", "age": 17}),
        case("g-nested: missing age fails the double-not branch", "g-nested", NOMATCH,
             {"country": "DE"}),
        case("g-order: first matching rule wins (rule 0 over rule 1)", "g-order",
             expect("de", "de", "TARGETING_MATCH", rule=0), {"country": "DE", "plan": "pro"}),
        case("g-order: rule 1 when rule 0 fails", "g-order",
             expect("pro", "pro", "TARGETING_MATCH", rule=1), {"country": "FR", "plan": "pro"}),
        case("g-order: catch-all rule 2 (all []) beats the default", "g-order",
             expect("everyone", "everyone", "TARGETING_MATCH", rule=2), {}),
        case("g-order-no-catch-all: no rule matches -> default, reason DEFAULT",
             "g-order-no-catch-all", expect("none", "none", "DEFAULT"), {"country": "FR"}),
    ]
    desc = (
        "Condition groups: all / any / not, empty groups (`all: []` matches, `any: []` does "
        "not), nesting, and rule order (the first matching rule decides; rule is its index). "
        "Choice: `not` is a group and simply inverts its inner condition, so `not` of a clause on "
        "a missing attribute matches (contrast with `negate`, which keeps it false). "
        + COMMON_FORMAT)
    return write("conditions.json", desc, ruleset(F), C)


# ============================================================================= segments.json
def segments():
    S = {
        "staff": {"description": "e-mail domain, plus contractors; exclusions win",
                  "if": clause("email", "ends_with", "@example.com", ignore_case=True),
                  "include": ["contractor-17", "user-5"], "exclude": ["user-3", "user-5"]},
        "beta-orgs": {"by": "orgId", "include": ["org-7", "org-9", "42"],
                      "exclude": ["org-13", "-1"]},
        "de-orgs": {"by": "orgId", "if": clause("country", "eq", "DE"), "exclude": ["org-13"]},
        "vip": {"include": ["user-1", "1001"]},
        "nobody": {"exclude": ["user-1"]},
        "everyone-but": {"if": {"all": []}, "exclude": ["user-2"]},
    }
    F = {
        "seg-staff": bool_flag({"segment": "staff"}),
        "seg-beta-orgs": bool_flag({"segment": "beta-orgs"}),
        "seg-de-orgs": bool_flag({"segment": "de-orgs"}),
        "seg-vip": bool_flag({"segment": "vip"}),
        "seg-nobody": bool_flag({"segment": "nobody"}),
        "seg-everyone-but": bool_flag({"segment": "everyone-but"}),
        "seg-not-staff": bool_flag({"not": {"segment": "staff"}}),
        "seg-staff-and-de": bool_flag({"all": [{"segment": "staff"}, clause("country", "eq", "DE")]}),
    }
    C = [
        case("seg-staff: include by targetingKey", "seg-staff", MATCH,
             {"targetingKey": "contractor-17"}),
        case("seg-staff: `if` matches (ignore_case)", "seg-staff", MATCH,
             {"targetingKey": "user-9", "email": "Ana@EXAMPLE.com"}),
        case("seg-staff: `if` matches without any targetingKey", "seg-staff", MATCH,
             {"email": "ana@example.com"}),
        case("seg-staff: neither included nor matching", "seg-staff", NOMATCH,
             {"targetingKey": "user-9", "email": "ana@elsewhere.org"}),
        case("seg-staff: exclude wins over `if`", "seg-staff", NOMATCH,
             {"targetingKey": "user-3", "email": "three@example.com"}),
        case("seg-staff: exclude wins over include", "seg-staff", NOMATCH,
             {"targetingKey": "user-5"}),
        case("seg-beta-orgs: include by another attribute (orgId)", "seg-beta-orgs", MATCH,
             {"targetingKey": "user-1", "orgId": "org-7"}),
        case("seg-beta-orgs: `by` is orgId, so a targetingKey equal to an included key does not "
             "count", "seg-beta-orgs", NOMATCH, {"targetingKey": "org-7"}),
        case("seg-beta-orgs: integer-valued by attribute is looked up as its decimal text",
             "seg-beta-orgs", MATCH, {"orgId": 42}),
        case("seg-beta-orgs: string \"42\" is included too", "seg-beta-orgs", MATCH,
             {"orgId": "42"}),
        case("seg-beta-orgs: negative integer looked up as \"-1\" and excluded",
             "seg-beta-orgs", NOMATCH, {"orgId": -1}),
        case("seg-beta-orgs: a non-integer number is never in a key list (no error)",
             "seg-beta-orgs", NOMATCH, {"orgId": 42.5}),
        case("seg-beta-orgs: a boolean is never in a key list (no error)", "seg-beta-orgs",
             NOMATCH, {"orgId": True}),
        case("seg-beta-orgs: excluded org", "seg-beta-orgs", NOMATCH, {"orgId": "org-13"}),
        case("seg-de-orgs: `if` applies when the by attribute is missing", "seg-de-orgs", MATCH,
             {"country": "DE"}),
        case("seg-de-orgs: exclude (by orgId) wins over `if`", "seg-de-orgs", NOMATCH,
             {"country": "DE", "orgId": "org-13"}),
        case("seg-de-orgs: `if` does not match", "seg-de-orgs", NOMATCH,
             {"country": "FR", "orgId": "org-1"}),
        case("seg-vip: include only, member", "seg-vip", MATCH, {"targetingKey": "user-1"}),
        case("seg-vip: integer targetingKey looked up as decimal text", "seg-vip", MATCH,
             {"targetingKey": 1001}),
        case("seg-vip: include only, non-member", "seg-vip", NOMATCH, {"targetingKey": "user-2"}),
        case("seg-vip: missing targetingKey is simply not a member (no error)", "seg-vip",
             NOMATCH, {}),
        case("seg-nobody: a segment without include or `if` matches no one", "seg-nobody",
             NOMATCH, {"targetingKey": "user-7"}),
        case("seg-everyone-but: `if: all []` puts everyone else in", "seg-everyone-but", MATCH,
             {"targetingKey": "user-7"}),
        case("seg-everyone-but: excluded key", "seg-everyone-but", NOMATCH,
             {"targetingKey": "user-2"}),
        case("seg-not-staff: not(segment) for a non-member", "seg-not-staff", MATCH,
             {"targetingKey": "user-9"}),
        case("seg-not-staff: not(segment) for a member", "seg-not-staff", NOMATCH,
             {"targetingKey": "contractor-17"}),
        case("seg-staff-and-de: segment inside all, both hold", "seg-staff-and-de", MATCH,
             {"targetingKey": "contractor-17", "country": "DE"}),
        case("seg-staff-and-de: segment holds, clause fails", "seg-staff-and-de", NOMATCH,
             {"targetingKey": "contractor-17", "country": "FR"}),
    ]
    desc = (
        "Segments: include, exclude (wins over include and over `if`), `if`, `by` another "
        "attribute, integer `by` values as decimal text. Choices: (1) segment membership never "
        "raises an error: a missing, boolean or non-integer `by` value is just not found in the "
        "key lists, and the segment's `if` is still evaluated; (2) a segment with neither "
        "`include` hit nor `if` contains no one. Flags `seg-*` serve `on` (rule 0) for "
        "members, else `off` (DEFAULT). " + COMMON_FORMAT)
    return write("segments.json", desc, ruleset(F, S), C)


# ============================================================================= prerequisites.json
def prerequisites():
    DE = clause("country", "eq", "DE")
    STR = {"new": "new", "old": "old"}
    F = {
        "base": bool_flag(DE),
        "base-disabled": {"variants": dict(BOOL), "off": "off", "enabled": False,
                          "default": "on"},
        "needs-base": {"variants": dict(BOOL), "off": "off",
                       "prerequisites": [{"flag": "base", "variant": "on"}], "default": "on"},
        "chain-top": {"variants": dict(STR), "off": "old",
                      "prerequisites": [{"flag": "needs-base", "variant": "on"}],
                      "default": "new"},
        "needs-base-with-rule": {"variants": {"gold": "gold", "silver": "silver", "none": "none"},
                                 "off": "none",
                                 "prerequisites": [{"flag": "base", "variant": "on"}],
                                 "rules": [{"if": clause("plan", "eq", "pro"), "serve": "gold"}],
                                 "default": "silver"},
        "needs-disabled-on": {"variants": dict(BOOL), "off": "off",
                              "prerequisites": [{"flag": "base-disabled", "variant": "on"}],
                              "default": "on"},
        "needs-disabled-off": {"variants": {"yes": "yes", "no": "no"}, "off": "no",
                               "prerequisites": [{"flag": "base-disabled", "variant": "off"}],
                               "default": "yes"},
        "base-off-variant": bool_flag(clause("plan", "eq", "pro")),
        "needs-base-off": {"variants": {"yes": "yes", "no": "no"}, "off": "no",
                           "prerequisites": [{"flag": "base-off-variant", "variant": "off"}],
                           "default": "yes"},
        "rollout-all": {"variants": dict(BOOL), "off": "off",
                        "default": {"rollout": {"variants": {"on": 1}}}},
        "needs-rollout": {"variants": dict(BOOL), "off": "off",
                          "prerequisites": [{"flag": "rollout-all", "variant": "on"}],
                          "default": "on"},
        "tier": {"variants": {"gold": 3, "silver": 2, "bronze": 1}, "off": "bronze",
                 "rules": [{"if": clause("spend", "gte", 1000), "serve": "gold"},
                           {"if": clause("spend", "gte", 100), "serve": "silver"}],
                 "default": "bronze"},
        "needs-two": {"variants": {"a": {"layout": "a"}, "b": {"layout": "b"}}, "off": "a",
                      "prerequisites": [{"flag": "base", "variant": "on"},
                                        {"flag": "tier", "variant": "silver"}],
                      "default": "b"},
        "mid": {"variants": dict(BOOL), "off": "off",
                "prerequisites": [{"flag": "base", "variant": "on"}],
                "rules": [{"if": {"all": []}, "serve": "on"}], "default": "on"},
        "needs-mid-off": {"variants": {"yes": "yes", "no": "no"}, "off": "no",
                          "prerequisites": [{"flag": "mid", "variant": "off"}],
                          "default": "yes"},
    }
    YES = expect("yes", "yes", "DEFAULT")
    NO = expect("no", "no", "DEFAULT")
    C = [
        case("needs-base: prerequisite met -> own default, reason DEFAULT (not STATIC)",
             "needs-base", expect(True, "on", "DEFAULT"), {"country": "DE"}),
        case("needs-base: prerequisite serves another variant -> off, DEFAULT", "needs-base",
             expect(False, "off", "DEFAULT"), {"country": "FR"}),
        case("chain-top: chain of two met", "chain-top", expect("new", "new", "DEFAULT"),
             {"country": "DE"}),
        case("chain-top: chain of two, the far prerequisite fails -> off", "chain-top",
             expect("old", "old", "DEFAULT"), {"country": "FR"}),
        case("needs-base-with-rule: met, rule matches -> TARGETING_MATCH",
             "needs-base-with-rule", expect("gold", "gold", "TARGETING_MATCH", rule=0),
             {"country": "DE", "plan": "pro"}),
        case("needs-base-with-rule: met, no rule -> default", "needs-base-with-rule",
             expect("silver", "silver", "DEFAULT"), {"country": "DE", "plan": "free"}),
        case("needs-base-with-rule: unmet -> off even though the rule would match",
             "needs-base-with-rule", expect("none", "none", "DEFAULT"),
             {"country": "FR", "plan": "pro"}),
        case("needs-disabled-on: prerequisite disabled -> off", "needs-disabled-on",
             expect(False, "off", "DEFAULT"), {}),
        case("needs-disabled-off: a disabled prerequisite evaluates to its off variant; when that "
             "is the required variant the prerequisite is met", "needs-disabled-off", YES, {}),
        case("needs-base-off: requiring a variant the prerequisite serves by DEFAULT is met",
             "needs-base-off", YES, {"plan": "free"}),
        case("needs-base-off: prerequisite serves another variant (TARGETING_MATCH on)",
             "needs-base-off", NO, {"plan": "pro"}),
        case("needs-rollout: prerequisite rollout serves on", "needs-rollout",
             expect(True, "on", "DEFAULT"), {"targetingKey": "user-1"}),
        case("needs-rollout: prerequisite errors (TARGETING_KEY_MISSING) -> unmet, off, no error",
             "needs-rollout", expect(False, "off", "DEFAULT"), {}),
        case("needs-two: both met", "needs-two", expect({"layout": "b"}, "b", "DEFAULT"),
             {"country": "DE", "spend": 500}, type="object"),
        case("needs-two: first met, second serves another variant", "needs-two",
             expect({"layout": "a"}, "a", "DEFAULT"), {"country": "DE", "spend": 5000},
             type="object"),
        case("needs-two: first unmet", "needs-two", expect({"layout": "a"}, "a", "DEFAULT"),
             {"country": "FR", "spend": 500}),
        case("needs-mid-off: prerequisite `mid` itself unmet serves its off variant, which is "
             "the required one -> met", "needs-mid-off", YES, {"country": "FR"}),
        case("needs-mid-off: prerequisite `mid` met serves on -> unmet", "needs-mid-off", NO,
             {"country": "DE"}),
        case("base: evaluated directly", "base", MATCH, {"country": "DE"}),
    ]
    desc = (
        "Prerequisites: met, unmet (-> the flag's off variant, reason DEFAULT, rule null, rules "
        "not evaluated), disabled prerequisite, prerequisite that errors, chains of two, several "
        "prerequisites. A prerequisite is evaluated with the same context and now, without a "
        "requested type. Choices: (1) following the Flags table ('every listed flag must "
        "evaluate ... to the given variant'), a prerequisite is met exactly when it evaluates "
        "without error to the required variant, whatever its reason: a disabled prerequisite "
        "evaluates to its off variant, so it is unmet unless the required variant is that off "
        "variant (then met); likewise requiring `off` of a flag that serves `off` by DEFAULT, or "
        "because its own prerequisite failed, is met; (2) a prerequisite's error is not "
        "propagated: the dependent serves off with reason DEFAULT. " + COMMON_FORMAT)
    return write("prerequisites.json", desc, ruleset(F), C)


# ============================================================================= kill-switch.json
def kill_switch():
    F = {
        "ks-bool": {"variants": dict(BOOL), "off": "off", "enabled": False,
                    "rules": [{"if": {"all": []}, "serve": "on"}], "default": "on"},
        "ks-rollout": {"variants": {"control": "Buy now", "short": "Buy"}, "off": "control",
                       "enabled": False,
                       "default": {"rollout": {"variants": {"short": 1}}}},
        "ks-number": {"variants": {"low": 1, "high": 100}, "off": "low", "enabled": False,
                      "default": "high"},
        "ks-with-failing-prereq": {"variants": dict(BOOL), "off": "off", "enabled": False,
                                   "prerequisites": [{"flag": "ks-bool", "variant": "on"}],
                                   "default": "on"},
        "ks-enabled": {"variants": dict(BOOL), "off": "off", "enabled": True, "default": "on"},
        "ks-dependent": {"variants": dict(BOOL), "off": "off",
                         "prerequisites": [{"flag": "ks-bool", "variant": "on"}],
                         "default": "on"},
        "ks-off-is-on": {"variants": dict(BOOL), "off": "on", "enabled": False,
                         "default": "off"},
    }
    D = expect(False, "off", "DISABLED")
    C = [
        case("ks-bool: disabled serves off, reason DISABLED, even though a rule would match",
             "ks-bool", D, {"targetingKey": "user-1"}),
        case("ks-bool: disabled with empty context", "ks-bool", D, {}, type="boolean"),
        case("ks-rollout: disabled rollout flag serves off, no rollout evaluated",
             "ks-rollout", expect("Buy now", "control", "DISABLED"), {"targetingKey": "user-1"}),
        case("ks-rollout: disabled rollout flag needs no targetingKey", "ks-rollout",
             expect("Buy now", "control", "DISABLED"), {}, type="string"),
        case("ks-number: disabled number flag", "ks-number", expect(1, "low", "DISABLED"), {},
             type="number"),
        case("ks-with-failing-prereq: DISABLED is decided before prerequisites",
             "ks-with-failing-prereq", D, {}),
        case("ks-enabled: explicit enabled true behaves normally (STATIC)", "ks-enabled",
             expect(True, "on", "STATIC"), {}),
        case("ks-dependent: a flag whose prerequisite is disabled serves off, DEFAULT",
             "ks-dependent", expect(False, "off", "DEFAULT"), {}),
        case("ks-off-is-on: DISABLED serves whatever variant `off` names", "ks-off-is-on",
             expect(True, "on", "DISABLED"), {}),
        case("ks-bool: asked as string -> TYPE_MISMATCH even when disabled", "ks-bool",
             error("TYPE_MISMATCH"), {}, type="string"),
        case("ks-bool: context that is not an object -> INVALID_CONTEXT before DISABLED",
             "ks-bool", error("INVALID_CONTEXT"), context_json="[1,2]"),
        case("ks-bool: context text that is not JSON -> PARSE_ERROR before DISABLED", "ks-bool",
             error("PARSE_ERROR"), context_json="{oops"),
    ]
    desc = (
        "The kill switch (`enabled: false`): the off variant, reason DISABLED, rule and stage "
        "null, decided before prerequisites, rules and rollouts (so no targetingKey is needed). "
        "Choices: (1) a requested type that does not match the flag's variant type is "
        "TYPE_MISMATCH even for a disabled flag (the type check is a property of the flag, done "
        "right after the context is accepted); (2) context errors (step 2) come before "
        "DISABLED (step 3). " + COMMON_FORMAT)
    return write("kill-switch.json", desc, ruleset(F), C)


# ============================================================================= reasons-and-errors.json
def reasons_and_errors():
    DE = clause("country", "eq", "DE")
    F = {
        "static-bool": {"variants": dict(BOOL), "off": "off", "default": "on"},
        "static-empty-lists": {"variants": dict(BOOL), "off": "off", "prerequisites": [],
                               "rules": [], "default": "on"},
        "static-string": {"variants": {"a": "Hello", "b": "Hallo"}, "off": "a", "default": "b"},
        "static-number": {"variants": {"small": 0.25, "zero": 0}, "off": "zero",
                          "default": "small"},
        "static-object": {"variants": {"red": {"color": "red", "sizes": [1, 2]},
                                       "blue": {"color": "blue", "sizes": []}},
                          "off": "red", "default": "blue"},
        "static-array": {"variants": {"list": [1, "two", True], "empty": []}, "off": "empty",
                         "default": "list"},
        "Team.checkout_v2-beta:1": {"variants": {"A.b_c-d:9": "ok"}, "off": "A.b_c-d:9",
                                    "default": "A.b_c-d:9"},
        "with-rules": {"variants": dict(BOOL), "off": "off",
                       "rules": [{"id": "germany", "if": DE, "serve": "on"},
                                 {"if": clause("plan", "eq", "pro"), "serve": "on"}],
                       "default": "off"},
        "with-prereq": {"variants": dict(BOOL), "off": "off",
                        "prerequisites": [{"flag": "static-bool", "variant": "on"}],
                        "default": "on"},
        "split-rule": {"variants": dict(BOOL), "off": "off",
                       "rules": [{"if": DE, "serve": {"rollout": {"variants": {"on": 1}}}}],
                       "default": "off"},
        "split-default": {"variants": dict(BOOL), "off": "off",
                          "default": {"rollout": {"variants": {"on": 1}, "percent": 100}}},
        "split-zero": {"variants": dict(BOOL), "off": "off",
                       "default": {"rollout": {"variants": {"on": 1}, "percent": 0}}},
        "by-org": {"variants": dict(BOOL), "off": "off",
                   "default": {"rollout": {"by": "orgId", "variants": {"on": 1}}}},
    }
    ON_SPLIT = expect(True, "on", "SPLIT")
    C = [
        # reasons
        case("STATIC: no rules, no prerequisites, default variant", "static-bool",
             expect(True, "on", "STATIC"), {"targetingKey": "user-1", "country": "DE"}),
        case("STATIC: empty rules and prerequisites arrays count as none", "static-empty-lists",
             expect(True, "on", "STATIC"), {}),
        case("STATIC: string flag", "static-string", expect("Hallo", "b", "STATIC"), {},
             type="string"),
        case("STATIC: number flag", "static-number", expect(0.25, "small", "STATIC"), {},
             type="number"),
        case("STATIC: object flag", "static-object",
             expect({"color": "blue", "sizes": []}, "blue", "STATIC"), {}, type="object"),
        case("STATIC: array-valued flag is of type object", "static-array",
             expect([1, "two", True], "list", "STATIC"), {}, type="object"),
        case("STATIC: flag and variant keys using every allowed character class",
             "Team.checkout_v2-beta:1", expect("ok", "A.b_c-d:9", "STATIC"), {}, type="string"),
        case("TARGETING_MATCH: rule 0 (with id)", "with-rules",
             expect(True, "on", "TARGETING_MATCH", rule=0), {"country": "DE"}),
        case("TARGETING_MATCH: rule 1 (without id)", "with-rules",
             expect(True, "on", "TARGETING_MATCH", rule=1), {"plan": "pro"}),
        case("DEFAULT: rules exist but none matches", "with-rules",
             expect(False, "off", "DEFAULT"), {"country": "FR"}),
        case("DEFAULT: no rules but a (met) prerequisite", "with-prereq",
             expect(True, "on", "DEFAULT"), {}),
        case("SPLIT: rollout served by a rule reports the rule", "split-rule",
             expect(True, "on", "SPLIT", rule=0), {"targetingKey": "user-1", "country": "DE"}),
        case("DEFAULT: the rule with the rollout does not match", "split-rule",
             expect(False, "off", "DEFAULT"), {"targetingKey": "user-1", "country": "FR"}),
        case("SPLIT: default rollout at 100%", "split-default", ON_SPLIT,
             {"targetingKey": "user-1"}),
        case("SPLIT: a 0% rollout still reports SPLIT (served otherwise = off)", "split-zero",
             expect(False, "off", "SPLIT"), {"targetingKey": "user-1"}),
        case("SPLIT: empty-string targetingKey is present and is a valid unit",
             "split-default", ON_SPLIT, {"targetingKey": ""}),
        case("SPLIT: integer targetingKey is a valid unit", "split-default", ON_SPLIT,
             {"targetingKey": 123}),
        case("SPLIT: context given as JSON text", "split-default", ON_SPLIT,
             context_json="{\"targetingKey\": \"user-1\"}"),
        # FLAG_NOT_FOUND
        case("FLAG_NOT_FOUND: unknown key", "no-such-flag", error("FLAG_NOT_FOUND"), {}),
        case("FLAG_NOT_FOUND: with a requested type", "no-such-flag", error("FLAG_NOT_FOUND"),
             {}, type="boolean"),
        case("FLAG_NOT_FOUND: keys are case-sensitive", "Static-Bool", error("FLAG_NOT_FOUND"),
             {}),
        case("FLAG_NOT_FOUND comes before PARSE_ERROR", "no-such-flag",
             error("FLAG_NOT_FOUND"), context_json="not json"),
        # TYPE_MISMATCH
        case("TYPE_MISMATCH: boolean flag asked as string", "static-bool",
             error("TYPE_MISMATCH"), {}, type="string"),
        case("TYPE_MISMATCH: boolean flag asked as number", "static-bool",
             error("TYPE_MISMATCH"), {}, type="number"),
        case("TYPE_MISMATCH: boolean flag asked as object", "static-bool",
             error("TYPE_MISMATCH"), {}, type="object"),
        case("TYPE_MISMATCH: string flag asked as boolean", "static-string",
             error("TYPE_MISMATCH"), {}, type="boolean"),
        case("TYPE_MISMATCH: string flag asked as number", "static-string",
             error("TYPE_MISMATCH"), {}, type="number"),
        case("TYPE_MISMATCH: number flag asked as string", "static-number",
             error("TYPE_MISMATCH"), {}, type="string"),
        case("TYPE_MISMATCH: number flag asked as boolean", "static-number",
             error("TYPE_MISMATCH"), {}, type="boolean"),
        case("TYPE_MISMATCH: object flag asked as string", "static-object",
             error("TYPE_MISMATCH"), {}, type="string"),
        case("TYPE_MISMATCH: array flag asked as number", "static-array",
             error("TYPE_MISMATCH"), {}, type="number"),
        case("TYPE_MISMATCH: string flag asked as object", "static-string",
             error("TYPE_MISMATCH"), {}, type="object"),
        case("matching type: boolean", "static-bool", expect(True, "on", "STATIC"), {},
             type="boolean"),
        # TARGETING_KEY_MISSING / INVALID_CONTEXT from rollouts
        case("TARGETING_KEY_MISSING: default rollout, no targetingKey", "split-default",
             error("TARGETING_KEY_MISSING"), {"country": "DE"}),
        case("TARGETING_KEY_MISSING: null targetingKey counts as missing", "split-default",
             error("TARGETING_KEY_MISSING"), {"targetingKey": None}),
        case("TARGETING_KEY_MISSING: even a 0% rollout needs its unit", "split-zero",
             error("TARGETING_KEY_MISSING"), {}),
        case("TARGETING_KEY_MISSING: rollout in a matching rule", "split-rule",
             error("TARGETING_KEY_MISSING"), {"country": "DE"}),
        case("no error when the rule holding the rollout does not match", "split-rule",
             expect(False, "off", "DEFAULT"), {"country": "FR"}),
        case("INVALID_CONTEXT: boolean targetingKey", "split-default",
             error("INVALID_CONTEXT"), {"targetingKey": True}),
        case("INVALID_CONTEXT: non-integer number targetingKey", "split-default",
             error("INVALID_CONTEXT"), {"targetingKey": 2.5}),
        case("INVALID_CONTEXT: array targetingKey", "split-default",
             error("INVALID_CONTEXT"), {"targetingKey": ["user-1"]}),
        case("INVALID_CONTEXT: custom `by` attribute missing", "by-org",
             error("INVALID_CONTEXT"), {"targetingKey": "user-1"}),
        case("INVALID_CONTEXT: custom `by` attribute is a boolean", "by-org",
             error("INVALID_CONTEXT"), {"orgId": False}),
        case("INVALID_CONTEXT: custom `by` attribute is a non-integer number", "by-org",
             error("INVALID_CONTEXT"), {"orgId": 1.5}),
        case("custom `by` attribute present: no targetingKey needed", "by-org", ON_SPLIT,
             {"orgId": "org-7"}),
        # INVALID_CONTEXT: the context itself
        case("INVALID_CONTEXT: context is a JSON array", "static-bool",
             error("INVALID_CONTEXT"), context_json="[1,2]"),
        case("INVALID_CONTEXT: context is a JSON number", "static-bool",
             error("INVALID_CONTEXT"), context_json="5"),
        case("INVALID_CONTEXT: context is a JSON string", "static-bool",
             error("INVALID_CONTEXT"), context_json="\"user-1\""),
        case("INVALID_CONTEXT: context is JSON null", "static-bool",
             error("INVALID_CONTEXT"), context_json="null"),
        case("INVALID_CONTEXT: context array attribute over 256 elements", "static-bool",
             error("INVALID_CONTEXT"), {"roles": [f"r{i}" for i in range(257)]}),
        case("INVALID_CONTEXT: context string value over 4096 bytes", "static-bool",
             error("INVALID_CONTEXT"), {"note": "x" * 4097}),
        case("INVALID_CONTEXT: context with more than 256 attributes", "static-bool",
             error("INVALID_CONTEXT"), {f"a{i}": i for i in range(257)}),
        case("context at the limits is valid: 256 attributes, 256-element array, 4096-byte string",
             "static-bool", expect(True, "on", "STATIC"),
             {**{f"a{i}": i for i in range(254)}, "roles": ["r"] * 256, "note": "y" * 4096}),
        # PARSE_ERROR
        case("PARSE_ERROR: not JSON", "static-bool", error("PARSE_ERROR"),
             context_json="targetingKey=user-1"),
        case("PARSE_ERROR: empty text", "static-bool", error("PARSE_ERROR"), context_json=""),
        case("PARSE_ERROR: truncated object", "static-bool", error("PARSE_ERROR"),
             context_json="{\"targetingKey\": \"user-1\""),
        case("PARSE_ERROR: trailing comma", "static-bool", error("PARSE_ERROR"),
             context_json="{\"a\": 1,}"),
        case("PARSE_ERROR: single quotes", "static-bool", error("PARSE_ERROR"),
             context_json="{'a': 1}"),
        case("PARSE_ERROR: two JSON values", "static-bool", error("PARSE_ERROR"),
             context_json="{} {}"),
    ]
    desc = (
        "Reasons (STATIC vs DEFAULT vs TARGETING_MATCH vs SPLIT) and every evaluation error code. "
        "Order of checks: FLAG_NOT_FOUND, then the context (PARSE_ERROR for text that is not "
        "JSON, INVALID_CONTEXT for a non-object or over the limits), then TYPE_MISMATCH, then "
        "evaluation (rollout unit errors). Choices: (1) `rules: []` and `prerequisites: []` "
        "count as no rules / no prerequisites for STATIC; (2) a rollout needs its `by` "
        "attribute whatever its exposure (0%, 100%, before the first stage); (3) an empty string "
        "is a present targetingKey and a valid unit; (4) requested type `object` matches flags "
        "whose variants are JSON objects or arrays; (5) the context "
        "limits (256 attributes, 256 array elements, 4096-byte strings) are inclusive. "
        + COMMON_FORMAT)
    return write("reasons-and-errors.json", desc, ruleset(F), C)


# ============================================================================= rollouts.json
def rollouts():
    CCS = {"control": "Buy now", "short": "Buy", "urgent": "Buy today"}
    W3 = {"control": 34, "short": 33, "urgent": 33}
    NUM = {"a": 1, "b": 2.5, "c": -3}
    W199 = {"a": 1, "b": 0, "c": 99}
    OTH = {"control": "A", "treatment": "B", "holdout": "C"}

    def ro(percent=None, variants=None, **kw):
        r = {}
        for k in ("by", "salt"):
            if k in kw:
                r[k] = kw[k]
        r["variants"] = variants or {"on": 1}
        if "otherwise" in kw:
            r["otherwise"] = kw["otherwise"]
        if percent is not None:
            r["percent"] = percent
        return {"rollout": r}

    def bflag(serve):
        return {"variants": dict(BOOL), "off": "off", "default": serve}

    F = {
        "ro-1": bflag(ro(1, salt=NC)),
        "ro-5": bflag(ro(5, salt=NC)),
        "ro-30": bflag(ro(30, salt=NC)),
        "ro-0": bflag(ro(0, salt=NC)),
        "ro-100": bflag(ro(100, salt=NC)),
        "ro-no-percent": bflag(ro(None, salt=NC)),
        "ro-default-salt": bflag(ro(50)),
        "ro-empty-salt": bflag(ro(50, salt="")),
        "checkout-copy": {"variants": CCS, "off": "control", "default": ro(None, W3)},
        "copy-30": {"variants": CCS, "off": "control",
                    "default": ro(30, W3, salt="checkout-copy")},
        "ro-numbers": {"variants": NUM, "off": "a", "default": ro(None, W199)},
        "ro-by-org": bflag(ro(50, by="orgId", salt="org-rollout")),
        "ro-otherwise": {"variants": OTH, "off": "control",
                         "default": ro(30, {"treatment": 1}, otherwise="holdout")},
        "ro-in-rule": {"variants": dict(BOOL), "off": "off",
                       "rules": [{"if": clause("country", "eq", "DE"),
                                  "serve": ro(50, salt=NC)}],
                       "default": "off"},
        "ro-fifty-fifty": {"variants": {"x": "x", "y": "y"}, "off": "x",
                           "default": ro(None, {"y": 1, "x": 1})},
        # precision: salt "precision"; users found by brute force with a known minimal
        # exposure (units) at which they are inside.
        "p-0.0001": bflag(ro(0.0001, salt="precision")),
        "p-33.3333": bflag(ro(33.3333, salt="precision")),
        "p-99.9999": bflag(ro(99.9999, salt="precision")),
    }
    BV = BOOL
    C = []

    def sp(name, flag, unit, units, *, variants=BV, weights=None, salt=NC, otherwise="off",
           ctx_key="targetingKey", extra=None, rule=None, **kw):
        ctx = {ctx_key: unit}
        if extra:
            ctx.update(extra)
        C.append(case(name, flag, split(variants, salt, unit, units, weights or {"on": 1},
                                         otherwise, rule=rule), ctx, **kw))

    # sticky exposure 1% -> 5% -> 30%
    for flag, units in (("ro-1", 10_000), ("ro-5", 50_000), ("ro-30", 300_000)):
        pct = flag.split("-")[1]
        sp(f"{flag}: {IN1} (inside at 1%) at {pct}%", flag, IN1, units)
        sp(f"{flag}: {IN5} (inside at 5%, not 1%) at {pct}%", flag, IN5, units)
        sp(f"{flag}: {IN30} (inside at 30%, not 5%) at {pct}%", flag, IN30, units)
        sp(f"{flag}: {OUT30} (outside at 30%) at {pct}%", flag, OUT30, units)
    sp(f"ro-1: a second user inside at 1% ({IN1B})", "ro-1", IN1B, 10_000)
    sp(f"ro-0: {IN001} (inside at 0.01%) is outside at 0%", "ro-0", IN001, 0)
    sp(f"ro-100: {OUT30} is inside at 100%", "ro-100", OUT30, 1_000_000)
    sp(f"ro-no-percent: a rollout without percent or stages is 100% ({OUT30})",
       "ro-no-percent", OUT30, 1_000_000)
    sp("ro-30: integer targetingKey 42 is bucketed as \"42\"", "ro-30", 42, 300_000)
    sp("ro-30: string targetingKey \"42\" gives the same answer", "ro-30", "42", 300_000)
    sp("ro-30: empty targetingKey \"\" is a unit like any other", "ro-30", "", 300_000)
    sp("ro-30: multi-byte UTF-8 targetingKey", "ro-30", "東京-42", 300_000)

    # default salt = flag key; find users whose answer depends on the salt
    a = find_unit("ro-default-salt", 0, 500_000, prefix="u-",
                  pred=lambda u: not B.inside_units("", u, 500_000))
    b = find_unit("ro-default-salt", 500_000, 1_000_000, prefix="u-",
                  pred=lambda u: B.inside_units("", u, 500_000))
    for u in (a, b):
        sp(f"ro-default-salt: salt defaults to the flag key ({u})", "ro-default-salt", u,
           500_000, salt="ro-default-salt")
        sp(f"ro-empty-salt: explicit empty salt differs from the flag key ({u})",
           "ro-empty-salt", u, 500_000, salt="")

    # 34/33/33 split: users covering every variant; the variant is stable as exposure grows
    seen, i, picks = set(), 0, []
    while len(seen) < 3 or len(picks) < 6:
        u = f"user-{i}"
        v = B.choose_variant("checkout-copy", u, W3)
        if v not in seen or (len(picks) < 6 and B.inside_units("checkout-copy", u, 300_000)):
            seen.add(v)
            picks.append(u)
        i += 1
    for u in picks:
        sp(f"checkout-copy: 34/33/33 split at 100%, {u}", "checkout-copy", u, 1_000_000,
           variants=CCS, weights=W3, salt="checkout-copy", otherwise="control")
        sp(f"copy-30: same salt at 30%: {u} keeps its variant if inside", "copy-30", u,
           300_000, variants=CCS, weights=W3, salt="checkout-copy", otherwise="control")

    # 1/0/99: a user getting `a`, users getting `c`; `b` (weight 0) never
    ua = next(f"user-{i}" for i in range(100_000)
              if B.choose_variant("ro-numbers", f"user-{i}", W199) == "a")
    for u in (ua, "user-1", "user-2"):
        sp(f"ro-numbers: weights a=1 b=0 c=99, {u}", "ro-numbers", u, 1_000_000,
           variants=NUM, weights=W199, salt="ro-numbers", otherwise="a", type="number")

    # custom by
    org_in = find_unit("org-rollout", 0, 500_000, prefix="org-")
    org_out = find_unit("org-rollout", 500_000, 1_000_000, prefix="org-")
    for org in (org_in, org_out, 42, "42"):
        sp(f"ro-by-org: by orgId, salt org-rollout, orgId {org!r}", "ro-by-org", org, 500_000,
           salt="org-rollout", ctx_key="orgId")
    sp("ro-by-org: targetingKey is irrelevant when `by` is orgId", "ro-by-org", org_in,
       500_000, salt="org-rollout", ctx_key="orgId", extra={"targetingKey": OUT30})

    # otherwise
    oin = find_unit("ro-otherwise", 0, 300_000)
    oout = find_unit("ro-otherwise", 300_000, 1_000_000)
    for u in (oin, oout):
        sp(f"ro-otherwise: {u} inside -> treatment, outside -> otherwise (holdout), not off",
           "ro-otherwise", u, 300_000, variants=OTH, weights={"treatment": 1},
           salt="ro-otherwise", otherwise="holdout")

    # rollout in a rule
    sp(f"ro-in-rule: rollout in rule 0 reports rule 0 ({IN1})", "ro-in-rule", IN1, 500_000,
       extra={"country": "DE"}, rule=0)
    sp(f"ro-in-rule: rollout in rule 0, user outside ({OUT30})", "ro-in-rule", OUT30, 500_000,
       extra={"country": "DE"}, rule=0)

    # 50/50: variants ordered by name byte-wise (x before y), whatever the document order
    for u in ("user-1", "user-2", "user-3", "user-4"):
        sp(f"ro-fifty-fifty: weights written y then x; choice uses byte-wise name order, {u}",
           "ro-fifty-fifty", u, 1_000_000, variants={"x": "x", "y": "y"},
           weights={"x": 1, "y": 1}, salt="ro-fifty-fifty", otherwise="x")

    # precision users (minimal units known)
    P = "precision"
    U1, U20001, U123457, U333333, U1000000 = ("user-7566036", "user-355307", "user-353883",
                                              "user-1336363", "user-1281195")
    for u, m in ((U1, 1), (U20001, 20001), (U123457, 123457), (U333333, 333333),
                 (U1000000, 1_000_000)):
        assert B.min_units_inside(P, u) == m
    for name, flag, u, units in (
            ("0.0001% = 1 unit: a user at the very bottom is inside", "p-0.0001", U1, 1),
            ("0.0001%: a user needing 20001 units is outside", "p-0.0001", U20001, 1),
            ("0.0001%: a user needing 123457 units is outside", "p-0.0001", U123457, 1),
            ("33.3333%: user needing exactly 333333 units is inside", "p-33.3333", U333333,
             333333),
            ("99.9999%: the user at the very top (needs 100%) is outside", "p-99.9999", U1000000,
             999_999),
            ("99.9999%: an ordinary user is inside", "p-99.9999", U333333, 999_999)):
        sp(f"{flag}: {name}", flag, u, units, salt=P)
    desc = (
        "Rollouts; every expectation is computed with reference/bucketing.py (see "
        "bucketing-vectors.json for the raw positions). Covers: sticky inclusion (the same users "
        "at 1%, 5%, 30%), 0% and 100%, no percent = 100%, integer / empty / multi-byte units, "
        "the default salt (the flag key) vs an explicit empty salt, a 34/33/33 split (variants "
        "stable as exposure grows), weights 1/0/99 (weight 0 never chosen), variant order by "
        "byte-wise name (not document order), custom `by`, `otherwise`, a rollout inside a rule "
        "(reason SPLIT, rule index), and exposure precision: units = percent * 10000 exactly "
        "(a percent has at most 4 decimal places; finer ones are compile errors, see "
        "compile-errors.json), threshold = units * 2^64 // 1000000. "
        "Rollouts without stages report stage null. " + COMMON_FORMAT)
    return write("rollouts.json", desc, ruleset(F), C)


# ============================================================================= stages.json
def stages():
    T0, T1, T2 = "2026-12-01T09:00:00Z", "2026-12-03T09:00:00Z", "2026-12-08T09:00:00Z"
    t0, t1, t2 = ms(T0), ms(T1), ms(T2)
    L0 = "2026-12-01T00:00:00Z"
    l0 = ms(L0)
    l1 = l0 + 1_000_000_000
    R0 = "2027-01-01T00:00:00Z"
    r0 = ms(R0)
    r1 = r0 + 1_000_000_000

    def staged(stages_, ramp=None, salt=NC, variants=None):
        r = {"salt": salt, "variants": variants or {"on": 1}, "stages": stages_}
        if ramp:
            r["ramp"] = ramp
        return {"rollout": r}

    def st(at, percent, rollback=None):
        s = {"at": at, "percent": percent}
        if rollback is not None:
            s["rollback"] = rollback
        return s

    STEP = [st(T0, 1), st(T1, 5), st(T2, 30)]
    CCS = {"control": "Buy now", "short": "Buy", "urgent": "Buy today"}
    W3 = {"control": 34, "short": 33, "urgent": 33}
    F = {
        "st-step": {"variants": dict(BOOL), "off": "off", "default": staged(STEP)},
        "st-rollback": {"variants": dict(BOOL), "off": "off",
                        "default": staged([st(T0, 1), st(T1, 30), st(T2, 5, True)])},
        "st-zero-first": {"variants": dict(BOOL), "off": "off",
                          "default": staged([st(T0, 0), st(T1, 100)])},
        "st-ms": {"variants": dict(BOOL), "off": "off",
                  "default": staged([st("2026-12-01T09:00:00.500Z", 100)])},
        "st-offset": {"variants": dict(BOOL), "off": "off",
                      "default": staged([st("2026-12-01T10:00:00+01:00", 100),
                                         st("2026-12-02T04:00:00-05:00", 100)])},
        "st-rule": {"variants": dict(BOOL), "off": "off",
                    "rules": [{"if": clause("country", "eq", "DE"), "serve": staged(STEP)}],
                    "default": "off"},
        "st-split": {"variants": CCS, "off": "control",
                     "default": staged([st(T0, 5), st(T1, 50)], salt="checkout-copy",
                                       variants=W3)},
        "st-linear-unit": {"variants": dict(BOOL), "off": "off",
                           "default": staged([st(L0, 0), st(iso(l1), 100)], "linear",
                                             salt="ramp")},
        "st-linear": {"variants": dict(BOOL), "off": "off",
                      "default": staged(STEP, "linear")},
        "st-linear-rollback": {"variants": dict(BOOL), "off": "off",
                               "default": staged([st(R0, 100), st(iso(r1), 0, True)], "linear",
                                                 salt="ramp")},
        "st-step-explicit": {"variants": dict(BOOL), "off": "off",
                             "default": staged([st(T0, 1), st(T1, 5)], "step")},
    }
    C = []

    def sp(name, flag, unit, units, now_ms, stage, *, salt=NC, variants=BOOL, weights=None,
           otherwise="off", extra=None, rule=None, now_text=None):
        ctx = {"targetingKey": unit}
        if extra:
            ctx.update(extra)
        C.append(case(name, flag, split(variants, salt, unit, units, weights or {"on": 1},
                                         otherwise, rule=rule, stage=stage), ctx,
                      now=now_text or iso(now_ms)))

    # --- step
    sp(f"st-step: 1 ms before the first stage: 0%, stage null ({IN001} is inside even at "
       "0.01%)", "st-step", IN001, 0, t0 - 1, None)
    sp("st-step: default now (2026-01-01) is before the first stage", "st-step", IN001, 0, 0,
       None)
    C[-1].pop("now")
    sp(f"st-step: exactly at stage 0: 1% ({IN1} inside)", "st-step", IN1, 10_000, t0, 0)
    sp(f"st-step: exactly at stage 0: {IN5} (5%-only) outside", "st-step", IN5, 10_000, t0, 0)
    sp(f"st-step: 1 ms before stage 1: still 1% ({IN5} outside)", "st-step", IN5, 10_000,
       t1 - 1, 0)
    sp(f"st-step: exactly at stage 1: 5% ({IN5} inside)", "st-step", IN5, 50_000, t1, 1)
    sp(f"st-step: at stage 1 the 1% user stays inside ({IN1})", "st-step", IN1, 50_000, t1, 1)
    sp(f"st-step: 1 ms before stage 2: 5% ({IN30} outside)", "st-step", IN30, 50_000, t2 - 1, 1)
    sp(f"st-step: exactly at stage 2: 30% ({IN30} inside)", "st-step", IN30, 300_000, t2, 2)
    sp(f"st-step: long after the last stage: 30%, stage 2 ({IN5} inside)", "st-step", IN5,
       300_000, ms("2030-01-01T00:00:00Z"), 2)
    sp(f"st-step: after the last stage ({OUT30} outside at 30%)", "st-step", OUT30, 300_000,
       ms("2030-01-01T00:00:00Z"), 2)
    sp("st-step: `now` with an offset (10:00+01:00 is exactly stage 0)", "st-step", IN1, 10_000,
       t0, 0, now_text="2026-12-01T10:00:00+01:00")
    sp("st-step: `now` with an offset one ms before stage 0", "st-step", IN1, 0, t0 - 1, None,
       now_text="2026-12-01T03:59:59.999-05:00")
    C.append(case("st-step: missing targetingKey before the first stage is still an error",
                  "st-step", error("TARGETING_KEY_MISSING"), {}, now=iso(t0 - 1)))
    C.append(case("st-step: missing targetingKey during a stage", "st-step",
                  error("TARGETING_KEY_MISSING"), {"country": "DE"}, now=T1))
    sp("st-step-explicit: ramp \"step\" given explicitly, between stages", "st-step-explicit",
       IN5, 10_000, t0 + 86_400_000, 0)
    # --- rollback
    sp(f"st-rollback: at stage 1 (30%): {IN30} inside", "st-rollback", IN30, 300_000, t1, 1)
    sp(f"st-rollback: at the rollback stage 2 (5%): {IN30} drops out", "st-rollback", IN30,
       50_000, t2, 2)
    sp(f"st-rollback: at the rollback stage 2 (5%): {IN5} stays", "st-rollback", IN5, 50_000,
       t2, 2)
    sp(f"st-rollback: 1 ms before the rollback: still 30%", "st-rollback", IN30, 300_000,
       t2 - 1, 1)
    # --- zero first stage, ms, offsets, rule, split
    sp(f"st-zero-first: a 0% first stage is active: stage 0, not null ({IN001} outside)",
       "st-zero-first", IN001, 0, t0, 0)
    sp(f"st-zero-first: stage 1 at 100% ({OUT30} inside)", "st-zero-first", OUT30, 1_000_000,
       t1, 1)
    sp("st-ms: stage at 09:00:00.500Z, now 09:00:00.499Z: before", "st-ms", OUT30, 0,
       t0 + 499, None)
    sp("st-ms: stage at 09:00:00.500Z, now exactly 09:00:00.500Z: active", "st-ms", OUT30,
       1_000_000, t0 + 500, 0)
    sp("st-offset: stage `at` with +01:00 offset, 1 ms before", "st-offset", OUT30, 0, t0 - 1,
       None)
    sp("st-offset: stage `at` with +01:00 offset, exactly at (09:00Z)", "st-offset", OUT30,
       1_000_000, t0, 0)
    sp("st-offset: second stage `at` 04:00-05:00 = 09:00Z next day, exactly at", "st-offset",
       OUT30, 1_000_000, ms("2026-12-02T09:00:00Z"), 1)
    sp(f"st-rule: staged rollout in rule 0 reports rule and stage ({IN5} at stage 1)", "st-rule",
       IN5, 50_000, t1, 1, extra={"country": "DE"}, rule=0)
    C.append(case("st-rule: rule not matched -> DEFAULT, stage null", "st-rule",
                  expect(False, "off", "DEFAULT"), {"targetingKey": IN5, "country": "FR"},
                  now=T1))
    picked = [u for u in (f"user-{i}" for i in range(2000))
              if B.inside_units("checkout-copy", u, 50_000)][:4]
    for u in picked:
        for when, units, stg in ((t0, 50_000, 0), (t1, 500_000, 1)):
            sp(f"st-split: 34/33/33 staged, {u} at stage {stg}: same variant at both stages",
               "st-split", u, units, when, stg, salt="checkout-copy", variants=CCS, weights=W3,
               otherwise="control")
    # --- linear, unit ramp: 0% at L0 -> 100% at L0 + 1e9 ms, so units(t) = (t - L0) // 1000
    ul = find_unit("ramp", 100_000, 300_000)
    m = B.min_units_inside("ramp", ul)
    sp(f"st-linear-unit: at L0 exposure is 0 (stage 0), {ul} outside", "st-linear-unit", ul, 0,
       l0, 0, salt="ramp")
    sp(f"st-linear-unit: at L0 + {1000 * m - 1} ms units = floor({m - 0.001}) = {m - 1}: {ul} "
       f"(needs {m}) outside", "st-linear-unit", ul, m - 1, l0 + 1000 * m - 1, 0, salt="ramp")
    sp(f"st-linear-unit: at L0 + {1000 * m} ms units = {m}: {ul} inside", "st-linear-unit", ul,
       m, l0 + 1000 * m, 0, salt="ramp")
    sp("st-linear-unit: 1 ms before the last stage: 999999 units", "st-linear-unit",
       "user-1281195", 999_999, l1 - 1, 0, salt="ramp")
    sp("st-linear-unit: at the last stage: 100%, stage 1", "st-linear-unit", ul, 1_000_000, l1,
       1, salt="ramp")
    # --- linear over the worked-example schedule
    mid = t0 + (t1 - t0) // 2      # 1% -> 5% over 172800000 ms: units = 10000 + dt // 4320
    assert 10_000 + 40_000 * (mid - t0) // (t1 - t0) == 30_000
    in_mid = find_unit(NC, 10_000, 30_000)
    out_mid = find_unit(NC, 30_000, 50_000)
    sp(f"st-linear: halfway between 1% and 5% is 3%: {in_mid} inside", "st-linear", in_mid,
       30_000, mid, 0)
    sp(f"st-linear: halfway between 1% and 5% is 3%: {out_mid} outside", "st-linear", out_mid,
       30_000, mid, 0)
    mm = B.min_units_inside(NC, out_mid)
    tj = t0 + (mm - 10_000) * 4320
    sp(f"st-linear: {out_mid} (needs {mm} units) joins exactly at T0 + {(mm - 10_000) * 4320} ms",
       "st-linear", out_mid, mm, tj, 0)
    sp(f"st-linear: {out_mid} one ms earlier is still outside", "st-linear", out_mid, mm - 1,
       tj - 1, 0)
    tq = t1 + 100_000_000          # 5% -> 30% over 432000000 ms
    uq = 50_000 + 250_000 * 100_000_000 // 432_000_000
    for u in (find_unit(NC, 50_000, uq), find_unit(NC, uq, 300_000)):
        sp(f"st-linear: second segment, T1 + 100000000 ms: units = 50000 + 250000 * 100000000 "
           f"// 432000000 = {uq}, {u}", "st-linear", u, uq, tq, 1)
    sp(f"st-linear: at T1 exactly 5%, stage 1 ({IN5} inside)", "st-linear", IN5, 50_000, t1, 1)
    sp(f"st-linear: after the last stage 30% ({OUT30} outside)", "st-linear", OUT30, 300_000,
       t2 + 1, 2)
    sp(f"st-linear: before the first stage 0% ({IN001})", "st-linear", IN001, 0, t0 - 1, None)
    # --- linear rollback: 100% at R0 -> 0% at R0 + 1e9 ms; units = 1e6 + (-1e6 * dt) // 1e9
    ur = find_unit("ramp", 300_000, 700_000, start=1000)
    mr = B.min_units_inside("ramp", ur)
    dt_in = 1000 * (1_000_000 - mr)
    assert 1_000_000 + (-1_000_000 * dt_in) // 1_000_000_000 == mr
    assert 1_000_000 + (-1_000_000 * (dt_in + 1)) // 1_000_000_000 == mr - 1
    sp(f"st-linear-rollback: descending ramp, at R0 + {dt_in} ms units = {mr}: {ur} (needs {mr}) "
       "inside", "st-linear-rollback", ur, mr, r0 + dt_in, 0, salt="ramp")
    sp(f"st-linear-rollback: one ms later units = 1000000 + floor(-{dt_in + 1} / 1000) = "
       f"{mr - 1} (floor division, toward negative infinity): {ur} outside",
       "st-linear-rollback", ur, mr - 1, r0 + dt_in + 1, 0, salt="ramp")
    sp("st-linear-rollback: at the last stage 0%", "st-linear-rollback", ur, 0, r1, 1,
       salt="ramp")
    desc = (
        "Staged rollouts. Exposure at `now` (Unix ms, RFC 3339 `now` and `at` may carry offsets; "
        "times kept to the millisecond): before the first stage's `at`, 0% and stage null; the "
        "active stage i is the last with at_i <= now (a stage starts exactly at its `at`); "
        "ramp \"step\" (default): units = units_i; ramp \"linear\": between stage i and i+1, "
        "units(t) = units_i + (units_{i+1} - units_i) * (t - at_i) // (at_{i+1} - at_i) with "
        "integer floor division (toward negative infinity, which matters for a descending ramp) "
        "on milliseconds and units = percent * 10000 (at most 4 decimal places); from the last "
        "stage on, units of the last stage. A stage with 0% that is active is reported (stage 0, "
        "not null). Errors report stage null. Expectations computed with "
        "reference/bucketing.py. " + COMMON_FORMAT)
    return write("stages.json", desc, ruleset(F), C)


# ============================================================================= worked-example.json
def worked_example():
    import json
    with open(os.path.join(OUT, "..", "..", "examples", "rulesets", "dark-launch.json"),
              encoding="utf-8") as f:
        rs = json.load(f)
    T0, T1, T2 = "2026-12-01T09:00:00Z", "2026-12-03T09:00:00Z", "2026-12-08T09:00:00Z"
    CCS = rs["flags"]["checkout-copy"]["variants"]
    W3 = {"control": 34, "short": 33, "urgent": 33}
    NCV = rs["flags"]["new-checkout"]["variants"]
    C = []
    app = "4.3.1"

    def nc(name, user, units, now, stage):
        C.append(case(name, "new-checkout",
                      split(NCV, NC, user, units, {"on": 1}, "off", stage=stage),
                      {"targetingKey": user, "appVersion": app}, now=now))

    def copy(name, user, now, met, ctx=None):
        if met:
            e = split(CCS, "checkout-copy", user, 1_000_000, W3, "control")
        else:
            e = expect("Buy now", "control", "DEFAULT")
        C.append(case(name, "checkout-copy", e, ctx or {"targetingKey": user, "appVersion": app},
                      now=now, type="string"))

    nc("user-42 before 1 Dec 09:00: off, SPLIT, no stage", "user-42", 0, "2026-11-30T12:00:00Z",
       None)
    copy("checkout-copy for user-42 before the launch: control, DEFAULT (prerequisite unmet)",
         "user-42", "2026-11-30T12:00:00Z", False)
    for now, units, stage in ((T0, 10_000, 0), (T1, 50_000, 1), (T2, 300_000, 2)):
        for u in (IN1, IN5, IN30, "user-42"):
            nc(f"new-checkout at stage {stage}: {u}", u, units, now, stage)
    for now in (T0, T2):
        copy(f"checkout-copy for {IN1} (has the new checkout) at {now}", IN1, now, True)
    copy(f"checkout-copy for {IN30} at {T0}: prerequisite unmet", IN30, T0, False)
    copy(f"checkout-copy for {IN30} at {T2}: prerequisite met", IN30, T2, True)
    C.append(case("staff (by e-mail, ignore_case) get on before the launch: rule 0",
                  "new-checkout", expect(True, "on", "TARGETING_MATCH", rule=0),
                  {"targetingKey": "user-7", "email": "Dev@Example.COM"},
                  now="2026-11-01T00:00:00Z"))
    C.append(case("contractor-42 (included in staff) gets on: rule 0", "new-checkout",
                  expect(True, "on", "TARGETING_MATCH", rule=0),
                  {"targetingKey": "contractor-42", "appVersion": "4.0.0"}, now=T0))
    copy("checkout-copy for staff: prerequisite met via rule 0", "user-7",
         "2026-11-01T00:00:00Z", True, {"targetingKey": "user-7", "email": "dev@example.com"})
    C.append(case(f"old app (4.1.0) gets off at 30% even if inside ({IN1}): rule 1",
                  "new-checkout", expect(False, "off", "TARGETING_MATCH", rule=1),
                  {"targetingKey": IN1, "appVersion": "4.1.0"}, now=T2))
    C.append(case(f"app 4.2.0-beta.1 is older than 4.2.0: rule 1", "new-checkout",
                  expect(False, "off", "TARGETING_MATCH", rule=1),
                  {"targetingKey": IN1, "appVersion": "4.2.0-beta.1"}, now=T2))
    C.append(case("no appVersion: rule 1 is false, the rollout decides", "new-checkout",
                  split(NCV, NC, IN1, 300_000, {"on": 1}, "off", stage=2),
                  {"targetingKey": IN1}, now=T2, type="boolean"))
    desc = (
        "The worked example of docs/ruleset.md (examples/rulesets/dark-launch.json, verbatim): "
        "new-checkout (staff first, old apps never, 1% -> 5% -> 30% by stages) and "
        "checkout-copy (34/33/33, needs new-checkout = on). Expectations computed with "
        "reference/bucketing.py. " + COMMON_FORMAT)
    return write("worked-example.json", desc, rs, C)


# ============================================================================= compile-errors.json
def compile_errors():
    base_flag = {"variants": dict(BOOL), "off": "off", "default": "on"}

    def doc(flags=None, segments=None, **top):
        d = {"schema": SCHEMA}
        if segments is not None:
            d["segments"] = segments
        d["flags"] = flags if flags is not None else {"f": copy.deepcopy(base_flag)}
        d.update(top)
        return d

    def flag(**kw):
        f = copy.deepcopy(base_flag)
        f.update(kw)
        return f

    def one(**kw):
        return doc({"f": flag(**kw)})

    def rule(cond, serve="on"):
        return {"if": cond, "serve": serve}

    def rollout(**kw):
        r = {"variants": {"on": 1}}
        r.update(kw)
        return {"rollout": r}

    def day(i):
        return iso(ms("2026-12-01T00:00:00Z") + i * 86_400_000)

    C = []

    def e(name, code, path, rs=None, text=None, pad=None):
        c = {"name": name}
        if text is not None:
            c["ruleset_text"] = text
        else:
            c["ruleset"] = rs
        if pad is not None:
            c["pad_to_bytes"] = pad
        c["error"] = {"code": code} if path is None else {"code": code, "path": path}
        C.append(c)

    ok_text = '{"schema": "darklaunch/v1", "flags": {"f": {"variants": {"on": true, "off": false}, "off": "off", "default": "on"}}}'
    # TOO_LARGE
    e("TOO_LARGE: document of 16 MiB + 1 byte (a valid ruleset padded with trailing spaces)",
      "TOO_LARGE", None, text=ok_text, pad=16 * 1024 * 1024 + 1)
    # INVALID_JSON
    e("INVALID_JSON: truncated document", "INVALID_JSON", None,
      text='{"schema": "darklaunch/v1", "flags": {')
    e("INVALID_JSON: trailing comma", "INVALID_JSON", None,
      text='{"schema": "darklaunch/v1", "flags": {},}')
    e("INVALID_JSON: empty text", "INVALID_JSON", None, text="")
    e("INVALID_JSON: two documents", "INVALID_JSON", None,
      text='{"schema": "darklaunch/v1", "flags": {}} {}')
    e("INVALID_JSON: NaN is not JSON", "INVALID_JSON", None,
      text='{"schema": "darklaunch/v1", "flags": {"f": {"variants": {"a": NaN}, "off": "a", "default": "a"}}}')
    deep = "[" * 200 + "]" * 200
    e("INVALID_JSON: nested deeper than 128 (200 levels)", "INVALID_JSON", None,
      text='{"schema": "darklaunch/v1", "flags": {"f": {"variants": {"a": ' + deep +
           '}, "off": "a", "default": "a"}}}')
    # INVALID_FORMAT
    e("INVALID_FORMAT: `flags` missing", "INVALID_FORMAT", None, {"schema": SCHEMA})
    e("INVALID_FORMAT: unknown field `enabeld` in a flag", "INVALID_FORMAT", None,
      one(enabeld=False))
    e("INVALID_FORMAT: unknown top-level field", "INVALID_FORMAT", None, doc(toggles={}))
    e("INVALID_FORMAT: snapshot `version` that is not a u64", "INVALID_FORMAT", None,
      doc(version=-1))
    e("INVALID_FORMAT: `enabled` of the wrong type", "INVALID_FORMAT", None, one(enabled="no"))
    f = flag()
    del f["default"]
    e("INVALID_FORMAT: flag without `default`", "INVALID_FORMAT", None, doc({"f": f}))
    e("INVALID_FORMAT: unknown field in a rollout", "INVALID_FORMAT", None,
      one(default=rollout(percentage=5)))
    e("INVALID_FORMAT: unknown field in a stage", "INVALID_FORMAT", None,
      one(default=rollout(stages=[{"at": day(0), "percent": 1, "note": "x"}])))
    e("INVALID_FORMAT: ramp is neither step nor linear", "INVALID_FORMAT", None,
      one(default=rollout(stages=[{"at": day(0), "percent": 1}], ramp="exponential")))
    e("INVALID_FORMAT: unknown metadata field", "INVALID_FORMAT", None,
      one(metadata={"owner": "x", "team": "y"}))
    e("INVALID_FORMAT: `variants` is an array", "INVALID_FORMAT", None,
      one(variants=[True, False]))
    e("INVALID_FORMAT: segment include holds a number", "INVALID_FORMAT", None,
      doc(segments={"s": {"include": ["a", 1]}}))
    e("INVALID_FORMAT: a rule without `serve`", "INVALID_FORMAT", None,
      one(rules=[{"if": {"all": []}}]))
    e("INVALID_FORMAT: the document is an array", "INVALID_FORMAT", None, [])
    # UNSUPPORTED_SCHEMA
    e("UNSUPPORTED_SCHEMA: darklaunch/v2", "UNSUPPORTED_SCHEMA", "/schema",
      {"schema": "darklaunch/v2", "flags": {}})
    e("UNSUPPORTED_SCHEMA: case matters", "UNSUPPORTED_SCHEMA", "/schema",
      {"schema": "Darklaunch/v1", "flags": {}})
    e("UNSUPPORTED_SCHEMA is reported before format errors of the rest", "UNSUPPORTED_SCHEMA",
      "/schema", {"schema": "darklaunch/v2", "toggles": {}})
    # DUPLICATE_KEY
    fl = '{"variants": {"on": true, "off": false}, "off": "off", "default": "on"}'
    e("DUPLICATE_KEY: a flag key twice", "DUPLICATE_KEY", "/flags/dup",
      text='{"schema": "darklaunch/v1", "flags": {"dup": ' + fl + ', "other": ' + fl +
           ', "dup": ' + fl + '}}')
    e("DUPLICATE_KEY: a variant name twice", "DUPLICATE_KEY", "/flags/f/variants/on",
      text='{"schema": "darklaunch/v1", "flags": {"f": {"variants": {"on": true, "off": false, '
           '"on": false}, "off": "off", "default": "on"}}}')
    e("DUPLICATE_KEY: a key twice inside a JSON variant value", "DUPLICATE_KEY",
      "/flags/f/variants/a/1/x",
      text='{"schema": "darklaunch/v1", "flags": {"f": {"variants": {"a": [{}, {"x": 1, "x": 2}]}, '
           '"off": "a", "default": "a"}}}')
    e("DUPLICATE_KEY: a field of a rule twice", "DUPLICATE_KEY", "/flags/f/rules/0/serve",
      text='{"schema": "darklaunch/v1", "flags": {"f": {"variants": {"on": true, "off": false}, '
           '"off": "off", "default": "on", "rules": [{"if": {"attr": "a", "op": "exists"}, '
           '"serve": "on", "serve": "off"}]}}}')
    e("DUPLICATE_KEY: `schema` twice", "DUPLICATE_KEY", "/schema",
      text='{"schema": "darklaunch/v1", "schema": "darklaunch/v1", "flags": {}}')
    e("DUPLICATE_KEY: a segment name twice", "DUPLICATE_KEY", "/segments/s",
      text='{"schema": "darklaunch/v1", "segments": {"s": {"include": ["a"]}, "s": '
           '{"include": ["b"]}}, "flags": {}}')
    e("DUPLICATE_KEY: two rules share an id (path: the later rule's id)", "DUPLICATE_KEY",
      "/flags/f/rules/2/id",
      one(rules=[{"id": "r1", "if": {"all": []}, "serve": "on"},
                 {"id": "r2", "if": {"all": []}, "serve": "on"},
                 {"id": "r1", "if": {"all": []}, "serve": "off"}]))
    # INVALID_KEY
    e("INVALID_KEY: flag key with a space", "INVALID_KEY", "/flags/has space",
      doc({"has space": flag()}))
    e("INVALID_KEY: empty flag key (pointer /flags/)", "INVALID_KEY", "/flags/",
      doc({"": flag()}))
    e("INVALID_KEY: flag key with '/' (escaped ~1 in the pointer)", "INVALID_KEY", "/flags/a~1b",
      doc({"a/b": flag()}))
    e("INVALID_KEY: flag key with '~' (escaped ~0 in the pointer)", "INVALID_KEY", "/flags/a~0b",
      doc({"a~b": flag()}))
    e("INVALID_KEY: flag key of 129 bytes", "INVALID_KEY", "/flags/" + "k" * 129,
      doc({"k" * 129: flag()}))
    e("INVALID_KEY: non-ASCII flag key", "INVALID_KEY", "/flags/größe", doc({"größe": flag()}))
    e("INVALID_KEY: variant name with '!'", "INVALID_KEY", "/flags/f/variants/on!",
      one(variants={"on!": True, "off": False}))
    e("INVALID_KEY: segment name", "INVALID_KEY", "/segments/staff team",
      doc(segments={"staff team": {"include": ["a"]}}))
    e("INVALID_KEY: rule id", "INVALID_KEY", "/flags/f/rules/0/id",
      one(rules=[{"id": "rule one", "if": {"all": []}, "serve": "on"}]))
    e("INVALID_KEY: empty attribute name in a clause", "INVALID_KEY",
      "/flags/f/rules/0/if/attr", one(rules=[rule({"attr": "", "op": "eq", "value": 1})]))
    e("INVALID_KEY: attribute name over 256 bytes", "INVALID_KEY",
      "/flags/f/rules/0/if/all/0/attr",
      one(rules=[rule({"all": [{"attr": "a" * 257, "op": "exists"}]})]))
    e("INVALID_KEY: empty rollout `by`", "INVALID_KEY", "/flags/f/default/rollout/by",
      one(default=rollout(by="")))
    e("INVALID_KEY: empty segment `by`", "INVALID_KEY", "/segments/s/by",
      doc(segments={"s": {"by": "", "include": ["a"]}}))
    # UNKNOWN_VARIANT
    e("UNKNOWN_VARIANT: off", "UNKNOWN_VARIANT", "/flags/f/off", one(off="nope"))
    e("UNKNOWN_VARIANT: rule serve", "UNKNOWN_VARIANT", "/flags/f/rules/0/serve",
      one(rules=[rule({"all": []}, "nope")]))
    e("UNKNOWN_VARIANT: default serve", "UNKNOWN_VARIANT", "/flags/f/default", one(default="On"))
    e("UNKNOWN_VARIANT: rollout weight", "UNKNOWN_VARIANT",
      "/flags/f/default/rollout/variants/nope", one(default=rollout(variants={"on": 1, "nope": 1})))
    e("UNKNOWN_VARIANT: rollout otherwise", "UNKNOWN_VARIANT",
      "/flags/f/default/rollout/otherwise", one(default=rollout(otherwise="nope")))
    e("UNKNOWN_VARIANT: weight in a rollout served by a rule", "UNKNOWN_VARIANT",
      "/flags/f/rules/0/serve/rollout/variants/x",
      one(rules=[rule({"all": []}, rollout(variants={"x": 1}))]))
    e("UNKNOWN_VARIANT: prerequisite variant must be a variant of the prerequisite flag",
      "UNKNOWN_VARIANT", "/flags/f/prerequisites/0/variant",
      doc({"p": {"variants": {"a": "a", "b": "b"}, "off": "a", "default": "b"},
           "f": flag(prerequisites=[{"flag": "p", "variant": "on"}])}))
    # UNKNOWN_SEGMENT
    e("UNKNOWN_SEGMENT: condition names no segment (reported at the condition)",
      "UNKNOWN_SEGMENT", "/flags/f/rules/0/if", one(rules=[rule({"segment": "ghosts"})]))
    e("UNKNOWN_SEGMENT: nested in any", "UNKNOWN_SEGMENT", "/flags/f/rules/1/if/any/1",
      doc({"f": flag(rules=[rule({"all": []}), rule({"any": [{"segment": "s"},
                                                             {"segment": "t"}]})])},
          segments={"s": {"include": ["a"]}}))
    # UNKNOWN_FLAG
    e("UNKNOWN_FLAG: prerequisite names no flag", "UNKNOWN_FLAG",
      "/flags/f/prerequisites/0/flag", one(prerequisites=[{"flag": "ghost", "variant": "on"}]))
    # PREREQUISITE_CYCLE
    e("PREREQUISITE_CYCLE: a flag requires itself", "PREREQUISITE_CYCLE",
      "/flags/a/prerequisites/0",
      doc({"a": flag(prerequisites=[{"flag": "a", "variant": "on"}])}))
    e("PREREQUISITE_CYCLE: a -> b -> a", "PREREQUISITE_CYCLE", "/flags/b/prerequisites/0",
      doc({"a": flag(prerequisites=[{"flag": "b", "variant": "on"}]),
           "b": flag(prerequisites=[{"flag": "a", "variant": "on"}])}))
    e("PREREQUISITE_CYCLE: a -> c -> b -> a (DFS from a closes at b's entry)",
      "PREREQUISITE_CYCLE", "/flags/b/prerequisites/0",
      doc({"a": flag(prerequisites=[{"flag": "c", "variant": "on"}]),
           "b": flag(prerequisites=[{"flag": "a", "variant": "on"}]),
           "c": flag(prerequisites=[{"flag": "b", "variant": "on"}])}))
    e("PREREQUISITE_CYCLE: acyclic flags first, then p -> q -> p", "PREREQUISITE_CYCLE",
      "/flags/q/prerequisites/1",
      doc({"x": flag(prerequisites=[{"flag": "y", "variant": "on"}]),
           "y": flag(),
           "p": flag(prerequisites=[{"flag": "y", "variant": "on"},
                                    {"flag": "q", "variant": "on"}]),
           "q": flag(prerequisites=[{"flag": "x", "variant": "on"},
                                    {"flag": "p", "variant": "off"}])}))
    e("PREREQUISITE_CYCLE: second entry of a flag points to itself", "PREREQUISITE_CYCLE",
      "/flags/a/prerequisites/1",
      doc({"ok": flag(),
           "a": flag(prerequisites=[{"flag": "ok", "variant": "on"},
                                    {"flag": "a", "variant": "on"}])}))
    # VARIANT_TYPE_MISMATCH
    e("VARIANT_TYPE_MISMATCH: boolean and string", "VARIANT_TYPE_MISMATCH",
      "/flags/f/variants/off", one(variants={"on": True, "off": "false"}))
    e("VARIANT_TYPE_MISMATCH: a null variant", "VARIANT_TYPE_MISMATCH", "/flags/f/variants/b",
      one(variants={"on": True, "off": False, "b": None}))
    e("VARIANT_TYPE_MISMATCH: the first variant is null", "VARIANT_TYPE_MISMATCH",
      "/flags/f/variants/on", one(variants={"on": None, "off": None}))
    e("VARIANT_TYPE_MISMATCH: number and string (reported at the first differing variant)",
      "VARIANT_TYPE_MISMATCH", "/flags/g/variants/c",
      doc({"g": {"variants": {"a": 1, "b": 2.5, "c": "3", "d": True}, "off": "a",
                 "default": "a"}}))
    e("VARIANT_TYPE_MISMATCH: object and string", "VARIANT_TYPE_MISMATCH",
      "/flags/g/variants/b",
      doc({"g": {"variants": {"a": {"x": 1}, "b": "x"}, "off": "a", "default": "a"}}))
    # INVALID_WEIGHTS
    e("INVALID_WEIGHTS: total 0", "INVALID_WEIGHTS", "/flags/f/default/rollout/variants",
      one(default=rollout(variants={"on": 0, "off": 0})))
    e("INVALID_WEIGHTS: negative weight", "INVALID_WEIGHTS",
      "/flags/f/default/rollout/variants/off", one(default=rollout(variants={"on": 2, "off": -1})))
    e("INVALID_WEIGHTS: fractional weight", "INVALID_WEIGHTS",
      "/flags/f/default/rollout/variants/on", one(default=rollout(variants={"on": 1.5})))
    e("INVALID_WEIGHTS: total over 1,000,000", "INVALID_WEIGHTS",
      "/flags/f/default/rollout/variants",
      one(default=rollout(variants={"on": 600_000, "off": 400_001})))
    # INVALID_PERCENT
    e("INVALID_PERCENT: over 100", "INVALID_PERCENT", "/flags/f/default/rollout/percent",
      one(default=rollout(percent=100.5)))
    e("INVALID_PERCENT: more than 4 decimal places (12.34565 has no exact binary value)",
      "INVALID_PERCENT", "/flags/f/default/rollout/percent", one(default=rollout(percent=12.34565)))
    e("INVALID_PERCENT: finer than 0.0001", "INVALID_PERCENT", "/flags/f/default/rollout/percent",
      one(default=rollout(percent=0.00004)))
    e("INVALID_PERCENT: stage percent with 5 decimal places", "INVALID_PERCENT",
      "/flags/f/default/rollout/stages/0/percent",
      one(default=rollout(stages=[{"at": day(0), "percent": 2.00005}])))
    e("INVALID_PERCENT: negative", "INVALID_PERCENT", "/flags/f/default/rollout/percent",
      one(default=rollout(percent=-1)))
    e("INVALID_PERCENT: both percent and stages (reported at `percent`)", "INVALID_PERCENT",
      "/flags/f/default/rollout/percent",
      one(default=rollout(percent=5, stages=[{"at": day(0), "percent": 5}])))
    e("INVALID_PERCENT: stage percent over 100", "INVALID_PERCENT",
      "/flags/f/default/rollout/stages/1/percent",
      one(default=rollout(stages=[{"at": day(0), "percent": 5}, {"at": day(1), "percent": 101}])))
    # UNORDERED_STAGES
    e("UNORDERED_STAGES: two stages at the same time", "UNORDERED_STAGES",
      "/flags/f/default/rollout/stages/1",
      one(default=rollout(stages=[{"at": day(0), "percent": 1}, {"at": day(0), "percent": 5}])))
    e("UNORDERED_STAGES: decreasing time", "UNORDERED_STAGES",
      "/flags/f/default/rollout/stages/2",
      one(default=rollout(stages=[{"at": day(0), "percent": 1}, {"at": day(2), "percent": 5},
                                  {"at": day(1), "percent": 30}])))
    e("UNORDERED_STAGES: the same instant written with different offsets", "UNORDERED_STAGES",
      "/flags/f/default/rollout/stages/1",
      one(default=rollout(stages=[{"at": "2026-12-01T10:00:00+01:00", "percent": 1},
                                  {"at": "2026-12-01T09:00:00Z", "percent": 5}])))
    e("UNORDERED_STAGES: empty stages", "UNORDERED_STAGES", "/flags/f/default/rollout/stages",
      one(default=rollout(stages=[])))
    # SHRINKING_EXPOSURE
    e("SHRINKING_EXPOSURE: 5% after 30% without rollback", "SHRINKING_EXPOSURE",
      "/flags/f/default/rollout/stages/1",
      one(default=rollout(stages=[{"at": day(0), "percent": 30}, {"at": day(1), "percent": 5}])))
    e("SHRINKING_EXPOSURE: after a rollback, lowering again needs rollback too",
      "SHRINKING_EXPOSURE", "/flags/f/default/rollout/stages/3",
      one(default=rollout(stages=[{"at": day(0), "percent": 1}, {"at": day(1), "percent": 30},
                                  {"at": day(2), "percent": 5, "rollback": True},
                                  {"at": day(3), "percent": 2}])))
    e("SHRINKING_EXPOSURE: rollback false is no rollback", "SHRINKING_EXPOSURE",
      "/flags/f/default/rollout/stages/1",
      one(default=rollout(stages=[{"at": day(0), "percent": 2},
                                  {"at": day(1), "percent": 1, "rollback": False}])))
    e("SHRINKING_EXPOSURE: in a rollout served by a rule", "SHRINKING_EXPOSURE",
      "/flags/f/rules/0/serve/rollout/stages/1",
      one(rules=[rule({"all": []}, rollout(stages=[{"at": day(0), "percent": 2},
                                                   {"at": day(1), "percent": 1.9999}]))]))
    # INVALID_CONDITION
    e("INVALID_CONDITION: unknown operator", "INVALID_CONDITION", "/flags/f/rules/0/if",
      one(rules=[rule({"attr": "a", "op": "matches", "value": "x"})]))
    e("INVALID_CONDITION: bad semver literal", "INVALID_CONDITION", "/flags/f/rules/0/if",
      one(rules=[rule({"attr": "appVersion", "op": "semver_lt", "value": "4.2"})]))
    e("INVALID_CONDITION: bad time literal (date only)", "INVALID_CONDITION",
      "/flags/f/rules/0/if",
      one(rules=[rule({"attr": "signupAt", "op": "before", "value": "2026-01-01"})]))
    e("INVALID_CONDITION: number operator with a string literal", "INVALID_CONDITION",
      "/flags/f/rules/0/if", one(rules=[rule({"attr": "age", "op": "lt", "value": "18"})]))
    e("INVALID_CONDITION: string operator with a number literal", "INVALID_CONDITION",
      "/flags/f/rules/0/if", one(rules=[rule({"attr": "code", "op": "contains", "value": 1})]))
    e("INVALID_CONDITION: eq with an array literal", "INVALID_CONDITION", "/flags/f/rules/0/if",
      one(rules=[rule({"attr": "a", "op": "eq", "value": ["x"]})]))
    e("INVALID_CONDITION: eq with a null literal", "INVALID_CONDITION", "/flags/f/rules/0/if",
      one(rules=[rule({"attr": "a", "op": "eq", "value": None})]))
    e("INVALID_CONDITION: in with an object among the values", "INVALID_CONDITION",
      "/flags/f/rules/0/if",
      one(rules=[rule({"attr": "a", "op": "in", "values": ["x", {"y": 1}]})]))
    e("INVALID_CONDITION: two shapes in one condition (all and any)", "INVALID_CONDITION",
      "/flags/f/rules/0/if", one(rules=[rule({"all": [], "any": []})]))
    e("INVALID_CONDITION: empty condition object", "INVALID_CONDITION", "/flags/f/rules/0/if",
      one(rules=[rule({})]))
    e("INVALID_CONDITION: nested bad clause inside any (path of the clause)",
      "INVALID_CONDITION", "/flags/f/rules/0/if/any/1",
      one(rules=[rule({"any": [{"attr": "a", "op": "exists"},
                               {"attr": "b", "op": "semver_gt", "value": "one"}]})]))
    e("INVALID_CONDITION: bad clause inside not", "INVALID_CONDITION",
      "/flags/f/rules/0/if/not",
      one(rules=[rule({"not": {"attr": "age", "op": "gte", "value": True}})]))
    e("INVALID_CONDITION: segment inside a segment", "INVALID_CONDITION", "/segments/s/if",
      doc(segments={"t": {"include": ["a"]}, "s": {"if": {"segment": "t"}}}))
    e("INVALID_CONDITION: segment inside a segment, nested", "INVALID_CONDITION",
      "/segments/s/if/any/1",
      doc(segments={"t": {"include": ["a"]},
                    "s": {"if": {"any": [{"attr": "x", "op": "exists"}, {"segment": "t"}]}}}))
    e("INVALID_CONDITION: bad clause in a segment's if", "INVALID_CONDITION", "/segments/s/if",
      doc(segments={"s": {"if": {"attr": "x", "op": "after", "value": "soon"}}}))
    # INVALID_TIME
    e("INVALID_TIME: stage at with an impossible date", "INVALID_TIME",
      "/flags/f/default/rollout/stages/0/at",
      one(default=rollout(stages=[{"at": "2026-02-30T00:00:00Z", "percent": 1}])))
    e("INVALID_TIME: stage at without an offset", "INVALID_TIME",
      "/flags/f/default/rollout/stages/1/at",
      one(default=rollout(stages=[{"at": day(0), "percent": 1},
                                  {"at": "2026-12-05T00:00:00", "percent": 5}])))
    e("INVALID_TIME: remove_by is not a date", "INVALID_TIME", "/flags/f/metadata/remove_by",
      one(metadata={"temporary": True, "remove_by": "2027-02-30"}))
    e("INVALID_TIME: remove_by not in YYYY-MM-DD form", "INVALID_TIME",
      "/flags/f/metadata/remove_by", one(metadata={"temporary": True, "remove_by": "2027-3-1"}))
    e("INVALID_TIME: remove_by with temporary false", "INVALID_TIME",
      "/flags/f/metadata/remove_by", one(metadata={"temporary": False, "remove_by": "2027-03-01"}))
    e("INVALID_TIME: remove_by without temporary", "INVALID_TIME", "/flags/f/metadata/remove_by",
      one(metadata={"owner": "payments", "remove_by": "2027-03-01"}))
    # LIMIT_EXCEEDED
    v65 = {f"v{i}": i for i in range(65)}
    e("LIMIT_EXCEEDED: 65 variants", "LIMIT_EXCEEDED", "/flags/f/variants",
      one(variants=v65, off="v0", default="v0"))
    flags17 = {f"p{i}": flag() for i in range(17)}
    flags17["f"] = flag(prerequisites=[{"flag": f"p{i}", "variant": "on"} for i in range(17)])
    e("LIMIT_EXCEEDED: 17 prerequisites", "LIMIT_EXCEEDED", "/flags/f/prerequisites",
      doc(flags17))
    e("LIMIT_EXCEEDED: 65 stages", "LIMIT_EXCEEDED", "/flags/f/default/rollout/stages",
      one(default=rollout(stages=[{"at": day(i), "percent": 1} for i in range(65)])))
    e("LIMIT_EXCEEDED: string literal over 4096 bytes (reported at the clause)",
      "LIMIT_EXCEEDED", "/flags/f/rules/0/if",
      one(rules=[rule({"attr": "a", "op": "eq", "value": "x" * 4097})]))
    desc = (
        "Compile errors: each case is a ruleset (`ruleset`, a JSON value, or `ruleset_text`, raw "
        "text) that must fail to load with exactly `error.code`, and, when given, `error.path` "
        "(RFC 6901 JSON Pointer; `~` and `/` in keys escaped as ~0 and ~1; the pointer to a key "
        "\"\" is \"/flags/\"). `path` is omitted for TOO_LARGE (no location), INVALID_JSON and "
        "INVALID_FORMAT (those report line/column instead; only the code is checked). Optional "
        "`pad_to_bytes`: append ASCII spaces to `ruleset_text` until it is that many bytes long "
        "(keeps the 16 MiB TOO_LARGE case small in the repository). Path conventions chosen "
        "where the spec is open: (1) every error found while checking a condition (unknown "
        "operator, literal type, unparseable SemVer/time literal, segment inside a segment, "
        "unknown segment, string literal LIMIT_EXCEEDED) is reported at that condition's "
        "object, e.g. /flags/f/rules/0/if or /flags/f/rules/0/if/any/1; "
        "(2) an invalid key is reported at the member it names (/flags/<key>, "
        "/flags/f/variants/<name>, /segments/<name>), a rule id at /flags/f/rules/<i>/id, an "
        "attribute name at the member holding it (/.../if/attr, /.../rollout/by, "
        "/segments/<name>/by); "
        "(3) DUPLICATE_KEY: the duplicated member's pointer; for rule ids the later rule's id; "
        "(4) a count limit (variants, prerequisites, stages) at the container; (5) weights: a "
        "bad single weight at /.../variants/<name>, a bad total at /.../variants; (6) "
        "percent and stages together at /.../rollout/percent (the member to remove); stage "
        "order and shrinking at the "
        "offending stage object /.../stages/<i> (compared with the stage before it; times "
        "compared as instants); empty stages at /.../stages; (7) VARIANT_TYPE_MISMATCH at the "
        "first variant (document order) that is null or whose type differs from the first "
        "variant's; (8) PREREQUISITE_CYCLE: depth-first search starting from each flag in "
        "document order (skipping flags already finished), following prerequisite entries in "
        "order; the first entry that leads to a flag on the current search path closes the "
        "cycle and is reported, e.g. /flags/b/prerequisites/0 for a -> b -> a; (9) a key longer "
        "than 128 bytes or an attribute name longer than 256 bytes is INVALID_KEY (the naming "
        "rule), not LIMIT_EXCEEDED; (10) UNSUPPORTED_SCHEMA is checked before the rest of the "
        "format; (11) an unknown `ramp` value is INVALID_FORMAT; (12) prerequisite problems: "
        "UNKNOWN_FLAG at /.../prerequisites/<i>/flag, UNKNOWN_VARIANT (a variant of the "
        "prerequisite flag) at /.../prerequisites/<i>/variant.")
    jsonfmt.write(os.path.join(OUT, "compile-errors.json"), {"description": desc, "cases": C})
    return len(C)


def main():
    counts = {}
    for fn in (operators, types, conditions, segments, prerequisites, kill_switch,
               reasons_and_errors, rollouts, stages, worked_example):
        counts[fn.__name__] = fn()
    counts["compile_errors"] = compile_errors()
    for k, v in counts.items():
        print(f"{k:20s} {v:4d}")
    print(f"evaluation cases: {sum(v for k, v in counts.items() if k != 'compile_errors')}")
    return subprocess.call([sys.executable, os.path.join(HERE, "run_corpus.py")])


if __name__ == "__main__":
    sys.exit(main())
