"""CKAN's error kinds, each with the `__type` and HTTP status CKAN answers with."""

from __future__ import annotations

from typing import Any


class ActionError(Exception):
    """An error an action reports in CKAN's envelope."""

    type_name = "Internal Server Error"
    status = 500

    def __init__(self, message: str = "") -> None:
        super().__init__(message)
        self.message = message

    def error_body(self) -> dict[str, Any]:
        return {"__type": self.type_name, "message": self.message}


class NotFound(ActionError):
    type_name = "Not Found Error"
    status = 404

    def error_body(self) -> dict[str, Any]:
        message = "Not found" + (f": {self.message}" if self.message else "")
        return {"__type": self.type_name, "message": message}


class NotAuthorized(ActionError):
    type_name = "Authorization Error"
    status = 403

    def error_body(self) -> dict[str, Any]:
        message = "Access denied" + (f": {self.message}" if self.message else "")
        return {"__type": self.type_name, "message": message}


class ValidationFailed(ActionError):
    """CKAN's ValidationError: field name -> list of messages, status 409."""

    type_name = "Validation Error"
    status = 409

    def __init__(self, errors: dict[str, list[str]]) -> None:
        super().__init__("; ".join(f"{k}: {', '.join(v)}" for k, v in errors.items()))
        self.errors = errors

    def error_body(self) -> dict[str, Any]:
        return {"__type": self.type_name, **self.errors}


class SearchQueryError(ActionError):
    """Invalid search syntax or parameters; CKAN answers 400 (ckan/views/api.py)."""

    type_name = "Search Query Error"
    status = 400

    def error_body(self) -> dict[str, Any]:
        return {"__type": self.type_name, "message": f"Search Query is invalid: {self.message}"}
