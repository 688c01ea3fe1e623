#!/usr/bin/env bash
# Installs azabac from the checkout of the action into AZABAC_ROOT (unless the cache restored it)
# and puts it on the PATH of the job's later steps.
set -euo pipefail
: "${GITHUB_ACTION_PATH:?the checkout of the action}" "${GITHUB_PATH:?the path file of the job}"
: "${AZABAC_ROOT:?where to install}"
if [[ ! -x "$AZABAC_ROOT/bin/azabac" ]]; then
    if ! command -v cargo > /dev/null; then
        echo "::error title=azabac::cargo is not installed; add a Rust toolchain step (dtolnay/rust-toolchain@stable) before azabac" >&2
        exit 1
    fi
    # AZABAC_INSTALL_FLAGS: extra `cargo install` flags (the action's own test uses `--debug`).
    # shellcheck disable=SC2086
    cargo install --locked --path "$GITHUB_ACTION_PATH" --root "$AZABAC_ROOT" ${AZABAC_INSTALL_FLAGS:-}
fi
echo "$AZABAC_ROOT/bin" >> "$GITHUB_PATH"
"$AZABAC_ROOT/bin/azabac" --version
