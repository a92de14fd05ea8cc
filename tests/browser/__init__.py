"""End-to-end paths a user walks across apps in a real browser (Debian's Chromium).

Tests of one app's pages live with that app (`tests/<app>/test_pages.py`); here are only
the journeys that cross apps, such as publishing a list and requesting access to it.
"""
