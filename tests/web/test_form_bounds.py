"""Every number a page's form takes is bounded, as the API's are (`synergy_hub.api.bounds`).

A number wider than its column is an overflow inside the query, a server error; each form
field states its range, so the page shows the field's error instead. The forms are found
by walking the package, so a form added tomorrow is checked the day it is added.
"""

from __future__ import annotations

import importlib
import pkgutil
from collections.abc import Iterator

from django import forms

import synergy_hub


def _forms() -> Iterator[type[forms.BaseForm]]:
    for module in pkgutil.walk_packages(synergy_hub.__path__, "synergy_hub."):
        if module.name.rsplit(".", 1)[-1] in ("forms", "views") or ".views." in module.name:
            importlib.import_module(module.name)

    def subclasses(cls: type) -> Iterator[type]:
        for sub in cls.__subclasses__():
            yield sub
            yield from subclasses(sub)

    for cls in set(subclasses(forms.BaseForm)):
        if cls.__module__.startswith("synergy_hub."):
            yield cls


def test_the_walk_finds_the_forms() -> None:
    assert len(list(_forms())) >= 15


def test_every_number_a_form_takes_is_bounded() -> None:
    unbounded = []
    for form in _forms():
        for name, field in form.base_fields.items():
            where = f"{form.__module__}.{form.__name__}.{name}"
            if isinstance(field, forms.DecimalField):
                if field.max_digits is None and field.max_value is None:
                    unbounded.append(where)
            elif isinstance(field, forms.IntegerField) and (
                field.max_value is None or field.min_value is None
            ):
                unbounded.append(where)
    assert not unbounded, "give these fields a range: " + ", ".join(sorted(unbounded))
