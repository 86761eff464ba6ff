"""RunSubmitted on Kafka: the Avro single-object encoding of a run submission.

The value is ``C3 01``, the 8-byte little-endian CRC-64-AVRO fingerprint of the schema's Parsing
Canonical Form, then the Avro binary datum (docs/ARCHITECTURE.md, "Wire format"). The schema is the
latest ``schemas/lineage/RunSubmitted/v<N>.avsc``, shipped in the package (a test keeps it identical).
"""

from __future__ import annotations

import io
import json
import time
import uuid
from collections.abc import Mapping
from datetime import datetime, timezone
from functools import lru_cache
from importlib import resources
from typing import Any

import fastavro
from fastavro.schema import fingerprint, to_parsing_canonical_form

from .fingerprint import FACT_FIELDS, environment_fingerprint
from .probe import normalize_seeds

__all__ = ["RUN_SUBMITTED_SCHEMA", "run_submitted_record", "encode_run_submitted", "decode_run_submitted", "schema_fingerprint"]

MAGIC = b"\xc3\x01"
EVENT_TYPE = "RunSubmitted"


@lru_cache(maxsize=1)
def _schema() -> tuple[dict[str, Any], Any, bytes]:
    text = resources.files("modelreg").joinpath("schemas/RunSubmitted.avsc").read_text(encoding="utf-8")
    raw = json.loads(text)
    parsed = fastavro.parse_schema(raw)
    return raw, parsed, bytes.fromhex(fingerprint(to_parsing_canonical_form(parsed), "CRC-64-AVRO"))


def schema_fingerprint() -> int:
    """CRC-64-AVRO of the RunSubmitted schema, as the registry's codec computes it."""
    return int.from_bytes(_schema()[2], "little", signed=True)


RUN_SUBMITTED_SCHEMA: dict[str, Any] = _schema()[0]


def run_submitted_record(
    submission: Mapping[str, Any],
    *,
    producer: str = "modelreg-python",
    correlation_id: str | None = None,
    event_id: str | None = None,
    occurred_at_ms: int | None = None,
) -> dict[str, Any]:
    """The Avro datum for a submission given as the HTTP body (``POST /v1/runs``) would be."""
    environment = dict(submission["environment"])
    facts = {key: environment.get(key, 0 if key == "gpuCount" else None) for key in FACT_FIELDS}
    facts["packages"] = [{"ecosystem": "pypi", **p} for p in environment.get("packages", [])]
    metrics = submission.get("metrics", {})
    return {
        "envelope": {
            "eventId": event_id or str(uuid.uuid4()),
            "eventType": EVENT_TYPE,
            "occurredAt": occurred_at_ms if occurred_at_ms is not None else int(time.time() * 1000),
            "producer": producer,
            "correlationId": correlation_id or str(submission["trainingRunId"]),
            "causationId": None,
            "subject": {"modelName": submission["modelName"], "modelVersion": None},
        },
        "modelName": submission["modelName"],
        "trainingRunId": submission["trainingRunId"],
        "artifacts": [dict(a) for a in submission["artifacts"]],
        "code": dict(submission["code"]),
        "dataSnapshots": [
            {**s, "coveredFrom": _millis(s["coveredFrom"]), "coveredTo": _millis(s["coveredTo"])} for s in submission.get("dataSnapshots", [])
        ],
        "features": [{**f, "version": str(f["version"])} for f in submission.get("features", [])],
        "hyperparameters": {name: _typed(value) for name, value in submission.get("hyperparameters", {}).items()},
        "seeds": normalize_seeds(submission.get("seeds", {})),
        "environment": {**facts, "fingerprint": environment.get("fingerprint") or environment_fingerprint(facts)},
        "metrics": {
            "overall": dict(metrics.get("overall", {})),
            "slices": list(metrics.get("slices", [])),
            "fairness": list(metrics.get("fairness", [])),
            "operational": [{"p99LatencyMs": None, "metrics": {}, **o} for o in metrics.get("operational", [])],
        },
        "labels": dict(submission.get("labels", {})),
    }


def encode_run_submitted(record: Mapping[str, Any]) -> bytes:
    """Single-object encoding of a :func:`run_submitted_record`."""
    _, parsed, header = _schema()
    body = io.BytesIO()
    fastavro.schemaless_writer(body, parsed, dict(record))
    return MAGIC + header + body.getvalue()


def decode_run_submitted(value: bytes) -> dict[str, Any]:
    _, parsed, header = _schema()
    if value[:2] != MAGIC or value[2:10] != header:
        raise ValueError(f"not a single-object encoded RunSubmitted (header {value[:10].hex()})")
    record: Any = fastavro.schemaless_reader(io.BytesIO(value[10:]), parsed, parsed)
    return dict(record)


def _typed(value: Any) -> Any:
    """JSON hyperparameters to the Avro union: ``{"long": n}`` and ``{"double": x}`` keep their type."""
    if isinstance(value, Mapping) and len(value) == 1:
        if "long" in value:
            return int(value["long"])
        if "double" in value:
            return float(value["double"])
    return value


def _millis(value: Any) -> int:
    if isinstance(value, int):
        return value
    text = str(value)
    if len(text) == 10:
        text += "T00:00:00+00:00"
    moment = datetime.fromisoformat(text.replace("Z", "+00:00"))
    if moment.tzinfo is None:
        raise ValueError(f"timestamp {value!r} has no zone")
    return int(moment.astimezone(timezone.utc).timestamp() * 1000)
