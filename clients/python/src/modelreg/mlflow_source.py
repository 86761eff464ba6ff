"""Reading a model version's run and artifacts from MLflow, and registering it in the registry.

Shared by the MLflow registry-store plugin and ``modelreg import-mlflow``. The model directory is
packed into a deterministic tar (sorted entries, no times or owners), so the same MLflow model gives
the same sha256 and a second registration is a no-op.
"""

from __future__ import annotations

import json
import os
import tarfile
import tempfile
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from .client import Progress, Registration, RegistryClient
from .mlflow_lineage import ENVIRONMENT_ARTIFACT, DatasetInput, MappedSubmission, MlflowRunFacts, map_run
from .probe import probe_environment

__all__ = ["NotImportable", "register_from_mlflow", "gather_run", "pack_directory", "log_environment", "MODEL_FORMAT"]

MODEL_FORMAT = "MLflow"
RUN_ARTIFACTS_FORMAT = "MLflowRunArtifacts"


class NotImportable(Exception):
    """The version cannot be registered: its artifacts cannot be read, or the registry requires a
    fact MLflow does not hold. ``reasons`` says which."""

    def __init__(self, what: str, reasons: list[str]):
        self.reasons = reasons
        super().__init__(f"{what}: " + "; ".join(reasons))


@dataclass(frozen=True)
class MlflowRegistration:
    registration: Registration
    mapped: MappedSubmission


def log_environment(project_dir: str | os.PathLike[str] = ".", *, run_id: str | None = None) -> dict[str, Any]:
    """From a training job using MLflow: probe the environment and log it to the active (or given) run
    as ``modelreg/environment.json``, which the plugin and the importer then register."""
    import mlflow

    facts = dict(probe_environment(project_dir))
    with tempfile.TemporaryDirectory() as directory:
        path = Path(directory) / Path(ENVIRONMENT_ARTIFACT).name
        path.write_text(json.dumps(facts), encoding="utf-8")
        if run_id is None:
            mlflow.log_artifact(str(path), artifact_path=str(Path(ENVIRONMENT_ARTIFACT).parent))
        else:
            mlflow.MlflowClient().log_artifact(run_id, str(path), artifact_path=str(Path(ENVIRONMENT_ARTIFACT).parent))
    return facts


def register_from_mlflow(
    registry: RegistryClient,
    tracking: Any,
    model_name: str,
    source: str,
    run_id: str,
    *,
    local_model_path: str | None = None,
    labels: dict[str, str] | None = None,
    progress: Progress | None = None,
) -> MlflowRegistration:
    """Upload the version's model (and its run's artifacts) and register it with its run's lineage.

    ``tracking`` is an ``mlflow.MlflowClient`` on the tracking server that holds the run. Raises
    :class:`NotImportable` when the artifacts cannot be read or a required fact is missing.
    """
    import mlflow

    what = f"{model_name} from {source}"
    with tempfile.TemporaryDirectory(prefix="modelreg-mlflow-") as scratch:
        root = Path(scratch)
        try:
            run = tracking.get_run(run_id)
            if local_model_path:
                model_dir = Path(local_model_path)
            else:
                model_dir = Path(mlflow.artifacts.download_artifacts(artifact_uri=source, dst_path=str(root / "model"), tracking_uri=tracking.tracking_uri))
            run_dir = root / "run"
            if tracking.list_artifacts(run_id):
                run_dir = Path(mlflow.artifacts.download_artifacts(run_id=run_id, artifact_path="", dst_path=str(run_dir), tracking_uri=tracking.tracking_uri))
        except Exception as error:  # MLflow raises many kinds for unreadable artifacts or runs
            raise NotImportable(what, [f"artifacts cannot be read: {error}"]) from error
        if not model_dir.is_dir() or not any(model_dir.iterdir()):
            raise NotImportable(what, [f"artifacts cannot be read: {source} holds no files"])
        artifacts = [registry.upload_artifact(pack_directory(model_dir, root / "model.tar"), progress).declare("server", MODEL_FORMAT)]
        run_files = [p for p in run_dir.rglob("*") if p.is_file()] if run_dir.is_dir() else []
        if run_files:
            artifacts.append(registry.upload_artifact(pack_directory(run_dir, root / "run.tar"), progress).declare("run", RUN_ARTIFACTS_FORMAT))
        facts = gather_run(run, model_dir, run_dir)
    mapped = map_run(model_name, facts, artifacts, source=source, labels=labels)
    if mapped.blocking:
        raise NotImportable(what, [str(u) for u in mapped.blocking])
    return MlflowRegistration(registry.register_run(mapped.submission), mapped)


def gather_run(run: Any, model_dir: Path, run_dir: Path) -> MlflowRunFacts:
    """The facts of an ``mlflow.entities.Run`` and the files downloaded beside it."""
    datasets = []
    for dataset_input in getattr(run.inputs, "dataset_inputs", None) or []:
        dataset = dataset_input.dataset
        datasets.append(DatasetInput(dataset.name, dataset.digest, _dataset_uri(dataset.source), {t.key: t.value for t in dataset_input.tags or []}))
    environment_file = run_dir / ENVIRONMENT_ARTIFACT
    requirements = model_dir / "requirements.txt"
    return MlflowRunFacts(
        run_id=run.info.run_id,
        experiment_id=run.info.experiment_id,
        params=dict(run.data.params),
        metrics=dict(run.data.metrics),
        tags=dict(run.data.tags),
        datasets=datasets,
        environment=json.loads(environment_file.read_text(encoding="utf-8")) if environment_file.is_file() else None,
        requirements=requirements.read_text(encoding="utf-8") if requirements.is_file() else None,
    )


def pack_directory(directory: Path, out: Path) -> Path:
    """A tar of the directory's files that depends only on their names and bytes."""
    with tarfile.open(out, "w", format=tarfile.GNU_FORMAT) as archive:
        for path in sorted(p for p in directory.rglob("*") if p.is_file()):
            info = tarfile.TarInfo(path.relative_to(directory).as_posix())
            info.size, info.mode, info.mtime = path.stat().st_size, 0o644, 0
            with path.open("rb") as stream:
                archive.addfile(info, stream)
    return out


def _dataset_uri(source: str) -> str:
    try:
        parsed = json.loads(source)
    except ValueError:
        return source[:512]
    if isinstance(parsed, dict):
        for key in ("uri", "url", "path", "table_name"):
            if isinstance(parsed.get(key), str):
                return str(parsed[key])[:512]
    return source[:512]
