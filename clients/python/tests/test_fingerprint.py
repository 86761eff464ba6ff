import hashlib
import locale
from typing import Any

from modelreg import environment_fingerprint


def test_reproduces_every_shared_fingerprint_vector(vectors: dict[str, Any]) -> None:
    cases = vectors["environmentFingerprint"]["cases"]
    assert len(cases) >= 5
    for case in cases:
        assert hashlib.sha256(case["canonical"].encode()).hexdigest() == case["fingerprint"]
        assert environment_fingerprint(case["facts"]) == case["fingerprint"], case["name"]


def test_hashes_the_same_whatever_the_package_order_and_locale(vectors: dict[str, Any]) -> None:
    mixed = vectors["environmentFingerprint"]["cases"][2]
    shuffled = {**mixed["facts"], "packages": list(reversed(mixed["facts"]["packages"]))}
    previous = locale.setlocale(locale.LC_COLLATE)
    try:
        for name in ("C", "C.UTF-8"):
            try:
                locale.setlocale(locale.LC_COLLATE, name)
            except locale.Error:
                continue
            assert environment_fingerprint(shuffled) == mixed["fingerprint"]
    finally:
        locale.setlocale(locale.LC_COLLATE, previous)


def test_missing_optional_facts_count_as_the_server_counts_them(vectors: dict[str, Any]) -> None:
    bare = vectors["environmentFingerprint"]["cases"][0]
    sparse = {"cpuModel": bare["facts"]["cpuModel"], "os": bare["facts"]["os"], "kernel": bare["facts"]["kernel"], "fingerprint": "ignored"}
    assert environment_fingerprint(sparse) == bare["fingerprint"]
    assert environment_fingerprint({**sparse, "gpuCount": 1}) != bare["fingerprint"]
