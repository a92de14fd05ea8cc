"""Typed values that appear as right operands and facts, and their XSD lexical forms."""

from __future__ import annotations

import calendar
import re
from dataclasses import dataclass
from datetime import date, datetime, timedelta, timezone, tzinfo
from decimal import Decimal, InvalidOperation

from .vocabulary import XSD

__all__ = [
    "DEFAULT_TIMEZONE",
    "IRI",
    "Duration",
    "Quantity",
    "Scalar",
    "TypedLiteral",
    "Value",
    "format_literal",
    "parse_literal",
    "require_aware",
]

#: China Standard Time (UTC+08:00, no daylight saving): the platform's legal time. Naive
#: xsd:dateTime literals are read in it and xsd:date operands are whole days in it, unless
#: a caller passes another zone.
DEFAULT_TIMEZONE: tzinfo = timezone(timedelta(hours=8), "UTC+08:00")


@dataclass(frozen=True)
class IRI:
    """A reference to a resource (JSON-LD ``{"@id": ...}``), as opposed to a plain string."""

    value: str

    def __str__(self) -> str:
        return self.value


@dataclass(frozen=True)
class Quantity:
    """A number with its unit, as a fact for constraints that carry an odrl:unit."""

    amount: Decimal
    unit: str | None = None


@dataclass(frozen=True)
class TypedLiteral:
    """A literal whose datatype this package does not interpret; compared by its text."""

    lexical: str
    datatype: str


_DURATION = re.compile(
    r"^(?P<sign>-)?P(?:(?P<y>\d+)Y)?(?:(?P<mo>\d+)M)?(?:(?P<d>\d+)D)?"
    r"(?:T(?:(?P<h>\d+)H)?(?:(?P<mi>\d+)M)?(?:(?P<s>\d+(?:\.\d+)?)S)?)?$"
)


@dataclass(frozen=True)
class Duration:
    """An xsd:duration, kept as months plus seconds the way XML Schema defines it."""

    months: int = 0
    seconds: Decimal = Decimal(0)

    def __post_init__(self) -> None:
        if (self.months < 0 < self.seconds) or (self.seconds < 0 < self.months):
            raise ValueError("an xsd:duration has one sign for all its parts")

    @classmethod
    def parse(cls, text: str) -> Duration:
        """Read an xsd:duration such as ``P1Y2M``, ``P30D`` or ``PT1.5S``."""
        match = _DURATION.match(text.strip())
        if not match or text.strip() in {"P", "-P"} or text.strip().endswith("T"):
            raise ValueError(f"{text!r} is not an xsd:duration (e.g. P30D, P1Y, PT12H)")
        parts = {k: v for k, v in match.groupdict().items() if k != "sign"}
        if not any(parts.values()):
            raise ValueError(f"{text!r} is not an xsd:duration (no component)")
        years, months = int(parts["y"] or 0), int(parts["mo"] or 0)
        seconds = (
            Decimal(parts["d"] or 0) * 86400
            + Decimal(parts["h"] or 0) * 3600
            + Decimal(parts["mi"] or 0) * 60
            + Decimal(parts["s"] or 0)
        )
        sign = -1 if match.group("sign") else 1
        return cls(months=sign * (12 * years + months), seconds=sign * seconds)

    @classmethod
    def of(cls, *, years: int = 0, months: int = 0, days: int = 0, hours: int = 0) -> Duration:
        """Build a non-negative duration from calendar parts."""
        return cls(months=12 * years + months, seconds=Decimal(days * 86400 + hours * 3600))

    @classmethod
    def from_timedelta(cls, delta: timedelta) -> Duration:
        """Convert an exact time span."""
        micros = (delta.days * 86400 + delta.seconds) * 10**6 + delta.microseconds
        return cls(seconds=Decimal(micros) / Decimal(10**6))

    @property
    def negative(self) -> bool:
        """Tell whether the duration points backwards in time."""
        return self.months < 0 or self.seconds < 0

    def parts(self) -> tuple[int, int, int, int, int, Decimal]:
        """Return the absolute years, months, days, hours, minutes and seconds."""
        years, months = divmod(abs(self.months), 12)
        rest = abs(self.seconds)
        days, rest = divmod(rest, 86400)
        hours, rest = divmod(rest, 3600)
        minutes, seconds = divmod(rest, 60)
        return years, months, int(days), int(hours), int(minutes), seconds

    def lexical(self) -> str:
        """Return the canonical xsd:duration text."""
        years, months, days, hours, minutes, seconds = self.parts()
        text = "-P" if self.negative else "P"
        text += f"{years}Y" if years else ""
        text += f"{months}M" if months else ""
        text += f"{days}D" if days else ""
        clock = f"{hours}H" if hours else ""
        clock += f"{minutes}M" if minutes else ""
        if seconds:
            clock += f"{_plain_decimal(seconds)}S"
        if clock:
            text += "T" + clock
        return text if text not in {"P", "-P"} else "PT0S"

    def add_to(self, moment: datetime) -> datetime:
        """Add the duration to a moment by the XML Schema algorithm (months first, day pinned)."""
        month_index = moment.month - 1 + self.months
        year = moment.year + month_index // 12
        month = month_index % 12 + 1
        day = min(moment.day, calendar.monthrange(year, month)[1])
        shifted = moment.replace(year=year, month=month, day=day)
        return shifted + timedelta(seconds=float(self.seconds))

    def __str__(self) -> str:
        return self.lexical()


Scalar = bool | int | Decimal | float | str | IRI | datetime | date | Duration | timedelta
Value = Scalar | Quantity | TypedLiteral | tuple["Value", ...]


def require_aware(moment: datetime, what: str) -> datetime:
    """Return `moment` if it carries a timezone, otherwise refuse it."""
    if moment.tzinfo is None or moment.utcoffset() is None:
        raise ValueError(f"{what} must be a timezone-aware datetime")
    return moment


def _plain_decimal(number: Decimal) -> str:
    text = format(number, "f")
    if "." in text:
        text = text.rstrip("0").rstrip(".")
    return text


_INTEGER_TYPES = {
    "integer": None,
    "int": None,
    "long": None,
    "short": None,
    "byte": None,
    "nonNegativeInteger": 0,
    "positiveInteger": 1,
    "unsignedLong": 0,
    "unsignedInt": 0,
    "unsignedShort": 0,
    "unsignedByte": 0,
}


def parse_literal(
    lexical: str, datatype: str | None, *, default_timezone: tzinfo = DEFAULT_TIMEZONE
) -> Scalar | TypedLiteral:
    """Turn an RDF literal (text plus datatype IRI) into a Python value, or raise ValueError."""
    if datatype is None or datatype == XSD + "string":
        return lexical
    if not datatype.startswith(XSD):
        return TypedLiteral(lexical, datatype)
    name = datatype[len(XSD) :]
    text = lexical.strip()
    if name in _INTEGER_TYPES:
        try:
            number = int(text)
        except ValueError:
            raise ValueError(f"{lexical!r} is not an xsd:{name}") from None
        minimum = _INTEGER_TYPES[name]
        if minimum is not None and number < minimum:
            raise ValueError(f"{lexical!r} is not an xsd:{name} (must be at least {minimum})")
        if name == "nonPositiveInteger" and number > 0:
            raise ValueError(f"{lexical!r} is not an xsd:{name}")
        return number
    if name == "decimal":
        try:
            return Decimal(text)
        except InvalidOperation:
            raise ValueError(f"{lexical!r} is not an xsd:decimal") from None
    if name in {"double", "float"}:
        try:
            return float(text)
        except ValueError:
            raise ValueError(f"{lexical!r} is not an xsd:{name}") from None
    if name == "boolean":
        if text in {"true", "1"}:
            return True
        if text in {"false", "0"}:
            return False
        raise ValueError(f"{lexical!r} is not an xsd:boolean")
    if name in {"dateTime", "dateTimeStamp"}:
        return parse_datetime(text, default_timezone=default_timezone)
    if name == "date":
        return parse_date(text)
    if name in {"duration", "dayTimeDuration", "yearMonthDuration"}:
        return Duration.parse(text)
    if name == "anyURI":
        return IRI(text)
    return TypedLiteral(lexical, datatype)


def parse_datetime(text: str, *, default_timezone: tzinfo = DEFAULT_TIMEZONE) -> datetime:
    """Read an xsd:dateTime; a value without offset is placed in `default_timezone`."""
    try:
        moment = datetime.fromisoformat(text.strip())
    except ValueError:
        example = "2027-12-31T23:59:59+08:00"
        raise ValueError(f"{text!r} is not an xsd:dateTime (e.g. {example})") from None
    if moment.tzinfo is None:
        moment = moment.replace(tzinfo=default_timezone)
    return moment


def parse_date(text: str) -> date:
    """Read an xsd:date; a timezone suffix is accepted and ignored (days are local)."""
    core = text.strip()
    match = re.match(r"^(\d{4,}-\d{2}-\d{2})(Z|[+-]\d{2}:\d{2})?$", core)
    if not match:
        raise ValueError(f"{text!r} is not an xsd:date (e.g. 2027-12-31)")
    try:
        return date.fromisoformat(match.group(1))
    except ValueError:
        raise ValueError(f"{text!r} is not an xsd:date (e.g. 2027-12-31)") from None


def format_literal(value: Scalar | TypedLiteral) -> tuple[str, str]:
    """Return the lexical form and datatype IRI of a value (inverse of `parse_literal`)."""
    if isinstance(value, bool):
        return ("true" if value else "false"), XSD + "boolean"
    if isinstance(value, int):
        return str(value), XSD + "integer"
    if isinstance(value, Decimal):
        return format(value, "f"), XSD + "decimal"
    if isinstance(value, float):
        return repr(value), XSD + "double"
    if isinstance(value, datetime):
        return value.isoformat(), XSD + "dateTime"
    if isinstance(value, date):
        return value.isoformat(), XSD + "date"
    if isinstance(value, Duration):
        return value.lexical(), XSD + "duration"
    if isinstance(value, timedelta):
        return Duration.from_timedelta(value).lexical(), XSD + "duration"
    if isinstance(value, IRI):
        return value.value, XSD + "anyURI"
    if isinstance(value, TypedLiteral):
        return value.lexical, value.datatype
    return str(value), XSD + "string"
