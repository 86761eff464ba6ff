"""Fixtures: the registry's four services on an isolated slice of the real local stack (Kafka,
Postgres, S3), started once per session by test/python/run-services.ts, as the TypeScript tests do."""

from __future__ import annotations

import json
import os
import select
import shutil
import subprocess
import uuid
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from modelreg import RegistryClient

REPO_ROOT = Path(__file__).resolve().parents[3]
FIXTURES = Path(__file__).resolve().parent / "fixtures"
VECTORS = REPO_ROOT / "schemas" / "vectors" / "environment-fingerprint.json"


@pytest.fixture(scope="session")
def vectors() -> dict[str, Any]:
    loaded: dict[str, Any] = json.loads(VECTORS.read_text(encoding="utf-8"))
    return loaded


@pytest.fixture(scope="session")
def registry() -> Iterator[dict[str, Any]]:
    """URLs of ingestion, gate-validator, deployment-tracker and projections, plus Kafka settings."""
    node = shutil.which("node")
    assert node, "node is needed to run the registry's services"
    process = subprocess.Popen(
        [node, "tools/run.js", "test/python/run-services.ts"],
        cwd=REPO_ROOT, stdin=subprocess.PIPE, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
    )
    assert process.stdout and process.stdin
    ready, _, _ = select.select([process.stdout], [], [], 180)
    line = process.stdout.readline() if ready else ""
    if not line:
        process.kill()
        raise RuntimeError(f"the services did not start: {process.stderr.read() if process.stderr else ''}")
    started = json.loads(line)
    # The MLflow plugin and the CLI build their own clients: they read the token from the environment.
    previous = os.environ.get("MODELREG_TOKEN")
    os.environ["MODELREG_TOKEN"] = started["token"]
    try:
        yield started
    finally:
        if previous is None:
            os.environ.pop("MODELREG_TOKEN", None)
        else:
            os.environ["MODELREG_TOKEN"] = previous
        process.stdin.close()
        try:
            process.wait(timeout=90)
        except subprocess.TimeoutExpired:
            process.kill()


@pytest.fixture(scope="session")
def client(registry: dict[str, str]) -> RegistryClient:
    return RegistryClient(registry["ingestion"], registry["projections"], registry["gate-validator"], registry["deployment-tracker"], token=registry["token"])


def unique(prefix: str) -> str:
    return f"{prefix}-{uuid.uuid4().hex[:8]}"


def run_body(model_name: str, training_run_id: str, artifacts: list[dict[str, Any]], **overrides: Any) -> dict[str, Any]:
    """A complete, valid run submission (HTTP body), as a training job builds it."""
    body: dict[str, Any] = {
        "modelName": model_name,
        "trainingRunId": training_run_id,
        "artifacts": artifacts,
        "code": {"repository": "git@example.com:ml/fraud.git", "commit": "f3a9c21e", "codeHash": "sha256-9d1c0e"},
        "dataSnapshots": [{"snapshotId": "txn-2024-01-24", "source": "warehouse.transactions", "coveredFrom": "2024-01-10T00:00:00Z", "coveredTo": "2024-01-24T00:00:00Z"}],
        "features": [{"name": "txn_amount_zscore", "version": "3", "transformHash": "th-77aa"}],
        "hyperparameters": {"learning_rate": 0.001, "batch_size": 2048, "optimizer": "adam", "dropout": {"double": 0}},
        "seeds": {"torch": "42", "dataloader": "18446744073709551615"},
        "metrics": {"overall": {"auc": 0.91, "calibration_slope": 1.0}},
    }
    body.update(overrides)
    return body


def write_bytes(directory: Path, name: str, size: int) -> Path:
    path = directory / name
    path.write_bytes(os.urandom(size))
    return path


@pytest.fixture(scope="session")
def mlflow_server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[dict[str, Any]]:
    """A stock ``mlflow server`` on a free loopback port: sqlite backend, local artifact store."""
    import socket
    import sys
    import time

    import requests

    root = tmp_path_factory.mktemp("mlflow")
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    log = (root / "server.log").open("w")
    process = subprocess.Popen(
        [sys.executable, "-m", "mlflow", "server", "--host", "127.0.0.1", "--port", str(port), "--workers", "1",
         "--backend-store-uri", f"sqlite:///{root}/mlflow.db", "--artifacts-destination", str(root / "artifacts")],
        stdout=log, stderr=subprocess.STDOUT, cwd=root,
    )
    url = f"http://127.0.0.1:{port}"
    deadline = time.monotonic() + 180
    while True:
        try:
            if requests.get(f"{url}/health", timeout=2).status_code == 200:
                break
        except requests.RequestException:
            pass
        if process.poll() is not None or time.monotonic() > deadline:
            process.kill()
            raise RuntimeError(f"mlflow server did not start: {(root / 'server.log').read_text()[-4000:]}")
        time.sleep(0.5)
    try:
        yield {"url": url, "artifacts": root / "artifacts"}
    finally:
        process.terminate()
        try:
            process.wait(timeout=30)
        except subprocess.TimeoutExpired:
            process.kill()
        log.close()
