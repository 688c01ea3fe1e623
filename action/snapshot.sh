#!/usr/bin/env bash
# `azabac snapshot --check`: each [[snapshot]] of azabac.toml against its committed record.
set -euo pipefail
args=(snapshot --check)
[[ -n "${INPUT_CONFIG:-}" ]] && args+=(--config "$INPUT_CONFIG")
azabac "${args[@]}"
