"""What an MLflow run says about a model's lineage, mapped to a registry run submission.

Pure: the MLflow facts come in as plain values, the submission and the list of what could not be
mapped come out. Nothing is guessed: a fact MLflow does not hold is reported as :class:`Unmapped`;
when the registry requires it (code, data snapshots, seeds), the version cannot be registered.

Where each fact comes from:

* code: tags ``mlflow.source.git.repoURL`` and ``mlflow.source.git.commit`` (MLflow sets them for
  runs started in a git checkout) and ``modelreg.code_hash``;
* data snapshots: the run's dataset inputs (``mlflow.log_input``): the digest is the snapshot id,
  the source its URI, and the input tags ``modelreg.covered_from`` / ``modelreg.covered_to`` the
  covered time range;
* seeds: params named ``seed`` or ending in ``_seed``, and tags ``modelreg.seed.<name>``;
* hyperparameters: every other param, typed back (``"2048"`` is an integer, ``"True"`` a boolean);
* metrics: the latest value of each run metric, as overall metrics;
* environment: the ``modelreg/environment.json`` run artifact that ``log_environment`` writes
  from the probe (``modelreg.mlflow_source.log_environment``); without it the packages pinned in the model's ``requirements.txt`` and ``unknown``
  for CPU, OS and kernel, each reported;
* labels: the MLflow run id, source, experiment and every unmapped field (``modelreg.unmapped``).
"""

from __future__ import annotations

import json
import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

from .probe import EnvironmentFacts, normalize_package_name

__all__ = ["Unmapped", "DatasetInput", "MlflowRunFacts", "MappedSubmission", "map_run", "packages_from_requirements", "ENVIRONMENT_ARTIFACT"]

ENVIRONMENT_ARTIFACT = "modelreg/environment.json"
IDENT = re.compile(r"^[A-Za-z0-9][A-Za-z0-9._:@+=,-]*$")
METRIC_NAME = re.compile(r"^[a-z][a-z0-9_@.]{0,127}$")
COMMIT = re.compile(r"^[0-9a-f]{5,64}$")
CONTROL = re.compile(r"[\x00-\x1f\x7f-\x9f]")
INTEGER = re.compile(r"^-?\d{1,15}$")
DECIMAL = re.compile(r"^-?(\d+\.\d*|\.\d+|\d+)([eE][-+]?\d+)?$")
#: Unmapped fields that make a version impossible to register (the registry requires them).
REQUIRED = ("seeds", "dataSnapshots", "metrics.overall")


@dataclass(frozen=True)
class Unmapped:
    field: str
    reason: str

    def __str__(self) -> str:
        return f"{self.field}: {self.reason}"


@dataclass(frozen=True)
class DatasetInput:
    name: str
    digest: str
    source: str
    tags: Mapping[str, str] = field(default_factory=dict)


@dataclass(frozen=True)
class MlflowRunFacts:
    run_id: str
    experiment_id: str
    params: Mapping[str, str]
    metrics: Mapping[str, float]
    tags: Mapping[str, str]
    datasets: Sequence[DatasetInput] = ()
    environment: Mapping[str, Any] | None = None
    """The probe's facts from the run's ``modelreg/environment.json``, if the run logged them."""
    requirements: str | None = None
    """The model's ``requirements.txt`` as MLflow wrote it."""


@dataclass(frozen=True)
class MappedSubmission:
    submission: dict[str, Any]
    unmapped: list[Unmapped]

    @property
    def blocking(self) -> list[Unmapped]:
        """What the registry requires and MLflow does not hold: the version cannot be registered."""
        return [u for u in self.unmapped if u.field in REQUIRED or u.field.startswith("code.")]


def map_run(
    model_name: str, run: MlflowRunFacts, artifacts: list[dict[str, Any]], *, source: str, labels: Mapping[str, str] | None = None
) -> MappedSubmission:
    """The submission for a model version made from ``run`` (artifacts already uploaded and declared);
    ``labels`` (e.g. the MLflow version's tags) are kept where the registry can store them."""
    unmapped: list[Unmapped] = []
    seeds, hyperparameters = _params(run, unmapped)
    environment = _environment(run, unmapped)
    kept = {"mlflow.run_id": run.run_id, "mlflow.experiment_id": run.experiment_id, "mlflow.source": source[:1024]}
    for key, value in sorted((labels or {}).items()):
        if value.strip() and len(value.encode("utf-16-le")) <= 2048 and not CONTROL.search(value) and len(key) <= 256:
            kept[key] = value
        else:
            unmapped.append(Unmapped(f"labels.{key}", "an empty, multi-line or longer than 1024 characters value the registry does not store"))
    submission: dict[str, Any] = {
        "modelName": model_name,
        "trainingRunId": f"mlflow:{run.run_id}",
        "artifacts": artifacts,
        "code": _code(run.tags, unmapped),
        "dataSnapshots": _snapshots(run.datasets, unmapped),
        "features": _features(run.tags, unmapped),
        "hyperparameters": hyperparameters,
        "seeds": seeds,
        "environment": environment,
        "metrics": {"overall": _metrics(run.metrics, unmapped)},
        "labels": kept,
    }
    if unmapped:
        kept["modelreg.unmapped"] = ", ".join(u.field for u in unmapped)[:1024]
    return MappedSubmission(submission, unmapped)


def packages_from_requirements(text: str) -> list[dict[str, str]]:
    """Pinned ``name==version`` lines of a requirements file (MLflow pins what the model needs)."""
    packages = []
    for line in text.splitlines():
        match = re.match(r"^\s*([A-Za-z0-9][A-Za-z0-9._-]*)(\[[^\]]*\])?\s*==\s*([^\s;#]+)", line)
        if match:
            packages.append({"name": normalize_package_name(match.group(1)), "version": str(match.group(3)), "ecosystem": "pypi"})
    return packages


def _code(tags: Mapping[str, str], unmapped: list[Unmapped]) -> dict[str, str] | None:
    repository = tags.get("mlflow.source.git.repoURL")
    commit = tags.get("mlflow.source.git.commit")
    code_hash = tags.get("modelreg.code_hash")
    missing = [
        Unmapped(f"code.{name}", reason)
        for name, ok, reason in (
            ("repository", bool(repository), "the run has no mlflow.source.git.repoURL tag"),
            ("commit", bool(commit and COMMIT.match(commit)), "the run has no hex mlflow.source.git.commit tag"),
            ("codeHash", bool(code_hash and IDENT.match(code_hash)), "the run has no modelreg.code_hash tag (the hash of the code actually run)"),
        )
        if not ok
    ]
    unmapped.extend(missing)
    return None if missing else {"repository": str(repository), "commit": str(commit), "codeHash": str(code_hash)}


def _snapshots(datasets: Sequence[DatasetInput], unmapped: list[Unmapped]) -> list[dict[str, str]]:
    if not datasets:
        unmapped.append(Unmapped("dataSnapshots", "the run logged no dataset inputs (mlflow.log_input)"))
    snapshots = []
    for index, dataset in enumerate(datasets):
        covered_from, covered_to = dataset.tags.get("modelreg.covered_from"), dataset.tags.get("modelreg.covered_to")
        if not covered_from or not covered_to:
            unmapped.append(Unmapped(f"dataSnapshots[{index}].coveredFrom", f"dataset {dataset.name} has no modelreg.covered_from / modelreg.covered_to input tags"))
            continue
        snapshots.append({"snapshotId": f"{dataset.name}@{dataset.digest}" if IDENT.match(dataset.name) else dataset.digest, "source": dataset.source, "coveredFrom": covered_from, "coveredTo": covered_to})
    if datasets and not snapshots:
        unmapped.append(Unmapped("dataSnapshots", "no dataset input records the time range it covers"))
    return snapshots


def _features(tags: Mapping[str, str], unmapped: list[Unmapped]) -> list[Any]:
    raw = tags.get("modelreg.features")
    if raw is None:
        return []
    try:
        features = json.loads(raw)
    except ValueError:
        features = None
    if not isinstance(features, list):
        unmapped.append(Unmapped("features", "the modelreg.features tag is not a JSON list"))
        return []
    return features


def _params(run: MlflowRunFacts, unmapped: list[Unmapped]) -> tuple[dict[str, str], dict[str, Any]]:
    seeds = {key[len("modelreg.seed."):]: value for key, value in run.tags.items() if key.startswith("modelreg.seed.")}
    hyperparameters: dict[str, Any] = {}
    for name, value in sorted(run.params.items()):
        if name == "seed" or name.endswith("_seed"):
            seeds.setdefault(name, value)
        elif not IDENT.match(name) or len(name) > 200:
            unmapped.append(Unmapped(f"hyperparameters.{name}", "the name has characters the registry does not accept"))
        else:
            hyperparameters[name] = _typed(value)
    valid = {name: value for name, value in seeds.items() if value.isdigit() and int(value) < 2**64}
    for name in sorted(set(seeds) - set(valid)):
        unmapped.append(Unmapped(f"seeds.{name}", f"{seeds[name]!r} is not an integer in [0, 2^64 - 1]"))
    if not valid:
        unmapped.append(Unmapped("seeds", "the run records no seed (a param named seed or *_seed, or a modelreg.seed.<name> tag)"))
    return valid, hyperparameters


def _typed(value: str) -> Any:
    if value in ("True", "true", "False", "false"):
        return value.lower() == "true"
    if INTEGER.match(value):
        return int(value)
    if DECIMAL.match(value):
        return {"double": float(value)}
    return value


def _metrics(metrics: Mapping[str, float], unmapped: list[Unmapped]) -> dict[str, float]:
    overall = {}
    for name, value in sorted(metrics.items()):
        if METRIC_NAME.match(name):
            overall[name] = value
        else:
            unmapped.append(Unmapped(f"metrics.overall.{name}", "metric names are lower-case identifiers in the registry"))
    if not overall:
        unmapped.append(Unmapped("metrics.overall", "the run logged no metric the registry can name"))
    return overall


def _environment(run: MlflowRunFacts, unmapped: list[Unmapped]) -> EnvironmentFacts | dict[str, Any]:
    if run.environment is not None:
        return dict(run.environment)
    unmapped.append(Unmapped("environment", f"the run has no {ENVIRONMENT_ARTIFACT} (log it with modelreg.mlflow_source.log_environment); packages from the model's requirements.txt"))
    for name in ("cpuModel", "os", "kernel"):
        unmapped.append(Unmapped(f"environment.{name}", "not recorded by MLflow; stored as unknown"))
    return {"cpuModel": "unknown", "os": "unknown", "kernel": "unknown", "packages": packages_from_requirements(run.requirements or "")}
