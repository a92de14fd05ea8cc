"""Read and write ODRL policies as JSON-LD with the W3C ODRL context, without any network.

The reader accepts what the ODRL Information Model examples write: the compact form under
``"@context": "http://www.w3.org/ns/odrl.jsonld"``, ``odrl:``-prefixed or full IRIs, single
objects or arrays, actions as objects with ``rdf:value`` and refinements, and logical
constraints with or without ``@list``. The context is built in (with the two misprints of
the published file corrected); other remote contexts are refused, inline ones are applied.

Invalid documents raise `PolicyValidationError`; every problem names the JSON path of the
offending node (``$.permission[0].constraint[1].operator``) and the rule it breaks.
``policy_from_jsonld(policy_to_jsonld(p)) == p`` for every valid policy.
"""

from .jsonld_context import ODRL_CONTEXT_URL, odrl_context
from .jsonld_reader import policy_from_json, policy_from_jsonld
from .jsonld_writer import policy_to_json, policy_to_jsonld

__all__ = [
    "ODRL_CONTEXT_URL",
    "odrl_context",
    "policy_from_json",
    "policy_from_jsonld",
    "policy_to_json",
    "policy_to_jsonld",
]
