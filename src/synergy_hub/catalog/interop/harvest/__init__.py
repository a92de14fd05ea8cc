"""Harvest DCAT-AP, DCAT-US and CKAN catalogs into draft openness lists."""
