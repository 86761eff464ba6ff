"""MLflow model-registry store plugin: ``mlflow.set_registry_uri("modelreg://...")``.

Registered through the ``mlflow.model_registry_store`` entry point for the ``modelreg`` scheme. The
URI names the services, ``modelreg://<ingestion host:port>?projections=<host:port>&gate-validator=...
&deployment-tracker=...&service=mlflow&environment=production``; a plain ``modelreg://`` reads
``MODELREG_<SERVICE>_URL``. What maps and what does not:

* ``register_model`` / ``create_model_version``: the model and its run's artifacts are uploaded and the
  run registered with the lineage gathered from the MLflow tracking store (:mod:`modelreg.mlflow_lineage`);
  a fact the registry requires and MLflow lacks is an error that names it.
* ``get_model_version``, ``search_model_versions`` (``name = '...'`` or ``run_id = '...'``),
  ``get_registered_model``, ``search_registered_models``, ``get_latest_versions``: read from projections.
* Aliases are promotions: ``set_registered_model_alias(name, alias, v)`` promotes a gate-passed version to
  the surface named by the alias (service and environment from the URI); ``get_model_version_by_alias``
  is the version last promoted there.
* The registry is append-only: deleting, renaming, editing descriptions or tags, stages and deleting
  aliases are refused with an error that says so.
"""

from __future__ import annotations

import re
import time
from collections.abc import Callable
from datetime import datetime
from typing import Any, NoReturn, TypeVar
from urllib.parse import parse_qs, urlparse

from mlflow.entities.model_registry import ModelVersion, ModelVersionTag, RegisteredModel, RegisteredModelAlias
from mlflow.exceptions import MlflowException
from mlflow.protos.databricks_pb2 import (
    INVALID_PARAMETER_VALUE, INVALID_STATE, RESOURCE_ALREADY_EXISTS, RESOURCE_DOES_NOT_EXIST, TEMPORARILY_UNAVAILABLE,
)
from mlflow.store.entities.paged_list import PagedList
from mlflow.store.model_registry.abstract_store import AbstractStore

from .client import RegistryClient
from .errors import ConflictError, InvalidRequestError, NotFoundError, RegistryError
from .mlflow_source import NotImportable, register_from_mlflow

__all__ = ["ModelregRegistryStore"]

MODEL_NAME = re.compile(r"^[a-z0-9][a-z0-9._-]{0,127}$")
FILTER = re.compile(r"^\s*(name|run_id)\s*=\s*'([^']*)'\s*$")
T = TypeVar("T")


class ModelregRegistryStore(AbstractStore):
    def __init__(self, store_uri: str | None = None, tracking_uri: str | None = None):
        super().__init__(store_uri, tracking_uri)
        parsed = urlparse(store_uri or "modelreg://")
        query = {key: values[-1] for key, values in parse_qs(parsed.query).items()}
        url = lambda value: (value if value.startswith("http") else f"http://{value}") if value else None  # noqa: E731
        self.registry = RegistryClient(
            url(parsed.netloc), url(query.get("projections")), url(query.get("gate-validator")), url(query.get("deployment-tracker"))
        )
        self.service = query.get("service", "mlflow")
        self.environment = query.get("environment", "production")
        self.tracking_uri = tracking_uri

    # registered models

    def create_registered_model(self, name: str, tags: Any = None, description: Any = None, deployment_job_id: Any = None) -> RegisteredModel:
        _check_name(name)
        if self._model_summary(name) is not None:
            raise MlflowException(f"Registered Model (name={name}) already exists.", RESOURCE_ALREADY_EXISTS)
        return RegisteredModel(name, creation_timestamp=_now_ms(), last_updated_timestamp=_now_ms())

    def get_registered_model(self, name: str) -> RegisteredModel:
        summary = self._model_summary(name)
        if summary is None:
            raise MlflowException(f"Registered Model with name={name} not found", RESOURCE_DOES_NOT_EXIST)
        return self._registered_model(summary)

    def search_registered_models(self, filter_string: str | None = None, max_results: int | None = None, order_by: Any = None, page_token: Any = None) -> PagedList[Any]:
        contains = None
        if filter_string:
            match = re.match(r"^\s*name\s*(=|LIKE|ILIKE)\s*'%?([^'%]*)%?'\s*$", filter_string)
            if not match:
                raise MlflowException(f"modelreg supports name = '...' and name LIKE '%...%' filters, got {filter_string!r}", INVALID_PARAMETER_VALUE)
            contains = match.group(2)
        summaries = _call(lambda: self.registry.models(contains))
        if filter_string and "=" in filter_string and "LIKE" not in filter_string.upper():
            summaries = [s for s in summaries if s["modelName"] == contains]
        return PagedList([self._registered_model(s) for s in summaries][: max_results or None], None)

    def get_latest_versions(self, name: str, stages: list[str] | None = None) -> list[ModelVersion]:
        if stages and not any(stage.lower() == "none" for stage in stages):
            return []
        versions = _call(lambda: self.registry.versions(name, limit=1))
        return [self.get_model_version(name, versions[0]["modelVersion"])] if versions else []

    # model versions

    def create_model_version(
        self, name: str, source: str, run_id: str | None = None, tags: Any = None, run_link: Any = None,
        description: Any = None, local_model_path: str | None = None, model_id: str | None = None,
    ) -> ModelVersion:
        from mlflow import MlflowClient

        _check_name(name)
        tracking = MlflowClient(tracking_uri=self.tracking_uri)
        if run_id is None and model_id:
            run_id = tracking.get_logged_model(model_id).source_run_id
        if not run_id:
            raise MlflowException(f"modelreg registers versions made by a run; {source} names none (the lineage comes from the run)", INVALID_PARAMETER_VALUE)
        try:
            done = _call(lambda: register_from_mlflow(self.registry, tracking, name, source, run_id, local_model_path=local_model_path))
        except NotImportable as error:
            raise MlflowException(f"cannot register {error}", INVALID_PARAMETER_VALUE) from error
        _call(lambda: self.registry.wait_for_version(name, done.registration.model_version))
        return self.get_model_version(name, done.registration.model_version)

    def get_model_version(self, name: str, version: Any) -> ModelVersion:
        found = _call(lambda: self.registry.version(name, int(version)))
        return self._model_version(found, self._aliases(name).get(int(version), []))

    def get_model_version_download_uri(self, name: str, version: Any) -> str:
        source: str | None = self.get_model_version(name, version).source
        if not source:
            raise MlflowException(f"{name} v{version} was not registered from MLflow; its artifacts are addressed by sha256 in the registry", INVALID_STATE)
        return source

    def search_model_versions(self, filter_string: str | None = None, max_results: int | None = None, order_by: Any = None, page_token: Any = None) -> PagedList[Any]:
        match = FILTER.match(filter_string or "")
        if not match:
            raise MlflowException(f"modelreg supports the filters name = '<model>' and run_id = '<run>', got {filter_string!r}", INVALID_PARAMETER_VALUE)
        key, value = match.groups()
        if key == "name":
            _check_name(value)
            found = [(value, v["modelVersion"]) for v in _call(lambda: self.registry.versions(value))]
        else:
            found = [
                (m["modelName"], v["modelVersion"])
                for m in _call(lambda: self.registry.models())
                for v in _call(lambda: self.registry.versions(m["modelName"]))
                if v["trainingRunId"] == f"mlflow:{value}"
            ]
        return PagedList([self.get_model_version(name, version) for name, version in found[: max_results or None]], None)

    # aliases: promotions to a surface

    def set_registered_model_alias(self, name: str, alias: str, version: Any, *, timeout: float = 60.0) -> None:
        promoted = _call(lambda: self.registry.promote(name, int(version), service=self.service, surface=alias, environment=self.environment))
        deadline = time.monotonic() + timeout
        # Read your write: the alias is read back from the projections, which follow the log.
        while not any(e["eventId"] == promoted["eventId"] for e in _call(lambda: self.registry.timeline(name, event_types=["ModelPromoted"]))):
            if time.monotonic() > deadline:
                raise MlflowException(f"{name} v{version} was promoted to {alias} (event {promoted['eventId']}) but is not visible after {timeout} s", TEMPORARILY_UNAVAILABLE)
            time.sleep(0.2)

    def get_model_version_by_alias(self, name: str, alias: str) -> ModelVersion:
        for version, aliases in sorted(self._aliases(name).items(), reverse=True):
            if alias in aliases:
                return self.get_model_version(name, version)
        raise MlflowException(f"Registered model alias {alias} not found on {name}", RESOURCE_DOES_NOT_EXIST)

    def delete_registered_model_alias(self, name: str, alias: str) -> NoReturn:
        _append_only(f"an alias is a promotion to surface {alias}, a permanent record; retire the deployment instead")

    # the registry is append-only

    def update_registered_model(self, name: str, description: Any, deployment_job_id: Any = None) -> NoReturn:
        _append_only("registered models have no editable description")

    def rename_registered_model(self, name: str, new_name: str) -> NoReturn:
        _append_only("model names are part of every event about the model")

    def delete_registered_model(self, name: str) -> NoReturn:
        _append_only("models are never deleted")

    def set_registered_model_tag(self, name: str, tag: Any) -> NoReturn:
        _append_only("model tags are not recorded; labels belong to versions and are set at registration")

    def delete_registered_model_tag(self, name: str, key: str) -> NoReturn:
        _append_only("model tags are not recorded")

    def update_model_version(self, name: str, version: Any, description: Any) -> NoReturn:
        _append_only("versions are immutable")

    def transition_model_version_stage(self, name: str, version: Any, stage: Any, archive_existing_versions: Any) -> NoReturn:
        _append_only("stages are replaced by gates and promotions (set_registered_model_alias)")

    def delete_model_version(self, name: str, version: Any) -> NoReturn:
        _append_only("versions are never deleted")

    def set_model_version_tag(self, name: str, version: Any, tag: Any) -> NoReturn:
        _append_only("version labels are set at registration")

    def delete_model_version_tag(self, name: str, version: Any, key: str) -> NoReturn:
        _append_only("version labels are set at registration")

    # mapping

    def _model_summary(self, name: str) -> dict[str, Any] | None:
        if not MODEL_NAME.match(name):
            return None
        return next((m for m in _call(lambda: self.registry.models(name)) if m["modelName"] == name), None)

    def _registered_model(self, summary: dict[str, Any]) -> RegisteredModel:
        aliases = self._aliases(summary["modelName"])
        return RegisteredModel(
            summary["modelName"],
            creation_timestamp=_ms(summary["firstRegisteredAt"]),
            last_updated_timestamp=_ms(summary["lastRegisteredAt"]),
            aliases=[RegisteredModelAlias(alias, str(version)) for version, names in sorted(aliases.items()) for alias in sorted(names)],
        )

    def _aliases(self, name: str) -> dict[int, list[str]]:
        """For each version, the surfaces (in this store's service and environment) it was promoted to last."""
        latest: dict[str, int] = {}
        for event in _call(lambda: self.registry.timeline(name, event_types=["ModelPromoted"])):
            if event["service"] == self.service and event["environment"] == self.environment:
                latest[event["surface"]] = int(event["modelVersion"])
        out: dict[int, list[str]] = {}
        for surface, version in latest.items():
            out.setdefault(version, []).append(surface)
        return out

    def _model_version(self, found: dict[str, Any], aliases: list[str]) -> ModelVersion:
        labels: dict[str, str] = found.get("labels") or {}
        registered = _ms(found["registeredAt"])
        return ModelVersion(
            name=found["modelName"],
            version=str(found["modelVersion"]),
            creation_timestamp=registered,
            last_updated_timestamp=registered,
            current_stage="None",
            source=labels.get("mlflow.source"),
            run_id=labels.get("mlflow.run_id"),
            tags=[ModelVersionTag(key, value) for key, value in sorted(labels.items())],
            aliases=sorted(aliases),
        )


def _check_name(name: str) -> None:
    if not MODEL_NAME.match(name or ""):
        raise MlflowException(f"modelName: {name!r} must be 1-128 of a-z, 0-9, '.', '_' or '-', starting with a letter or digit", INVALID_PARAMETER_VALUE)


def _call(action: Callable[[], T]) -> T:
    """Registry errors as MLflow errors, with the API's message and fields."""
    try:
        return action()
    except RegistryError as error:
        code = {InvalidRequestError: INVALID_PARAMETER_VALUE, NotFoundError: RESOURCE_DOES_NOT_EXIST, ConflictError: INVALID_STATE}.get(type(error), TEMPORARILY_UNAVAILABLE)
        raise MlflowException(str(error), code) from error


def _append_only(reason: str) -> NoReturn:
    raise MlflowException(f"not supported by modelreg, whose registry is append-only: {reason}", INVALID_STATE)


def _ms(timestamp: str) -> int:
    return int(datetime.fromisoformat(timestamp.replace("Z", "+00:00")).timestamp() * 1000)


def _now_ms() -> int:
    return int(time.time() * 1000)
