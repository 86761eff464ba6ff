"""The HTTP client against the real registry: upload, register, gate decision, queries, errors."""

from pathlib import Path
from typing import Any

import pytest

from conftest import run_body, unique, write_bytes
from modelreg import ConflictError, InvalidRequestError, NotFoundError, RegistryClient, environment_fingerprint, probe_environment


def test_a_training_job_uploads_registers_and_gets_its_gate_decision(client: RegistryClient, tmp_path: Path) -> None:
    model = unique("py-train")
    artifact = write_bytes(tmp_path, "model.onnx", 3 * 1024 * 1024 + 17)
    seen: list[tuple[str, int, int]] = []
    uploaded = client.upload_artifact(artifact, progress=lambda phase, done, total: seen.append((phase, done, total)))
    assert not uploaded.deduplicated and uploaded.size_bytes == 3 * 1024 * 1024 + 17
    assert seen[-1] == ("upload", uploaded.size_bytes, uploaded.size_bytes)
    assert {phase for phase, _, _ in seen} == {"hash", "upload"}
    assert client.upload_artifact(artifact).deduplicated

    environment = probe_environment(tmp_path)
    body = run_body(model, "run-1", [uploaded.declare("server", "ONNX")], environment={**environment, "fingerprint": environment_fingerprint(environment)})
    registered = client.register_run(body)
    assert (registered.model_name, registered.model_version, registered.created) == (model, 1, True)
    again = client.register_run(body)
    assert (again.model_version, again.created, again.event_id) == (1, False, registered.event_id)

    decision = client.wait_for_decision(model, 1)
    assert decision["verdict"] in ("PASSED", "FAILED")
    version = client.wait_for_version(model, 1)
    assert version["environment"]["fingerprint"] == environment_fingerprint(environment)
    assert version["seeds"]["dataloader"] == "18446744073709551615"
    assert [v["modelVersion"] for v in client.versions(model)] == [1]


def test_the_client_fingerprint_is_accepted_for_names_mixing_case_and_separators(client: RegistryClient, vectors: dict[str, Any], tmp_path: Path) -> None:
    mixed = vectors["environmentFingerprint"]["cases"][2]
    uploaded = client.upload_artifact(write_bytes(tmp_path, "m.onnx", 512))
    body = run_body(unique("py-mixed"), "run-1", [uploaded.declare("server", "ONNX")], environment={**mixed["facts"], "fingerprint": environment_fingerprint(mixed["facts"])})
    assert client.register_run(body).created


def test_diff_and_deployed_answer_for_registered_versions(client: RegistryClient, tmp_path: Path) -> None:
    model = unique("py-diff")
    for run, rate in (("run-1", 0.001), ("run-2", 0.002)):
        uploaded = client.upload_artifact(write_bytes(tmp_path, f"{run}.onnx", 256))
        client.register_run(run_body(model, run, [uploaded.declare("server", "ONNX")], hyperparameters={"learning_rate": rate}, environment=probe_environment(tmp_path)))
    client.wait_for_version(model, 2)
    diff = client.diff(model, 2, 1)
    assert {c["field"]: (c["from"], c["to"], c["fromType"], c["toType"]) for c in diff["hyperparameters"]}["learning_rate"] == (0.001, 0.002, "double", "double")
    assert client.deployed(model) == []


def test_errors_mirror_the_api(client: RegistryClient, tmp_path: Path) -> None:
    uploaded = client.upload_artifact(write_bytes(tmp_path, "e.onnx", 128))
    body = run_body(unique("py-errors"), "run-1", [uploaded.declare("server", "ONNX")], seeds={}, environment=probe_environment(tmp_path))
    with pytest.raises(InvalidRequestError) as invalid:
        client.register_run(body)
    assert invalid.value.status == 422 and invalid.value.error == "validation_failed"
    assert [e.field for e in invalid.value.errors] == ["seeds"]
    assert not invalid.value.retriable

    environment = probe_environment(tmp_path)
    with pytest.raises(InvalidRequestError) as wrong:
        client.register_run({**body, "seeds": {"torch": "1"}, "environment": {**environment, "fingerprint": "f" * 64}})
    assert wrong.value.errors[0].field == "environment.fingerprint"

    client.register_run({**body, "seeds": {"torch": "1"}})
    with pytest.raises(ConflictError) as conflict:
        client.register_run({**body, "seeds": {"torch": "2"}})
    assert conflict.value.status == 409 and conflict.value.errors[0].field == "trainingRunId"

    with pytest.raises(NotFoundError):
        client.version(unique("py-missing"), 1)
