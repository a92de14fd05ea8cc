"""Signals other apps listen to, so the catalog does not depend on them.

`list_published` is sent after the transaction that published a list version commits,
with `openness_list` (the new version) and `superseded` (the replaced version or None);
the matching index updates itself from it.

`list_publishing` is sent with the same arguments inside that transaction, before it
commits: a receiver's writes commit or roll back with the publication (the matching app
records there which change the search index must reflect, so that a crash between the
commit and the index update can be made good at start-up).
"""

from django.dispatch import Signal

list_published = Signal()
list_publishing = Signal()
