"""A training job that records its run in MLflow, as a team on MLflow does today."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import mlflow
import pandas as pd

from modelreg.mlflow_source import log_environment

LINEAGE_TAGS = {
    "mlflow.source.git.repoURL": "git@example.com:ml/fraud.git",
    "mlflow.source.git.commit": "f3a9c21e",
    "modelreg.code_hash": "sha256-9d1c0e",
}


class Echo(mlflow.pyfunc.PythonModel):  # type: ignore[misc]
    def predict(self, context, model_input, params=None):  # type: ignore[no-untyped-def]  # MLflow reads hints
        return model_input


def train(*, auc: float = 0.93, learning_rate: float = 0.001, lineage: bool = True, project_dir: Path | None = None) -> tuple[str, str, dict[str, Any]]:
    """Logs params, metrics, tags, a dataset input, the environment and a model; returns (run id, model URI, facts)."""
    facts: dict[str, Any] = {}
    with mlflow.start_run() as run:
        mlflow.log_params({"learning_rate": learning_rate, "batch_size": 2048, "optimizer": "adam", "seed": 42, "numpy_seed": 7})
        mlflow.log_metrics({"auc": auc, "logloss": 0.21, "val/loss": 0.3})
        if lineage:
            mlflow.set_tags(LINEAGE_TAGS)
            dataset = mlflow.data.from_pandas(pd.DataFrame({"amount": [1.0, 2.5]}), source="s3://warehouse/transactions/2024-01-24", name="transactions")
            mlflow.log_input(dataset, context="training", tags={"modelreg.covered_from": "2024-01-10T00:00:00Z", "modelreg.covered_to": "2024-01-24T00:00:00Z"})
            facts = log_environment(project_dir or ".")
        info = mlflow.pyfunc.log_model(name="model", python_model=Echo(), pip_requirements=["pandas==3.1.1"])
    return run.info.run_id, info.model_uri, facts
