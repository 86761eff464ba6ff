"""Errors that mirror the registry's HTTP answers.

The API answers bad input with ``{error, errors: [{field, message}]}`` or ``{error, field, message}``;
each becomes a :class:`RegistryError` subclass carrying the status, the error code and every field at
fault. ``retriable`` says whether trying again can help, as the registry's own infrastructure errors do.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

__all__ = [
    "FieldError", "RegistryError", "InvalidRequestError", "NotFoundError", "ConflictError",
    "RegistryUnavailableError", "error_from_response",
]


@dataclass(frozen=True)
class FieldError:
    field: str
    message: str

    def __str__(self) -> str:
        return f"{self.field}: {self.message}"


class RegistryError(Exception):
    """The registry refused a request (4xx) or could not serve it (5xx, unreachable)."""

    retriable = False

    def __init__(self, status: int | None, error: str, message: str, errors: list[FieldError] | None = None, body: Any = None):
        self.status = status
        self.error = error
        self.message = message
        self.errors = errors or []
        self.body = body
        detail = "; ".join(str(e) for e in self.errors) or message
        super().__init__(f"{status or 'no answer'} {error}: {detail}")


class InvalidRequestError(RegistryError):
    """400 or 422: ``errors`` names each field at fault."""


class NotFoundError(RegistryError):
    """404: the model, version or deployment is not known (or not projected yet)."""


class ConflictError(RegistryError):
    """409: the same id with different content, or a rule refused it (e.g. no passed gate)."""


class RegistryUnavailableError(RegistryError):
    """5xx or no connection: the registry or one of its dependencies is down; retry later."""

    retriable = True


def error_from_response(status: int, body: Any) -> RegistryError:
    """The error for a non-2xx answer, with the API's own code, message and fields."""
    payload = body if isinstance(body, dict) else {}
    errors = [FieldError(str(e.get("field", "")), str(e.get("message", ""))) for e in payload.get("errors", []) if isinstance(e, dict)]
    if "field" in payload and "message" in payload:
        errors.append(FieldError(str(payload["field"]), str(payload["message"])))
    code = str(payload.get("error", f"http_{status}"))
    message = str(payload.get("message", "") or (body if isinstance(body, str) else ""))
    kind: type[RegistryError]
    if status in (400, 422):
        kind = InvalidRequestError
    elif status == 404:
        kind = NotFoundError
    elif status == 409:
        kind = ConflictError
    elif status >= 500:
        kind = RegistryUnavailableError
    else:
        kind = RegistryError
    return kind(status, code, message, errors, body)
