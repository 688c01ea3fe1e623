#!/usr/bin/env bash
# `azabac test` on the suites given, with annotations on the suite files.
set -euo pipefail
read -ra suites <<< "${INPUT_TEST:?suites to run}"
azabac test --format github "${suites[@]}"
