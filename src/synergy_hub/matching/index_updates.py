"""Keep the index in step with publications: new versions replace, dropped resources leave."""

from __future__ import annotations

import logging
from typing import Any

from synergy_hub.catalog.models import OpennessList
from synergy_hub.matching.index import store

logger = logging.getLogger(__name__)


def on_list_published(
    sender: Any, openness_list: OpennessList, superseded: OpennessList | None, **_: Any
) -> None:
    """Signal receiver: update the index after a list version was published.

    The change itself was numbered and recorded in the publishing transaction
    (`generations.record_publication`); this brings the index up to that number.
    """
    index = store()
    if index.generation() is None:
        return  # the first search builds the whole index
    try:
        # Replays every committed change the index lacks, this one included: also any
        # that an earlier failure or a crash after its commit left out.
        index.reconcile()
    except Exception:  # an index problem must not undo a publication that has committed
        logger.exception("index update failed; run `synergy index reconcile`")
