"""``modelreg import-mlflow`` from a real ``mlflow server`` (its own model registry) into the registry."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path
from typing import Any

import mlflow
from mlflow import MlflowClient

from conftest import REPO_ROOT, unique
from mlflow_training import train
from modelreg import RegistryClient
from modelreg.mlflow_import import import_mlflow


def test_copies_models_and_versions_idempotently_and_skips_unreadable_ones(mlflow_server: dict[str, Any], registry: dict[str, str], client: RegistryClient) -> None:
    mlflow.set_tracking_uri(mlflow_server["url"])
    mlflow.set_registry_uri(mlflow_server["url"])
    mlflow.set_experiment(unique("import"))
    fraud, churn = unique("imp-fraud"), unique("imp-churn")
    tracking = MlflowClient()
    for name, learning_rate in ((fraud, 0.001), (fraud, 0.002), (churn, 0.003)):
        _, model_uri, _ = train(learning_rate=learning_rate)
        version = mlflow.register_model(model_uri, name)
        tracking.set_model_version_tag(name, version.version, "team", "risk")
    # churn v2: its artifacts are gone from the artifact store.
    _, lost_uri, _ = train(learning_rate=0.004)
    lost = mlflow.register_model(lost_uri, churn)
    logged = tracking.get_logged_model(lost_uri.split("/")[-1])
    shutil.rmtree(Path(mlflow_server["artifacts"]) / logged.artifact_location.split("mlflow-artifacts:/", 1)[1])
    lines: list[str] = []

    first = import_mlflow(mlflow_server["url"], client, models=[fraud, churn], print_line=lines.append)
    assert sorted(first.imported) == sorted([(fraud, "1", 1), (fraud, "2", 2), (churn, "1", 1)])
    assert [(name, version) for name, version, _ in first.skipped] == [(churn, lost.version)]
    assert "artifacts cannot be read" in first.skipped[0][2]
    assert lines[-1] == "3 imported, 0 unchanged, 1 skipped"
    assert any(line.startswith(f"  {churn} v2: skipped: artifacts cannot be read") for line in lines)

    copied = client.wait_for_version(fraud, 2)
    assert copied["labels"]["mlflow.model_version"] == "2" and copied["labels"]["mlflow.tag.team"] == "risk"
    assert copied["hyperparameters"]["learning_rate"] == 0.002
    assert copied["hyperparameterTypes"]["learning_rate"] == "double"
    assert copied["metrics"]["overall"]["auc"] == 0.93

    env = {**os.environ, "MODELREG_INGESTION_URL": registry["ingestion"], "MODELREG_PROJECTIONS_URL": registry["projections"]}
    again = subprocess.run(
        [sys.executable, "-m", "modelreg", "import-mlflow", "--tracking-uri", mlflow_server["url"], "--model", fraud, "--model", churn],
        capture_output=True, text=True, env=env, cwd=REPO_ROOT, timeout=600,
    )
    assert again.returncode == 1, again.stderr  # something was skipped
    assert again.stdout.strip().splitlines()[-1] == "0 imported, 3 unchanged, 1 skipped"
    assert [v["modelVersion"] for v in client.versions(fraud)] == [2, 1]
    assert [v["modelVersion"] for v in client.versions(churn)] == [1]
