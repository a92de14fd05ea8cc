"""Django's own password-validation messages, listed so that our catalog words them plainly.

Django's Chinese for these reads like a compiler message ("确保该变量至少包含 8 字符"), and the
current "too short" wording has no Chinese at all; our catalog comes before Django's, so these
entries replace its wording. Nothing imports this module: it exists for message extraction.
"""

from django.utils.translation import gettext_noop, ngettext_lazy

PASSWORD_VALIDATION_TEXTS = (
    ngettext_lazy(
        "This password is too short. It must contain at least %d character.",
        "This password is too short. It must contain at least %d characters.",
        12,
    ),
    gettext_noop("This password is too common."),
    gettext_noop("The password is too similar to the %(verbose_name)s."),
    gettext_noop("This password is entirely numeric."),
)
