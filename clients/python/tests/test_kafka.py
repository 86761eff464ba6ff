"""RunSubmitted over Kafka (fastavro, single-object encoding) into the real ingestion service."""

import json
import re
import time
from pathlib import Path
from typing import Any

from conftest import REPO_ROOT, run_body, unique, write_bytes
from modelreg import RegistryClient, environment_fingerprint, probe_environment
from modelreg.kafka_producer import RunSubmissionProducer, kafka_security
from modelreg.run_submitted import RUN_SUBMITTED_SCHEMA, decode_run_submitted, encode_run_submitted, run_submitted_record


def test_ships_the_latest_run_submitted_schema() -> None:
    versions = sorted(
        (REPO_ROOT / "schemas/lineage/RunSubmitted").glob("v*.avsc"), key=lambda p: int(re.findall(r"\d+", p.name)[0])
    )
    assert json.loads(versions[-1].read_text()) == RUN_SUBMITTED_SCHEMA


def test_encodes_what_it_decodes_with_the_single_object_header(tmp_path: Path) -> None:
    body = run_body("fraud-model", "run-1", [{"target": "server", "format": "ONNX", "sizeBytes": 1, "sha256": "a" * 64}], environment=probe_environment(tmp_path))
    record = run_submitted_record(body, event_id="00000000-0000-4000-8000-000000000001", occurred_at_ms=1)
    value = encode_run_submitted(record)
    assert value[:2] == b"\xc3\x01"
    decoded = decode_run_submitted(value)
    assert decoded["hyperparameters"] == {"learning_rate": 0.001, "batch_size": 2048, "optimizer": "adam", "dropout": 0.0}
    assert decoded["dataSnapshots"][0]["coveredFrom"].year == 2024
    assert decoded["environment"]["fingerprint"] == environment_fingerprint(body["environment"])


def trainer_options(registry: dict[str, Any]) -> dict[str, Any]:
    """The trainer principal's SASL settings where the local broker authenticates."""
    sasl = registry.get("kafkaSasl")
    return kafka_security(sasl["username"], sasl["password"], mechanism=sasl["mechanism"]) if sasl else {}


def test_a_run_submitted_on_kafka_becomes_a_version(registry: dict[str, Any], client: RegistryClient, tmp_path: Path) -> None:
    model = unique("py-kafka")
    uploaded = client.upload_artifact(write_bytes(tmp_path, "k.onnx", 4096))
    body = run_body(model, "run-kafka-1", [uploaded.declare("server", "ONNX")], environment=probe_environment(tmp_path))
    with RunSubmissionProducer(registry["kafkaBrokers"], topic_prefix=registry["topicPrefix"], **trainer_options(registry)) as producer:
        producer.submit(body)
        producer.submit(body)  # a redelivery registers nothing new
    assert client.wait_for_training_run(model, "run-kafka-1") == 1
    version = client.version(model, 1)
    assert version["hyperparameters"]["batch_size"] == 2048
    assert version["hyperparameterTypes"]["batch_size"] == "long"
    time.sleep(2)
    assert [v["modelVersion"] for v in client.versions(model)] == [1]
