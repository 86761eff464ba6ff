"""RFC 8785 JSON Canonicalization Scheme (JCS), byte for byte what the registry computes.

Object keys are sorted by UTF-16 code units, numbers are printed as ECMAScript prints an IEEE 754
double (Python ints are read as doubles, as the server's JSON parser reads them), strings carry the
minimal JSON escapes and no whitespace is added. Values JSON cannot carry exactly (NaN, infinities,
lone surrogates, other types) raise ``TypeError``.
"""

from __future__ import annotations

import json
import math
from collections.abc import Mapping, Sequence
from typing import Any

__all__ = ["canonical_json", "canonical_json_bytes", "format_number"]


def canonical_json(value: Any) -> str:
    """The canonical JSON text of ``value`` (dicts, lists, tuples, str, int, float, bool, None)."""
    if value is None:
        return "null"
    if value is True:
        return "true"
    if value is False:
        return "false"
    if isinstance(value, (int, float)):
        return format_number(float(value))
    if isinstance(value, str):
        return _string(value)
    if isinstance(value, Mapping):
        items = []
        for key in value:
            if not isinstance(key, str):
                raise TypeError(f"canonical JSON object keys are strings, got {type(key).__name__}")
            items.append(key)
        items.sort(key=lambda key: key.encode("utf-16-be", "surrogatepass"))
        return "{" + ",".join(f"{_string(key)}:{canonical_json(value[key])}" for key in items) + "}"
    if isinstance(value, Sequence) and not isinstance(value, (bytes, bytearray)):
        return "[" + ",".join(canonical_json(item) for item in value) + "]"
    raise TypeError(f"canonical JSON has no representation for a {type(value).__name__}")


def canonical_json_bytes(value: Any) -> bytes:
    """The UTF-8 bytes that are hashed."""
    return canonical_json(value).encode("utf-8")


def _string(text: str) -> str:
    try:
        text.encode("utf-8")
    except UnicodeEncodeError:
        raise TypeError("canonical JSON refuses a string with a lone surrogate") from None
    return json.dumps(text, ensure_ascii=False)


def format_number(number: float) -> str:
    """ECMAScript's Number::toString for a finite double (shortest round-trip digits)."""
    if math.isnan(number) or math.isinf(number):
        raise TypeError(f"canonical JSON has no representation for {number}")
    if number == 0:
        return "0"
    sign = "-" if number < 0 else ""
    mantissa, _, exponent = repr(abs(number)).partition("e")
    whole, _, fraction = mantissa.partition(".")
    digits = whole + fraction
    point = len(whole) + (int(exponent) if exponent else 0)
    stripped = digits.lstrip("0")
    point -= len(digits) - len(stripped)
    digits = stripped.rstrip("0")
    k, n = len(digits), point
    if k <= n <= 21:
        return sign + digits + "0" * (n - k)
    if 0 < n <= 21:
        return sign + digits[:n] + "." + digits[n:]
    if -6 < n <= 0:
        return sign + "0." + "0" * (-n) + digits
    e = n - 1
    exp = ("e+" if e >= 0 else "e-") + str(abs(e))
    return sign + digits[0] + ("." + digits[1:] if k > 1 else "") + exp
