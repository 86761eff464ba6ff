"""The environment fingerprint: sha256 of the canonical JSON of the environment facts.

Packages are sorted by ecosystem, then name, then version, in Unicode code-point order (Python's
own string order); names are hashed as given. See docs/ARCHITECTURE.md, "Canonical JSON and the
environment fingerprint", and the shared vectors in schemas/vectors/environment-fingerprint.json.
"""

from __future__ import annotations

import hashlib
from collections.abc import Mapping
from typing import Any

from .canonical_json import canonical_json_bytes

__all__ = ["environment_fingerprint", "FACT_FIELDS"]

#: Every field the registry hashes, in the order the API documents them.
FACT_FIELDS = (
    "cpuModel", "gpuModel", "gpuCount", "gpuDriver", "cudaVersion", "cudnnVersion",
    "os", "kernel", "containerImageDigest", "lockfileHash", "packages",
)


def environment_fingerprint(facts: Mapping[str, Any]) -> str:
    """Lower-case hex sha256 over the facts, as the registry computes it.

    ``facts`` is what :func:`modelreg.probe.probe_environment` returns. As on the server, only
    the fact fields are hashed (a ``fingerprint`` key is not), a missing optional fact counts as
    null (``gpuCount`` as 0) and a package without an ecosystem as ``pypi``.
    """
    hashed: dict[str, Any] = {key: facts.get(key, 0 if key == "gpuCount" else None) for key in FACT_FIELDS}
    packages = [
        {"name": p["name"], "version": p["version"], "ecosystem": p.get("ecosystem") or "pypi"}
        for p in facts.get("packages", [])
    ]
    hashed["packages"] = sorted(packages, key=lambda p: (p["ecosystem"], p["name"], p["version"]))
    return hashlib.sha256(canonical_json_bytes(hashed)).hexdigest()
