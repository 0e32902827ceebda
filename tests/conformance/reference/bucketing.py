#!/usr/bin/env python3
"""Reference implementation of darklaunch bucketing (docs/bucketing.md).

Pure Python 3.11, standard library only. It is the oracle for every rollout
expectation in tests/conformance/: the bucketing vectors and the rollout /
stage cases of the evaluation corpus.

    python3 bucketing.py --selftest        # SipHash-2-4 paper vectors + sanity checks
    python3 bucketing.py                   # (re)write ../bucketing-vectors.json
    python3 bucketing.py --print SALT UNIT # show position / variant_position of one unit

The algorithm, step by step:

1. frame            = u32_le(len(salt)) || salt || u32_le(len(unit)) || unit   (UTF-8 bytes;
                      an integer unit is first written as its shortest decimal text)
2. position         = SipHash-2-4(key=b"darklaunch:incl1", frame)
   variant_position = SipHash-2-4(key=b"darklaunch:vari1", frame)
3. units            = percent * 10_000   (exact decimal arithmetic on the JSON text of the
                      percent, which has at most 4 decimal places)
   threshold        = units * 2**64 // 1_000_000
   inside           = position < threshold
4. variants sorted by name, byte-wise; bound_i = c_i * 2**64 // W (c_i cumulative weight);
   variant = first i with variant_position < bound_i
"""
from __future__ import annotations

import json
import os
import sys
from decimal import Decimal

MASK64 = (1 << 64) - 1
TWO64 = 1 << 64
INCLUSION_KEY = b"darklaunch:incl1"
VARIANT_KEY = b"darklaunch:vari1"
assert len(INCLUSION_KEY) == 16 and len(VARIANT_KEY) == 16


# --------------------------------------------------------------------------- SipHash-2-4

def _rotl(x: int, b: int) -> int:
    return ((x << b) | (x >> (64 - b))) & MASK64


def _sipround(v0: int, v1: int, v2: int, v3: int) -> tuple[int, int, int, int]:
    v0 = (v0 + v1) & MASK64
    v1 = _rotl(v1, 13)
    v1 ^= v0
    v0 = _rotl(v0, 32)
    v2 = (v2 + v3) & MASK64
    v3 = _rotl(v3, 16)
    v3 ^= v2
    v0 = (v0 + v3) & MASK64
    v3 = _rotl(v3, 21)
    v3 ^= v0
    v2 = (v2 + v1) & MASK64
    v1 = _rotl(v1, 17)
    v1 ^= v2
    v2 = _rotl(v2, 32)
    return v0, v1, v2, v3


def siphash24(key: bytes, msg: bytes) -> int:
    """SipHash-2-4 with a 16-byte key; returns the 64-bit output as an unsigned int."""
    if len(key) != 16:
        raise ValueError("SipHash key must be 16 bytes")
    k0 = int.from_bytes(key[0:8], "little")
    k1 = int.from_bytes(key[8:16], "little")
    v0 = k0 ^ 0x736F6D6570736575
    v1 = k1 ^ 0x646F72616E646F6D
    v2 = k0 ^ 0x6C7967656E657261
    v3 = k1 ^ 0x7465646279746573
    n = len(msg)
    end = n - (n % 8)
    for i in range(0, end, 8):
        m = int.from_bytes(msg[i:i + 8], "little")
        v3 ^= m
        v0, v1, v2, v3 = _sipround(v0, v1, v2, v3)
        v0, v1, v2, v3 = _sipround(v0, v1, v2, v3)
        v0 ^= m
    # last block: remaining bytes, zero padded, length (mod 256) in the top byte
    b = ((n & 0xFF) << 56) | int.from_bytes(msg[end:], "little")
    v3 ^= b
    v0, v1, v2, v3 = _sipround(v0, v1, v2, v3)
    v0, v1, v2, v3 = _sipround(v0, v1, v2, v3)
    v0 ^= b
    v2 ^= 0xFF
    for _ in range(4):
        v0, v1, v2, v3 = _sipround(v0, v1, v2, v3)
    return v0 ^ v1 ^ v2 ^ v3


# --------------------------------------------------------------------------- bucketing

def unit_text(unit: str | int) -> str:
    """The unit as text: strings as they are, integers as shortest decimal text."""
    if isinstance(unit, bool):
        raise TypeError("a boolean is not a bucketing unit (INVALID_CONTEXT)")
    if isinstance(unit, int):
        return str(unit)
    if isinstance(unit, str):
        return unit
    raise TypeError("unit must be a string or an integer (INVALID_CONTEXT)")


def frame(salt: str, unit: str | int) -> bytes:
    s = salt.encode("utf-8")
    u = unit_text(unit).encode("utf-8")
    return len(s).to_bytes(4, "little") + s + len(u).to_bytes(4, "little") + u


def position(salt: str, unit: str | int) -> int:
    return siphash24(INCLUSION_KEY, frame(salt, unit))


def variant_position(salt: str, unit: str | int) -> int:
    return siphash24(VARIANT_KEY, frame(salt, unit))


def percent_units(percent: str | int | Decimal) -> int:
    """percent * 10_000, exactly, from the JSON text of the percent (at most 4 decimals).

    Pass the percent as its JSON text (e.g. "33.3333") or an int; floats are refused
    on purpose (they would reintroduce binary rounding error).
    """
    if isinstance(percent, float):
        raise TypeError("give the percent as its JSON text, not a float")
    d = Decimal(percent) if not isinstance(percent, Decimal) else percent
    if d < 0 or d > 100:
        raise ValueError("percent must be in 0..100")
    # At most 4 decimal places: finer percents are refused by the compiler (INVALID_PERCENT),
    # because their binary values round differently across languages.
    scaled = d * 10_000
    if scaled != scaled.to_integral_value():
        raise ValueError("percent has more than 4 decimal places")
    u = int(scaled)
    assert 0 <= u <= 1_000_000
    return u


def threshold_from_units(units: int) -> int:
    assert 0 <= units <= 1_000_000
    return units * TWO64 // 1_000_000


def threshold(percent: str | int | Decimal) -> int:
    return threshold_from_units(percent_units(percent))


def inside(salt: str, unit: str | int, percent: str | int | Decimal) -> bool:
    return position(salt, unit) < threshold(percent)


def inside_units(salt: str, unit: str | int, units: int) -> bool:
    return position(salt, unit) < threshold_from_units(units)


def min_units_inside(salt: str, unit: str | int) -> int:
    """The smallest `units` (percent * 10_000) at which the unit is inside."""
    p = position(salt, unit)
    # smallest u with p < u * 2**64 // 10**6  <=>  u * 2**64 >= (p + 1) * 10**6  (ceil)
    u = -(-(p + 1) * 1_000_000 // TWO64)
    assert inside_units(salt, unit, u) and (u == 0 or not inside_units(salt, unit, u - 1))
    return u


def choose_variant(salt: str, unit: str | int, weights: dict[str, int]) -> str:
    """The variant of a unit that is inside the rollout."""
    names = sorted(weights, key=lambda n: n.encode("utf-8"))  # byte-wise order
    total = sum(weights.values())
    if total <= 0:
        raise ValueError("weights must total at least 1")
    if len(names) == 1:
        return names[0]  # a single-variant rollout never computes variant_position
    vp = variant_position(salt, unit)
    c = 0
    for name in names:
        c += weights[name]
        if vp < c * TWO64 // total:
            return name
    raise AssertionError("unreachable: bound_n == 2**64")


def bucket(salt: str, unit: str | int, percent_or_units, weights: dict[str, int],
           otherwise: str, *, is_units: bool = False) -> str:
    """The variant served by a rollout to a unit (inside: weighted choice; outside: otherwise)."""
    units = percent_or_units if is_units else percent_units(percent_or_units)
    if inside_units(salt, unit, units):
        return choose_variant(salt, unit, weights)
    return otherwise


# --------------------------------------------------------------------------- self test

SIPHASH_PAPER_VECTORS = {
    # key = 00 01 .. 0f, message = 00 01 .. (n-1); 64-bit output (SipHash paper, Appendix A
    # and the reference implementation's vectors.h, read as little-endian u64)
    0: 0x726FDB47DD0E0E31,
    1: 0x74F839C593DC67FD,
    15: 0xA129CA6149BE45E5,
}


def selftest() -> None:
    key = bytes(range(16))
    for n, want in SIPHASH_PAPER_VECTORS.items():
        got = siphash24(key, bytes(range(n)))
        assert got == want, f"SipHash-2-4 vector n={n}: got {got:#018x}, want {want:#018x}"
    # framing makes ("ab","c") and ("a","bc") distinct
    assert frame("ab", "c") != frame("a", "bc")
    assert frame("", "") == b"\0" * 8
    assert frame("s", 42) == frame("s", "42") and frame("s", -7) == frame("s", "-7")
    # thresholds
    assert threshold("0") == 0 and threshold("100") == TWO64
    assert percent_units("0.0001") == 1 and percent_units("33.3333") == 333333
    for finer in ("0.00005", "0.000049999", "33.33335"):
        try:
            percent_units(finer)
        except ValueError:
            continue
        raise AssertionError(f"{finer} has more than 4 decimals and must be refused")
    assert threshold("50") == 1 << 63
    # stickiness
    for i in range(200):
        u = f"user-{i}"
        if inside("selftest", u, "1"):
            assert inside("selftest", u, "5") and inside("selftest", u, "30")
    assert choose_variant("x", "y", {"only": 3}) == "only"


# --------------------------------------------------------------------------- vectors

WEIGHT_SETS = [
    {"on": 1},
    {"a": 1, "b": 1},
    {"control": 34, "short": 33, "urgent": 33},
    {"a": 1, "b": 0, "c": 99},
]
INSIDE_PERCENTS = ["0.01", "1", "5", "30", "100"]
THRESHOLD_PERCENTS = ["0", "0.0001", "0.01", "1", "5", "30", "33.3333", "50", "99.9999", "100"]


def _find_units(salt: str, prefix: str, lo_units: int, hi_units: int, count: int) -> list[str]:
    """Brute force: units named prefix+N whose minimal inclusion units lie in (lo, hi]."""
    found, i = [], 0
    while len(found) < count:
        u = f"{prefix}{i}"
        m = min_units_inside(salt, u)
        if lo_units < m <= hi_units:
            found.append(u)
        i += 1
    return found


def vector_inputs() -> list[tuple[str, str | int]]:
    v: list[tuple[str, str | int]] = [
        ("", ""),                                   # both empty
        ("", "user-1"),                             # empty salt
        ("new-checkout", ""),                       # empty unit
        ("new-checkout", "user-42"),
        ("new-checkout", "user-43"),
        ("ab", "c"),                                # would collide without framing ...
        ("a", "bc"),                                # ... with this one
        ("abc", ""),
        ("", "abc"),
        ("new-checkout", "Jürgen"),                 # 2-byte UTF-8
        ("new-checkout", "東京-42"),                 # 3-byte UTF-8
        ("new-checkout", "🚀user"),                  # 4-byte UTF-8
        ("new-checkout", "x" * 200),                # long unit, 200 bytes
        ("new-checkout", 42),                       # integer unit, formatted "42"
        ("new-checkout", -7),                       # negative integer unit, "-7"
        ("checkout-copy", "user-42"),
        ("org-rollout", "org-7"),
        ("sälz", "user-1"),                         # non-ASCII salt
    ]
    # units inside at 1% (and thus at 5% and 30%)
    v += [("new-checkout", u) for u in _find_units("new-checkout", "user-", 0, 10_000, 3)]
    # units inside at 5% but not at 1%
    v += [("new-checkout", u) for u in _find_units("new-checkout", "user-", 10_000, 50_000, 3)]
    # units inside at 30% but not at 5%
    v += [("new-checkout", u) for u in _find_units("new-checkout", "user-", 50_000, 300_000, 2)]
    # a unit inside at 0.01%
    v += [("new-checkout", u) for u in _find_units("new-checkout", "user-", 0, 100, 1)]
    return v


def make_vectors() -> dict:
    vectors = []
    for idx, (salt, unit) in enumerate(vector_inputs()):
        weights = WEIGHT_SETS[idx % len(WEIGHT_SETS)]
        vectors.append({
            "salt": salt,
            "unit": unit,
            "position": str(position(salt, unit)),
            "variant_position": str(variant_position(salt, unit)),
            "inside": {p: inside(salt, unit, p) for p in INSIDE_PERCENTS},
            "weights": weights,
            "variant": choose_variant(salt, unit, weights),
        })
    return {
        "description": (
            "Bucketing vectors for docs/bucketing.md, generated by "
            "tests/conformance/reference/bucketing.py (do not edit by hand). For each vector: "
            "frame = u32_le(len(salt)) || salt || u32_le(len(unit)) || unit (UTF-8; a unit given "
            "as a JSON integer is hashed as its shortest decimal text, e.g. 42 -> \"42\"); "
            "position = SipHash-2-4(keys.inclusion, frame); variant_position = "
            "SipHash-2-4(keys.variant, frame), both unsigned 64-bit, written as decimal strings. "
            "inside[p] = position < threshold(p), where threshold(p) = units * 2^64 // 1000000 "
            "and units = p * 10000 computed exactly on the decimal text p (at most 4 decimal "
            "places). variant = the weighted choice for a unit inside the rollout: variants "
            "sorted by name byte-wise, bound_i = c_i * 2^64 // W, first i with variant_position "
            "< bound_i (single-variant weights: that variant). 'thresholds' lists, for selected "
            "percents p (JSON text), units(p) and threshold(p) as a decimal string."
        ),
        "keys": {"inclusion": INCLUSION_KEY.decode(), "variant": VARIANT_KEY.decode()},
        "vectors": vectors,
        "thresholds": [
            {"percent": p, "units": percent_units(p), "threshold": str(threshold(p))}
            for p in THRESHOLD_PERCENTS
        ],
    }


def main(argv: list[str]) -> int:
    selftest()
    if "--selftest" in argv:
        print("bucketing selftest: ok")
        return 0
    if len(argv) >= 2 and argv[0] == "--print":
        salt, unit = argv[1], (argv[2] if len(argv) > 2 else "")
        print(json.dumps({"salt": salt, "unit": unit, "position": position(salt, unit),
                          "variant_position": variant_position(salt, unit),
                          "min_units_inside": min_units_inside(salt, unit)}))
        return 0
    out = os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "bucketing-vectors.json")
    data = make_vectors()
    with open(out, "w", encoding="utf-8") as f:
        f.write(json.dumps(data, indent=2, ensure_ascii=False) + "\n")
    print(f"wrote {os.path.normpath(out)}: {len(data['vectors'])} vectors")
    return 0


selftest()  # runs on import: a broken oracle must never produce expectations

if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
