"""Pages of the catalog, one module per audience.

Public browsing, the workspace, publishing lists, the review of lists, and needs.
"""
