import json
import struct
from typing import Any

import pytest

from modelreg.canonical_json import canonical_json, format_number


def test_reproduces_every_shared_canonical_json_vector(vectors: dict[str, Any]) -> None:
    for vector in vectors["canonicalJson"]:
        assert canonical_json(json.loads(vector["input"])) == vector["canonical"], vector["name"]


def test_prints_every_rfc_8785_number_as_ecmascript_does(vectors: dict[str, Any]) -> None:
    cases = vectors["numbers"]["cases"]
    assert len(cases) >= 20
    for case in cases:
        (number,) = struct.unpack(">d", bytes.fromhex(case["ieee"]))
        assert format_number(number) == case["canonical"], case["ieee"]


def test_reads_integers_as_the_servers_json_parser_does() -> None:
    assert canonical_json(2**53 + 1) == "9007199254740992"
    assert canonical_json([10**21, 10**20, -5]) == "[1e+21,100000000000000000000,-5]"
    assert canonical_json({"b": True, "a": None}) == '{"a":null,"b":true}'


@pytest.mark.parametrize("value", [float("nan"), float("inf"), {"k": "a\ud800b"}, b"bytes", {1: "x"}])
def test_refuses_what_json_cannot_carry_exactly(value: Any) -> None:
    with pytest.raises(TypeError):
        canonical_json(value)
