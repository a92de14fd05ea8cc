"""Service refusals shown on a page's form, next to the field they name, in one round.

A page form checks the shape of its input; the service behind it checks the rules (a
credit code's check character, a unique name, a strong password). Were the service asked
only once the form is valid, a person would fix the form's errors, submit, and only then
hear about the rules: two rounds. `OneRoundForm` asks the service's side-effect-free check
in the same round and shows its errors beside the form's own (decision 0027).
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from django import forms
from django.core.exceptions import ValidationError


def apply_service_errors(form: forms.Form, exc: ValidationError) -> None:
    """Show a service's field errors on the form (unknown fields become form-wide errors)."""
    if hasattr(exc, "error_dict"):
        for field, errors in exc.error_dict.items():
            target = field if field in form.fields else None
            for error in errors:
                form.add_error(target, error)
    else:
        form.add_error(None, exc)


class OneRoundForm(forms.Form):
    """A form that also reports its service's rules when its own checks fail.

    Subclasses implement `check_rules(data)`: call the service's validation (never a
    write) and raise its `ValidationError`. It runs after the fields are cleaned, with the
    clean values of the fields that passed; a service error is shown only on a field that
    has no error of its own yet (a field the form already refused is not told twice), and
    form-wide errors only when the form has no other error.
    """

    def check_rules(self, data: Mapping[str, Any]) -> None:
        raise NotImplementedError

    def full_clean(self) -> None:
        super().full_clean()
        if not self.is_bound or (self.empty_permitted and not self.has_changed()):
            return
        try:
            self.check_rules(dict(self.cleaned_data))
        except ValidationError as exc:
            errors: dict[str, list[ValidationError]] = (
                dict(exc.error_dict) if hasattr(exc, "error_dict") else {"__all__": exc.error_list}
            )
            failed = set(self.errors)
            for field, items in errors.items():
                target = field if field in self.fields else None
                if target in failed or (target is None and failed):
                    continue
                for error in items:
                    self.add_error(target, error)
