"""Signals other apps listen to, so the catalog does not depend on them.

`list_published` is sent after the transaction that published a list version commits,
with `openness_list` (the new version) and `superseded` (the replaced version or None);
the matching index updates itself from it.
"""

from django.dispatch import Signal

list_published = Signal()
