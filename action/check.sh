#!/usr/bin/env bash
# One `azabac check`: annotations on standard output (GitHub shows them on the files), the SARIF
# log written beside, for the upload step that follows even when the check fails.
set -euo pipefail
: "${GITHUB_OUTPUT:?the outputs file of the step}"
sarif="${INPUT_SARIF_FILE:-azabac.sarif}"
args=(check --format github --sarif "$sarif")
[[ -n "${INPUT_CONFIG:-}" ]] && args+=(--config "$INPUT_CONFIG")
[[ "${INPUT_ALLOW_EMPTY:-false}" == "true" ]] && args+=(--allow-empty)
read -ra extra <<< "${INPUT_ARGS:-}"
read -ra paths <<< "${INPUT_PATHS:-.}"
# `${a[@]+…}`: an empty array under `set -u` in the bash 3 of macOS runners too.
args+=(${extra[@]+"${extra[@]}"} ${paths[@]+"${paths[@]}"})
status=0
azabac "${args[@]}" || status=$?
# The log exists when the run got as far as reporting (not on a usage error).
if [[ -f "$sarif" ]]; then
    [[ "$sarif" == /* ]] || sarif="$(pwd)/$sarif"
    echo "sarif-file=$sarif" >> "$GITHUB_OUTPUT"
fi
exit "$status"
