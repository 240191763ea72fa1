#!/usr/bin/env bash
# Browser journeys (docs/ui.md#browser-journeys) against the already-built .build/debug/ringo, in headless Chromium.
# Installs Chromium, its driver and Selenium only when they are missing. Screenshots go to screenshots/.
set -euo pipefail
cd "$(dirname "$0")/../.."

if [ "${RINGO_CI_SKIP_BROWSER:-}" = "1" ]; then
  echo "browser journeys skipped (RINGO_CI_SKIP_BROWSER=1)"
  exit 0
fi

need=()
command -v chromium >/dev/null 2>&1 || need+=(chromium)
command -v chromedriver >/dev/null 2>&1 || need+=(chromium-driver)
if [ ${#need[@]} -gt 0 ]; then
  export DEBIAN_FRONTEND=noninteractive
  apt-get update -qq
  apt-get install -y -qq "${need[@]}" >/dev/null
fi
if ! python3 -c "import selenium" >/dev/null 2>&1; then
  python3 -m pip install -q selenium || python3 -m pip install -q --break-system-packages selenium
fi

if [ ! -x .build/debug/ringo ]; then
  swift build --product ringo
fi

python3 tests/browser/journeys.py
