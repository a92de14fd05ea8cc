"""Django's own validation messages, re-worded for our users.

Django ships Simplified Chinese for its validators, but several read like machine output
("确保该变量至少包含 8 字符(目前字符数 3)"). Our catalog comes first in `LOCALE_PATHS`, so a
msgid listed here, with its wording in our `django.po`, replaces Django's translation
wherever a form or model field raises it: no form has to override `error_messages`. The
English msgids must stay byte-for-byte Django's (Django 5.2); this module only names them
so that `makemessages` keeps them in the catalog. It is imported by nothing at run time.
The password validators' messages are listed with the account texts
(`accounts/password_texts.py`).
"""

from __future__ import annotations

from django.utils.translation import gettext_noop, ngettext_lazy

MESSAGES = (
    gettext_noop("This field is required."),
    gettext_noop("Enter a number."),
    gettext_noop("Enter a whole number."),
    gettext_noop("Enter a valid integer."),
    gettext_noop("Enter a valid value."),
    gettext_noop("Enter a valid date."),
    gettext_noop("Enter a valid time."),
    gettext_noop("Enter a valid date/time."),
    gettext_noop("Enter a valid email address."),
    gettext_noop("Enter a valid URL."),
    gettext_noop("Enter a valid JSON."),
    gettext_noop("Enter a list of values."),
    gettext_noop("Select a valid choice. %(value)s is not one of the available choices."),
    gettext_noop("Select a valid choice. That choice is not one of the available choices."),
    gettext_noop("Ensure this value is less than or equal to %(limit_value)s."),
    gettext_noop("Ensure this value is greater than or equal to %(limit_value)s."),
    gettext_noop("Null characters are not allowed."),
    gettext_noop("No file was submitted."),
    gettext_noop("The submitted file is empty."),
    gettext_noop("The two password fields didn’t match."),
    gettext_noop("%(model_name)s with this %(field_label)s already exists."),
)

PLURAL_MESSAGES = (
    ngettext_lazy(
        "Ensure this value has at least %(limit_value)d character (it has %(show_value)d).",
        "Ensure this value has at least %(limit_value)d characters (it has %(show_value)d).",
        "limit_value",
    ),
    ngettext_lazy(
        "Ensure this value has at most %(limit_value)d character (it has %(show_value)d).",
        "Ensure this value has at most %(limit_value)d characters (it has %(show_value)d).",
        "limit_value",
    ),
    ngettext_lazy(
        "Ensure that there are no more than %(max)s digit in total.",
        "Ensure that there are no more than %(max)s digits in total.",
        "max",
    ),
    ngettext_lazy(
        "Ensure that there are no more than %(max)s decimal place.",
        "Ensure that there are no more than %(max)s decimal places.",
        "max",
    ),
    ngettext_lazy(
        "Ensure that there are no more than %(max)s digit before the decimal point.",
        "Ensure that there are no more than %(max)s digits before the decimal point.",
        "max",
    ),
    ngettext_lazy(
        "Ensure this filename has at most %(max)d character (it has %(length)d).",
        "Ensure this filename has at most %(max)d characters (it has %(length)d).",
        "max",
    ),
)
