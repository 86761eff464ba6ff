"""Produce RunSubmitted on ``<prefix>.run-submissions.v1``, keyed by model name."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from kafka import KafkaProducer

from .run_submitted import EVENT_TYPE, encode_run_submitted, run_submitted_record

__all__ = ["RunSubmissionProducer", "kafka_security"]


def kafka_security(
    username: str, password: str, *, mechanism: str = "SCRAM-SHA-512", tls: bool = False, ca_file: str | None = None
) -> dict[str, Any]:
    """kafka-python options for a broker that authenticates (SASL/SCRAM; with ``tls``, over TLS with
    the CA in ``ca_file``, else the system's). The registry's brokers give training clusters the
    ``trainer`` principal, which may only write the run-submissions topic."""
    options: dict[str, Any] = {
        "security_protocol": "SASL_SSL" if tls else "SASL_PLAINTEXT",
        "sasl_mechanism": mechanism,
        "sasl_plain_username": username,
        "sasl_plain_password": password,
    }
    if tls and ca_file:
        options["ssl_cafile"] = ca_file
    return options


class RunSubmissionProducer:
    """The Kafka alternative to ``POST /v1/runs``. The key is the model name and the partitioner is
    murmur2 (as the registry's and the Java client's), so one model's submissions stay in order.
    Invalid submissions reach the registry's dead-letter topic with the reason; registration is
    idempotent per training run, so re-sending is safe. Pass ``**kafka_security(user, password)``
    for a broker that authenticates."""

    def __init__(self, bootstrap_servers: str, *, topic_prefix: str = "modelreg", producer: str = "modelreg-python", **kafka_options: Any):
        self.topic = f"{topic_prefix}.run-submissions.v1"
        self.producer_name = producer
        self._producer = KafkaProducer(
            bootstrap_servers=bootstrap_servers.split(","), acks="all", enable_idempotence=True, **kafka_options
        )

    def submit(self, submission: Mapping[str, Any], *, correlation_id: str | None = None, timeout: float = 30.0) -> str:
        """Sends and waits for the broker's acknowledgement; returns the event id."""
        record = run_submitted_record(submission, producer=self.producer_name, correlation_id=correlation_id)
        envelope = record["envelope"]
        headers = [
            ("modelreg-event-type", EVENT_TYPE.encode()),
            ("modelreg-event-id", envelope["eventId"].encode()),
            ("modelreg-correlation-id", envelope["correlationId"].encode()),
        ]
        future = self._producer.send(self.topic, key=record["modelName"].encode(), value=encode_run_submitted(record), headers=headers)
        future.get(timeout=timeout)
        return str(envelope["eventId"])

    def close(self) -> None:
        self._producer.close()

    def __enter__(self) -> RunSubmissionProducer:
        return self

    def __exit__(self, *_: object) -> None:
        self.close()
