"""Shapes shared by every router: the error body and the response maps that document it."""

from typing import Any

from ninja import Schema


class ErrorItem(Schema):
    """One problem with the request: where (`loc`, ending with the field), what and which rule."""

    loc: list[str | int]
    msg: str
    type: str


class ErrorOut(Schema):
    """Every 4xx answer: a message, or a list of field problems (422)."""

    detail: str | list[ErrorItem]


ERROR_CODES = frozenset({400, 401, 403, 404, 422, 429})


def responses(code: int, schema: Any) -> dict[Any, Any]:
    """The success response plus the documented error responses of an operation."""
    return {code: schema, ERROR_CODES: ErrorOut}
