"""The MLflow registry-store plugin, driven by stock MLflow against a real ``mlflow server`` and the registry."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any
from urllib.parse import urlparse

import mlflow
import pytest
import requests
from mlflow import MlflowClient
from mlflow.exceptions import MlflowException

from conftest import unique
from mlflow_training import train
from modelreg import RegistryClient, environment_fingerprint


@pytest.fixture(scope="module")
def modelreg_mlflow(registry: dict[str, str], mlflow_server: dict[str, Any]) -> Iterator[None]:
    host = lambda service: urlparse(registry[service]).netloc  # noqa: E731
    mlflow.set_tracking_uri(mlflow_server["url"])
    mlflow.set_experiment(unique("plugin"))
    mlflow.set_registry_uri(
        f"modelreg://{host('ingestion')}?projections={host('projections')}&gate-validator={host('gate-validator')}"
        f"&deployment-tracker={host('deployment-tracker')}&service=mlflow&environment=production"
    )
    yield
    mlflow.set_registry_uri(None)


@pytest.fixture(scope="module")
def lenient_policy(registry: dict[str, str]) -> str:
    """Models named mlflow-gate-* pass with an AUC of at least 0.9 and nothing else."""
    policy = {
        "policyId": unique("mlflow-gate"), "version": 1, "description": "MLflow plugin tests", "models": ["mlflow-gate-*"],
        "baseline": {"rule": "serving-full-traffic-else-latest-passed", "environment": "production", "whenMissing": "value-checks-only"},
        "tolerance": 1e-9, "checks": [{"id": "auc-floor", "kind": "metric-threshold", "metric": "auc", "bound": {"min": 0.9}}],
    }
    answer = requests.post(f"{registry['gate-validator']}/v1/policies", json=policy, headers={"authorization": f"Bearer {registry['token']}"}, timeout=30)
    assert answer.status_code == 201, answer.text
    return "mlflow-gate"


def test_register_model_records_the_runs_lineage(modelreg_mlflow: None, client: RegistryClient, tmp_path: Path) -> None:
    (tmp_path / "uv.lock").write_text("version = 1\n")
    run_id, model_uri, facts = train(project_dir=tmp_path)
    name = unique("mlflow-plugin")

    registered = mlflow.register_model(model_uri, name)
    assert (registered.name, registered.version, registered.run_id, registered.status) == (name, "1", run_id, "READY")

    version = client.version(name, 1)
    assert version["trainingRunId"] == f"mlflow:{run_id}"
    assert version["code"] == {"repository": "git@example.com:ml/fraud.git", "commit": "f3a9c21e", "codeHash": "sha256-9d1c0e"}
    assert version["seeds"] == {"seed": "42", "numpy_seed": "7"}
    assert version["hyperparameters"]["batch_size"] == 2048
    assert version["hyperparameters"]["optimizer"] == "adam"
    assert version["hyperparameterTypes"]["batch_size"] == "long"
    assert version["metrics"]["overall"] == {"auc": 0.93, "logloss": 0.21}
    assert version["dataSnapshots"][0]["source"] == "s3://warehouse/transactions/2024-01-24"
    assert version["environment"]["fingerprint"] == environment_fingerprint(facts)
    assert sorted((a["target"], a["format"]) for a in version["artifacts"]) == [("run", "MLflowRunArtifacts"), ("server", "MLflow")]
    # What it could not map is reported, not guessed.
    assert version["labels"]["modelreg.unmapped"] == "metrics.overall.val/loss"

    mlflow_client = MlflowClient()
    fetched = mlflow_client.get_model_version(name, "1")
    assert (fetched.run_id, fetched.source) == (run_id, model_uri)
    assert fetched.tags["mlflow.run_id"] == run_id
    assert [v.version for v in mlflow_client.search_model_versions(f"name='{name}'")] == ["1"]
    assert [(v.name, v.version) for v in mlflow_client.search_model_versions(f"run_id = '{run_id}'")] == [(name, "1")]
    assert mlflow_client.get_registered_model(name).name == name
    assert mlflow_client.get_model_version_download_uri(name, "1") == model_uri

    again = mlflow.register_model(model_uri, name)
    assert again.version == "1"


def test_aliases_are_promotions_of_gate_passed_versions(modelreg_mlflow: None, lenient_policy: str, client: RegistryClient) -> None:
    name = unique(lenient_policy)
    _, good_uri, _ = train(auc=0.95)
    _, weak_uri, _ = train(auc=0.6, learning_rate=0.01)
    assert mlflow.register_model(good_uri, name).version == "1"
    assert mlflow.register_model(weak_uri, name).version == "2"
    assert client.wait_for_decision(name, 1)["verdict"] == "PASSED"
    assert client.wait_for_decision(name, 2)["verdict"] == "FAILED"

    mlflow_client = MlflowClient()
    mlflow_client.set_registered_model_alias(name, "champion", "1")
    assert mlflow_client.get_model_version_by_alias(name, "champion").version == "1"
    assert mlflow_client.get_model_version(name, "1").aliases == ["champion"]
    assert mlflow_client.get_registered_model(name).aliases == {"champion": "1"}

    with pytest.raises(MlflowException, match="failed its latest gate decision"):
        mlflow_client.set_registered_model_alias(name, "champion", "2")
    with pytest.raises(MlflowException, match="append-only"):
        mlflow_client.delete_registered_model_alias(name, "champion")
    with pytest.raises(MlflowException, match="not found"):
        mlflow_client.get_model_version_by_alias(name, "challenger")


def test_a_run_without_lineage_is_refused_naming_what_mlflow_lacks(modelreg_mlflow: None, client: RegistryClient) -> None:
    _, model_uri, _ = train(lineage=False)
    name = unique("mlflow-bare")
    with pytest.raises(MlflowException) as refused:
        mlflow.register_model(model_uri, name)
    for field in ("code.repository", "code.commit", "code.codeHash", "dataSnapshots"):
        assert field in str(refused.value)
    assert client.models(name) == []
