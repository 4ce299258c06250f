#!/usr/bin/env bash
# Install everything the tests need into .venv and run the whole suite (what CI runs).
set -euo pipefail
cd "$(dirname "$0")/.."
python3 -m venv .venv
.venv/bin/python -m pip install --quiet --upgrade pip
.venv/bin/python -m pip install --quiet -e '.[test]'

# The browser tests drive Debian's Chromium through Playwright (`playwright install` cannot
# download a browser here). fonts-noto-cjk makes Chinese text readable in screenshots.
# Measured here: chromium 18 s (with `apt-get update`), fonts-noto-cjk 4 s (56 MB).
need=()
[ -x /usr/bin/chromium ] || need+=(chromium)
dpkg -s fonts-noto-cjk >/dev/null 2>&1 || need+=(fonts-noto-cjk)
if [ ${#need[@]} -gt 0 ] && command -v apt-get >/dev/null 2>&1; then
  sudo=""
  [ "$(id -u)" -eq 0 ] || sudo="sudo"
  echo "tests/run.sh: installing ${need[*]} with apt-get" >&2
  if ! { $sudo apt-get update -qq >/dev/null \
         && DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq --no-install-recommends "${need[@]}" >/dev/null; }; then
    echo "tests/run.sh: could not install ${need[*]}; browser tests will skip (and fail when CI=true)" >&2
  fi
fi

exec .venv/bin/python -m pytest -p no:cacheprovider "$@"
