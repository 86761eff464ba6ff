"""Python client for the modelreg ML model registry."""

from .canonical_json import canonical_json
from .client import RegistryClient, Registration, UploadedArtifact
from .errors import ConflictError, FieldError, InvalidRequestError, NotFoundError, RegistryError, RegistryUnavailableError
from .fingerprint import environment_fingerprint
from .probe import normalize_seeds, probe_environment

__all__ = [
    "RegistryClient", "Registration", "UploadedArtifact", "RegistryError", "InvalidRequestError", "NotFoundError",
    "ConflictError", "RegistryUnavailableError", "FieldError", "canonical_json", "environment_fingerprint",
    "probe_environment", "normalize_seeds",
]
