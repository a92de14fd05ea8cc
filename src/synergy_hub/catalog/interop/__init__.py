"""Interoperability of the catalog: DCAT-AP export and harvest, the CKAN Action API."""
