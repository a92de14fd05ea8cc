"""Every change to openness lists, resources and needs goes through here.

Each public service, `verb_noun(actor, …)`, checks permission, validates the input
(field errors as one `ValidationError`), opens one `transaction.atomic(durable=True)` and
calls its inner form, `verb_noun_in_transaction(actor, …)`. The inner form is the only
code that writes the model: it takes checked, validated input, locks the rows it changes,
re-checks the state invariants that need the lock (an editable list, a non-empty list to
submit), writes and appends the audit event. It runs inside the caller's transaction and
refuses to run outside one, so a caller that composes several writes (a harvest writes a
list and its resources; access sets a resource's policy) calls the inner forms in its own
single transaction and checks permission and validates with the same functions the
public services use (the `require_…` guards, `clean_…_data`).

The state machine itself lives in `catalog.workflow`. The functions live in `lists`,
`resources` and `needs`, with the field checks they share in `fields` and the permission
and state guards in `guards`; this module gathers the public ones.
"""

from synergy_hub.catalog.services.fields import (
    MAX_CODES,
    MAX_DESCRIPTION,
    MAX_KEYWORD_LENGTH,
    MAX_KEYWORDS,
    MAX_MONEY,
    MAX_TITLE,
)
from synergy_hub.catalog.services.guards import (
    require_own_list,
    require_own_resource,
    require_publisher,
)
from synergy_hub.catalog.services.lists import (
    clean_list_data,
    create_list,
    create_list_in_transaction,
    create_new_version,
    create_new_version_in_transaction,
    list_snapshot,
    publish_list,
    publish_list_in_transaction,
    return_list,
    return_list_in_transaction,
    start_review,
    start_review_in_transaction,
    submit_list,
    submit_list_in_transaction,
    update_list,
    update_list_in_transaction,
)
from synergy_hub.catalog.services.needs import (
    clean_need_data,
    create_need,
    create_need_in_transaction,
    need_snapshot,
    update_need,
    update_need_in_transaction,
)
from synergy_hub.catalog.services.resources import (
    CleanResource,
    add_resource,
    add_resource_in_transaction,
    check_usage_policy,
    clean_resource_data,
    copy_resource,
    editable_resource_values,
    remove_resource,
    remove_resource_in_transaction,
    resource_snapshot,
    set_usage_policy,
    set_usage_policy_in_transaction,
    update_resource,
    update_resource_in_transaction,
)

__all__ = [
    "MAX_CODES",
    "MAX_DESCRIPTION",
    "MAX_KEYWORDS",
    "MAX_KEYWORD_LENGTH",
    "MAX_MONEY",
    "MAX_TITLE",
    "CleanResource",
    "add_resource",
    "add_resource_in_transaction",
    "check_usage_policy",
    "clean_list_data",
    "clean_need_data",
    "clean_resource_data",
    "copy_resource",
    "create_list",
    "create_list_in_transaction",
    "create_need",
    "create_need_in_transaction",
    "create_new_version",
    "create_new_version_in_transaction",
    "editable_resource_values",
    "list_snapshot",
    "need_snapshot",
    "publish_list",
    "publish_list_in_transaction",
    "remove_resource",
    "remove_resource_in_transaction",
    "require_own_list",
    "require_own_resource",
    "require_publisher",
    "resource_snapshot",
    "return_list",
    "return_list_in_transaction",
    "set_usage_policy",
    "set_usage_policy_in_transaction",
    "start_review",
    "start_review_in_transaction",
    "submit_list",
    "submit_list_in_transaction",
    "update_list",
    "update_list_in_transaction",
    "update_need",
    "update_need_in_transaction",
    "update_resource",
    "update_resource_in_transaction",
]
