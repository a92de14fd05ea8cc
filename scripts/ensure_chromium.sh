#!/usr/bin/env bash
# Browser tests drive Debian's Chromium; install the distribution package when we can.
# Never downloads a browser of its own: without the package the browser tests skip.
set -u
if command -v chromium >/dev/null 2>&1; then exit 0; fi
if [ "$(id -u)" = "0" ] && command -v apt-get >/dev/null 2>&1; then
    echo "Installing Debian's chromium package for the browser tests"
    (apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium >/dev/null) \
        || echo "chromium could not be installed: browser tests will be skipped"
else
    echo "chromium is not installed (apt-get install chromium): browser tests will be skipped"
fi
exit 0
