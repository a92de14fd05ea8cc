"""Every change to openness lists, resources and needs goes through here.

Each function checks permission, validates, writes and appends to the audit log in one
transaction; the state machine itself lives in `catalog.workflow`. The functions live in
`lists`, `resources` and `needs`, with the field checks they share in `fields` and the
permission and state guards in `guards`; this module gathers the public ones.
"""

from synergy_hub.catalog.services.fields import (
    MAX_CODES,
    MAX_DESCRIPTION,
    MAX_KEYWORD_LENGTH,
    MAX_KEYWORDS,
    MAX_MONEY,
    MAX_TITLE,
)
from synergy_hub.catalog.services.lists import (
    create_list,
    create_new_version,
    draft_next_version,
    list_snapshot,
    publish_list,
    return_list,
    start_review,
    submit_list,
    update_list,
)
from synergy_hub.catalog.services.needs import (
    clean_need_data,
    create_need,
    need_snapshot,
    update_need,
)
from synergy_hub.catalog.services.resources import (
    add_resource,
    clean_resource_data,
    copy_resource,
    editable_resource_values,
    remove_resource,
    resource_snapshot,
    update_resource,
)

__all__ = [
    "MAX_CODES",
    "MAX_DESCRIPTION",
    "MAX_KEYWORDS",
    "MAX_KEYWORD_LENGTH",
    "MAX_MONEY",
    "MAX_TITLE",
    "add_resource",
    "clean_need_data",
    "clean_resource_data",
    "copy_resource",
    "create_list",
    "create_need",
    "create_new_version",
    "draft_next_version",
    "editable_resource_values",
    "list_snapshot",
    "need_snapshot",
    "publish_list",
    "remove_resource",
    "resource_snapshot",
    "return_list",
    "start_review",
    "submit_list",
    "update_list",
    "update_need",
    "update_resource",
]
