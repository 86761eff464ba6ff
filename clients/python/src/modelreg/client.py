"""The registry over HTTP: upload artifacts, register runs, wait for gate decisions, query."""

from __future__ import annotations

import hashlib
import os
import time
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any, BinaryIO
from urllib.parse import quote

import requests

from .errors import NotFoundError, RegistryUnavailableError, error_from_response

__all__ = ["RegistryClient", "UploadedArtifact", "Registration", "Progress", "sha256_file"]

CHUNK = 1 << 20

#: Called as ``progress(phase, done_bytes, total_bytes)`` with phase ``hash`` or ``upload``.
Progress = Callable[[str, int, int], None]


@dataclass(frozen=True)
class UploadedArtifact:
    sha256: str
    size_bytes: int
    storage_uri: str
    deduplicated: bool

    def declare(self, target: str, format: str) -> dict[str, Any]:
        """The run submission's ``artifacts`` entry for these bytes."""
        return {"target": target, "format": format, "sizeBytes": self.size_bytes, "sha256": self.sha256}


@dataclass(frozen=True)
class Registration:
    model_name: str
    model_version: int
    event_id: str
    created: bool
    """False when the registry already had this training run (an idempotent retry)."""


def sha256_file(path: str | os.PathLike[str], progress: Progress | None = None) -> str:
    """Streams the file through sha256 (never loads it whole)."""
    total = Path(path).stat().st_size
    digest, done = hashlib.sha256(), 0
    with open(path, "rb") as stream:
        for chunk in iter(lambda: stream.read(CHUNK), b""):
            digest.update(chunk)
            done += len(chunk)
            if progress:
                progress("hash", done, total)
    return digest.hexdigest()


class RegistryClient:
    """One registry: the ingestion service (writes), projections (reads), gate-validator and
    deployment-tracker. Unset URLs are read from ``MODELREG_<SERVICE>_URL``. Every request sends
    ``token`` (else ``MODELREG_TOKEN``) as ``Authorization: Bearer``: an OAuth2 access token whose
    roles cover the calls made (trainer to register, reader to query, controller to promote)."""

    def __init__(
        self,
        ingestion_url: str | None = None,
        projections_url: str | None = None,
        gate_validator_url: str | None = None,
        deployment_tracker_url: str | None = None,
        *,
        session: requests.Session | None = None,
        timeout: float = 60.0,
        token: str | None = None,
    ):
        env = os.environ
        self.ingestion_url = _base(ingestion_url or env.get("MODELREG_INGESTION_URL"))
        self.projections_url = _base(projections_url or env.get("MODELREG_PROJECTIONS_URL"))
        self.gate_validator_url = _base(gate_validator_url or env.get("MODELREG_GATE_VALIDATOR_URL"))
        self.deployment_tracker_url = _base(deployment_tracker_url or env.get("MODELREG_DEPLOYMENT_TRACKER_URL"))
        self.session = session or requests.Session()
        self.timeout = timeout
        self.token = token or env.get("MODELREG_TOKEN") or None

    # writes

    def upload_artifact(self, path: str | os.PathLike[str], progress: Progress | None = None) -> UploadedArtifact:
        """Hashes the file (streamed), then streams it to ``PUT /v1/artifacts/{sha256}`` unless the
        registry already holds those bytes (``deduplicated``; nothing is sent again)."""
        size = Path(path).stat().st_size
        sha256 = sha256_file(path, progress)
        artifact_url = self._url(self.ingestion_url, "ingestion", f"/v1/artifacts/{sha256}")
        try:
            stored = self._request("GET", artifact_url)
            return UploadedArtifact(sha256, size, str(stored.get("storageUri", "")), True)
        except NotFoundError:
            pass

        with open(path, "rb") as stream:
            answer = self._request(
                "PUT", artifact_url,
                data=_ProgressReader(stream, size, progress), headers={"content-type": "application/octet-stream"},
            )
        return UploadedArtifact(sha256, size, str(answer.get("storageUri", "")), bool(answer.get("deduplicated", False)))

    def register_run(self, submission: Mapping[str, Any]) -> Registration:
        """``POST /v1/runs``; a retry of the same training run returns the same version."""
        response = self._send("POST", self._url(self.ingestion_url, "ingestion", "/v1/runs"), json=dict(submission))
        body = response.json()
        return Registration(body["modelName"], int(body["modelVersion"]), body["eventId"], response.status_code == 201)

    def promote(self, model_name: str, version: int, *, service: str, surface: str, environment: str) -> dict[str, Any]:
        """``POST /v1/promotions``: make a gate-passed version eligible for a service surface."""
        body = {"modelName": model_name, "modelVersion": version, "service": service, "surface": surface, "environment": environment}
        promoted: dict[str, Any] = self._request("POST", self._url(self.deployment_tracker_url, "deployment-tracker", "/v1/promotions"), json=body)
        return promoted

    # reads

    def wait_for_decision(self, model_name: str, version: int, *, timeout: float = 120.0, interval: float = 0.5) -> dict[str, Any]:
        """The version's latest gate decision, waiting until the gate has decided."""
        deadline = time.monotonic() + timeout
        while True:
            decisions = self.decisions(model_name, version)
            if decisions:
                return decisions[-1]
            if time.monotonic() > deadline:
                raise TimeoutError(f"no gate decision on {model_name} v{version} after {timeout} s")
            time.sleep(interval)

    def decisions(self, model_name: str, version: int) -> list[dict[str, Any]]:
        """Every gate decision on a version, oldest first (from the gate-validator when known, else projections)."""
        path = f"/v1/models/{_seg(model_name)}/versions/{int(version)}/decisions"
        base, name = (self.gate_validator_url, "gate-validator") if self.gate_validator_url else (self.projections_url, "projections")
        try:
            items: list[dict[str, Any]] = self._request("GET", self._url(base, name, path))["items"]
        except NotFoundError:
            return []
        return items

    def models(self, name_contains: str | None = None, *, limit: int = 500) -> list[dict[str, Any]]:
        return self._paged(f"/v1/models{'?nameContains=' + quote(name_contains) if name_contains else ''}", limit)

    def versions(self, model_name: str, *, limit: int = 500) -> list[dict[str, Any]]:
        """Versions of a model, newest first (summaries)."""
        return self._paged(f"/v1/models/{_seg(model_name)}/versions", limit)

    def version(self, model_name: str, version: int) -> dict[str, Any]:
        """One version with its full lineage; :class:`NotFoundError` until it is projected."""
        found: dict[str, Any] = self._get(f"/v1/models/{_seg(model_name)}/versions/{int(version)}")
        return found

    def wait_for_version(self, model_name: str, version: int, *, timeout: float = 60.0, interval: float = 0.2) -> dict[str, Any]:
        """:meth:`version`, waiting for the projection to catch up with a registration."""
        deadline = time.monotonic() + timeout
        while True:
            try:
                return self.version(model_name, version)
            except NotFoundError:
                if time.monotonic() > deadline:
                    raise
                time.sleep(interval)

    def wait_for_training_run(self, model_name: str, training_run_id: str, *, timeout: float = 60.0, interval: float = 0.5) -> int:
        """The version a training run became, waiting for it to be registered and projected (e.g. after
        :class:`~modelreg.kafka_producer.RunSubmissionProducer` sent it)."""
        deadline = time.monotonic() + timeout
        while True:
            try:
                found = [v for v in self.versions(model_name) if v["trainingRunId"] == training_run_id]
            except NotFoundError:
                found = []
            if found:
                return int(found[0]["modelVersion"])
            if time.monotonic() > deadline:
                raise TimeoutError(f"{model_name} has no version for training run {training_run_id} after {timeout} s")
            time.sleep(interval)

    def diff(self, model_name: str, version: int, against: int) -> dict[str, Any]:
        """What changed from ``against`` (the baseline) to ``version``."""
        diff: dict[str, Any] = self._get(f"/v1/models/{_seg(model_name)}/diff?version={int(version)}&against={int(against)}")
        return diff

    def deployed(self, model_name: str | None = None, *, service: str | None = None, environment: str | None = None) -> list[dict[str, Any]]:
        """What serves where now: per service and surface, the serving version and the canaries."""
        query = "&".join(f"{k}={quote(v)}" for k, v in (("modelName", model_name), ("service", service), ("environment", environment)) if v)
        answer: Any = self._get(f"/v1/deployed{'?' + query if query else ''}")
        return list(answer["items"] if isinstance(answer, dict) else answer)

    def timeline(self, model_name: str, *, event_types: list[str] | None = None, limit: int = 500) -> list[dict[str, Any]]:
        """Deployment events of a model (promotions, canaries, rollouts, rollbacks), oldest first."""
        only = f"?eventType={quote(','.join(event_types))}" if event_types else ""
        return self._paged(f"/v1/models/{_seg(model_name)}/timeline{only}", limit)

    # plumbing

    def _paged(self, path: str, limit: int) -> list[dict[str, Any]]:
        separator = "&" if "?" in path else "?"
        items: list[dict[str, Any]] = []
        while True:
            answer: Any = self._get(f"{path}{separator}limit={limit}&offset={len(items)}")
            page = answer["items"] if isinstance(answer, dict) else answer
            items.extend(page)
            if len(page) < limit:
                return items

    def _get(self, path: str) -> Any:
        return self._request("GET", self._url(self.projections_url, "projections", path))

    def _request(self, method: str, url: str, **kwargs: Any) -> Any:
        return self._send(method, url, **kwargs).json()

    def _send(self, method: str, url: str, **kwargs: Any) -> requests.Response:
        try:
            if self.token:
                kwargs["headers"] = {"authorization": f"Bearer {self.token}", **kwargs.get("headers", {})}
            response = self.session.request(method, url, timeout=self.timeout, **kwargs)
        except requests.RequestException as error:
            raise RegistryUnavailableError(None, "unreachable", f"{method} {url}: {error}") from error
        if response.status_code >= 400:
            try:
                body: Any = response.json()
            except ValueError:
                body = response.text
            raise error_from_response(response.status_code, body)
        return response

    @staticmethod
    def _url(base: str | None, service: str, path: str) -> str:
        if not base:
            variable = f"MODELREG_{service.upper().replace('-', '_')}_URL"
            raise ValueError(f"no {service} URL: pass it to RegistryClient or set {variable}")
        return base + path


class _ProgressReader:
    """A file that reports how much was read; its length makes requests send Content-Length (no chunking)."""

    def __init__(self, stream: BinaryIO, size: int, progress: Progress | None):
        self._stream, self._size, self._progress, self._done = stream, size, progress, 0

    def __len__(self) -> int:
        return self._size

    def read(self, amount: int = -1) -> bytes:
        chunk = self._stream.read(amount)
        self._done += len(chunk)
        if self._progress and chunk:
            self._progress("upload", self._done, self._size)
        return chunk


def _base(url: str | None) -> str | None:
    return url.rstrip("/") if url else None


def _seg(name: str) -> str:
    return quote(name, safe="")
