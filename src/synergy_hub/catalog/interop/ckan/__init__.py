"""A CKAN-compatible Action API (read-only) over the published catalog."""
