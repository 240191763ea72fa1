#!/usr/bin/env bash
# Validates docker-compose.yml and the nginx config without a Docker engine.
set -euo pipefail
bash "$(dirname "$0")/../check-compose.sh"
