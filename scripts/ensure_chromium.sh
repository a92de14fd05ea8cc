#!/usr/bin/env bash
# Browser tests drive Debian's Chromium; install the distribution package when we can.
# Never downloads a browser of its own: without the package the browser tests skip.
# Chinese pages need a CJK font (Debian's fonts-noto-cjk), or the screenshots show boxes.
set -u
has_cjk_font() { fc-list :lang=zh 2>/dev/null | grep -q .; }
if command -v chromium >/dev/null 2>&1 && has_cjk_font; then exit 0; fi
if [ "$(id -u)" = "0" ] && command -v apt-get >/dev/null 2>&1; then
    echo "Installing Debian's chromium and fonts-noto-cjk packages for the browser tests"
    (apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium fonts-noto-cjk >/dev/null) \
        || echo "chromium could not be installed: browser tests will be skipped"
elif command -v chromium >/dev/null 2>&1; then
    echo "no CJK font (apt-get install fonts-noto-cjk): Chinese screenshots will show boxes"
else
    echo "chromium is not installed (apt-get install chromium): browser tests will be skipped"
fi
exit 0
