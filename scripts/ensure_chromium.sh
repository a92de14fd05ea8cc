#!/usr/bin/env bash
# Browser tests drive Debian's Chromium; install the distribution package when we can, with
# Debian's Noto CJK fonts so that Chinese pages render (and are screenshotted) as glyphs,
# not empty boxes. Never downloads a browser of its own: without the package the browser
# tests skip.
set -u
need=""
command -v chromium >/dev/null 2>&1 || need="chromium"
if command -v fc-list >/dev/null 2>&1; then
    fc-list :lang=zh 2>/dev/null | grep -q . || need="$need fonts-noto-cjk"
elif [ ! -d /usr/share/fonts/opentype/noto ]; then
    need="$need fonts-noto-cjk"
fi
if [ -z "$need" ]; then exit 0; fi
if [ "$(id -u)" = "0" ] && command -v apt-get >/dev/null 2>&1; then
    echo "Installing Debian's $need for the browser tests"
    # shellcheck disable=SC2086  # the package names are words
    (apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq $need >/dev/null) \
        || echo "$need could not be installed: browser tests may skip or show boxes for Chinese"
else
    echo "$need not installed (apt-get install $need): browser tests may skip"
fi
exit 0
