"""``modelreg import-mlflow``: copy an MLflow server's registered models and versions into the registry.

Each version is registered from its run (lineage, params, metrics, tags and artifacts, as the plugin
does). Idempotent: a version already copied is registered again as the same training run, which the
registry answers with the existing version, so a second import changes nothing. A version whose
artifacts cannot be read, or that lacks a fact the registry requires, is reported and skipped.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from .client import RegistryClient
from .errors import RegistryError
from .mlflow_source import NotImportable, register_from_mlflow
from .mlflow_store import MODEL_NAME

__all__ = ["ImportReport", "import_mlflow"]


@dataclass
class ImportReport:
    imported: list[tuple[str, str, int]] = field(default_factory=list)
    """(model, MLflow version, registry version) registered by this run."""
    unchanged: list[tuple[str, str, int]] = field(default_factory=list)
    """Already in the registry from an earlier import."""
    skipped: list[tuple[str, str, str]] = field(default_factory=list)
    """(model, MLflow version, why)."""


def import_mlflow(
    tracking_uri: str,
    registry: RegistryClient,
    *,
    models: list[str] | None = None,
    print_line: Callable[[str], None] = print,
) -> ImportReport:
    from mlflow import MlflowClient

    tracking = MlflowClient(tracking_uri=tracking_uri, registry_uri=tracking_uri)
    report = ImportReport()
    names = models or [m.name for m in _all(lambda token: tracking.search_registered_models(page_token=token))]
    for index, name in enumerate(sorted(names), 1):
        versions = sorted(_all(lambda token: tracking.search_model_versions(f"name='{name}'", page_token=token)), key=lambda v: int(v.version))
        print_line(f"[{index}/{len(names)}] {name}: {len(versions)} version(s)")
        for version in versions:
            outcome = _import_version(registry, tracking, name, version, report)
            print_line(f"  {name} v{version.version}: {outcome}")
    print_line(f"{len(report.imported)} imported, {len(report.unchanged)} unchanged, {len(report.skipped)} skipped")
    return report


def _import_version(registry: RegistryClient, tracking: Any, name: str, version: Any, report: ImportReport) -> str:
    def skip(reason: str) -> str:
        report.skipped.append((name, str(version.version), reason))
        return f"skipped: {reason}"

    if not MODEL_NAME.match(name):
        return skip("the registry's model names are lower-case a-z, 0-9, '.', '_' and '-'; rename the MLflow model to import it")
    if not version.run_id:
        return skip("the version names no run, so it has no lineage")
    labels = {"mlflow.model_version": str(version.version), **{f"mlflow.tag.{k}": str(v) for k, v in (version.tags or {}).items()}}
    try:
        done = register_from_mlflow(registry, tracking, name, version.source, version.run_id, labels=labels)
    except NotImportable as error:
        return skip("; ".join(error.reasons))
    except RegistryError as error:
        return skip(str(error))
    registered = done.registration
    entry = (name, str(version.version), registered.model_version)
    (report.imported if registered.created else report.unchanged).append(entry)
    note = f" (not mapped: {', '.join(u.field for u in done.mapped.unmapped)})" if done.mapped.unmapped else ""
    return f"{'imported as' if registered.created else 'unchanged, already'} v{registered.model_version}{note}"


def _all(page: Callable[[str | None], Any]) -> list[Any]:
    items: list[Any] = []
    token = None
    while True:
        result = page(token)
        items.extend(result)
        token = getattr(result, "token", None)
        if not token:
            return items
