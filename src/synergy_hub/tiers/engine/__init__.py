"""The tier engine: gradient-cultivation rule sets as data and their evaluation.

Pure Python (no Django): it takes indicator values by year and returns codes and numbers;
the Django side (synergy_hub.tiers) stores indicators, renders the explanations in the
reader's language and suggests resources.
"""

from synergy_hub.tiers.engine.evaluate import Evaluation, TierResult, evaluate
from synergy_hub.tiers.engine.indicators import INDICATORS, Indicator, validate_year_values
from synergy_hub.tiers.engine.rules import Check, Status
from synergy_hub.tiers.engine.rulesets import RULE_SETS, RuleSet, rule_set_for

__all__ = [
    "INDICATORS",
    "RULE_SETS",
    "Check",
    "Evaluation",
    "Indicator",
    "RuleSet",
    "Status",
    "TierResult",
    "evaluate",
    "rule_set_for",
    "validate_year_values",
]
