#!/usr/bin/env bash
# The cache key of the azabac binary: the runner's OS and a hash of what the binary is built
# from (the action's own checkout: `github.action_ref` is empty inside composite actions).
set -euo pipefail
: "${GITHUB_ACTION_PATH:?the checkout of the action}" "${GITHUB_OUTPUT:?the outputs file of the step}"
source_hash() {
    cd "$GITHUB_ACTION_PATH"
    # Every file the build reads, in a stable order.
    find Cargo.toml Cargo.lock build.rs src grammar -type f -print0 2>/dev/null \
        | sort -z | xargs -0 sha256sum | sha256sum | cut -c1-16
}
hash=$(source_hash)
root="${RUNNER_TOOL_CACHE:-${RUNNER_TEMP:-/tmp}}/azabac/$hash"
{
    echo "key=azabac-${RUNNER_OS:-$(uname -s)}-${RUNNER_ARCH:-$(uname -m)}-$hash"
    echo "root=$root"
} >> "$GITHUB_OUTPUT"
