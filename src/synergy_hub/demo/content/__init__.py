"""Bilingual building blocks for the demo catalog (pure: no database, no Django).

Names of organisations are invented; codes (USCC, regions, industries) are real and valid.
Every resource type has several phrasings in both languages, filled with an application
domain, so that search and matching have realistic text to work on.

The texts live in `domains`, `resources`, `organisations` and `needs`; this module
gathers them.
"""

from synergy_hub.demo.content.domains import DOMAINS
from synergy_hub.demo.content.needs import NEED_CONTEXTS, NEED_PHRASES
from synergy_hub.demo.content.organisations import (
    PUBLISHERS,
    SME_LINES,
    SME_WORDS,
    OrganisationSeed,
)
from synergy_hub.demo.content.resources import (
    DETAILS,
    LIST_THEMES,
    MORE_TITLES,
    TEMPLATES,
    ResourceTemplate,
)

__all__ = [
    "DETAILS",
    "DOMAINS",
    "LIST_THEMES",
    "MORE_TITLES",
    "NEED_CONTEXTS",
    "NEED_PHRASES",
    "PUBLISHERS",
    "SME_LINES",
    "SME_WORDS",
    "TEMPLATES",
    "OrganisationSeed",
    "ResourceTemplate",
]
