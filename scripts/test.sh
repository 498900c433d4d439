#!/usr/bin/env bash
# The whole test suite, as CI runs it (.ci/run calls this):
#   1. installs what the browser tests need (Debian's chromium), if missing;
#   2. builds every module and runs every test (unit, integration on real DuckDB, H2, PostgreSQL,
#      MariaDB, the Athena stand-in with S3, and the web UI in headless Chromium);
#   3. starts the built server jar and runs scripts/api-tour.sh against it, with its Athena section
#      against a standalone Athena stand-in.
set -euo pipefail
cd "$(dirname "$0")/.."

if ! command -v chromium >/dev/null 2>&1; then
  echo "installing chromium for the browser tests"
  if [ "$(id -u)" -eq 0 ]; then SUDO=""; else SUDO="sudo"; fi
  $SUDO apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq chromium >/dev/null
fi
export PLAYWRIGHT_SKIP_BROWSER_DOWNLOAD=1

mvn -B -ntp verify

scripts/tour-ci.sh
