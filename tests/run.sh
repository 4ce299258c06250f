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

# tests/test_accessibility.py injects axe-core into the pages. It comes from the npm registry,
# pinned (a new axe release must not change the verdict on an unchanged site), into the
# git-ignored tests/.node/. Measured here: 1 s (one package, no dependencies; 3.4 MB).
axe_core=4.14.1
if ! grep -qs "\"version\": \"$axe_core\"" tests/.node/node_modules/axe-core/package.json; then
  echo "tests/run.sh: installing axe-core@$axe_core with npm" >&2
  if ! npm install --prefix tests/.node "axe-core@$axe_core" --no-audit --no-fund --silent >/dev/null; then
    echo "tests/run.sh: could not install axe-core; the accessibility test will skip (and fail when CI=true)" >&2
  fi
fi

exec .venv/bin/python -m pytest -p no:cacheprovider "$@"
