"""Choice fields whose options are only known at request time (they live in the database)."""

from __future__ import annotations

from typing import Any

from django import forms


def set_choices(form: forms.Form, name: str, choices: list[Any]) -> None:
    """Fill a choice field's options at request time (reference data lives in the database)."""
    field = form.fields[name]
    assert isinstance(field, forms.ChoiceField)
    field.choices = choices
