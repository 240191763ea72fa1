#!/usr/bin/env bash
# Style checks, before the build: `swift format lint --strict` with the committed .swift-format (4 spaces,
# lines ≤ 120), and a check that no line of Swift is longer than 120 columns (the formatter cannot break string
# literals or comments, so it does not report those). Fix with `swift format -i -r -p Sources Tests Package.swift`.
set -euo pipefail
cd "$(dirname "$0")/.."
swift format lint --strict -r -p Sources Tests Package.swift
python3 .ci/long_lines.py Sources Tests Package.swift
echo "lint: clean"
