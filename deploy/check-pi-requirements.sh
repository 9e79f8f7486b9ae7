#!/usr/bin/env bash
# Check that requirements-pi.txt resolves to wheels for a 64-bit Pi (aarch64, Python 3.11).
# pip's --platform matches tags exactly; Bookworm's glibc 2.36 accepts every
# manylinux_2_N with N <= 36, and LiteRT's aarch64 wheels are tagged manylinux_2_27.
set -euo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
PIP="${PIP:-python3 -m pip}"
DEST="$(mktemp -d)"
trap 'rm -rf "$DEST"' EXIT
# shellcheck disable=SC2086  # PIP may be a command with arguments
$PIP download --quiet --only-binary=:all: --python-version 3.11 \
  --platform manylinux_2_36_aarch64 --platform manylinux_2_28_aarch64 --platform manylinux2014_aarch64 \
  --platform manylinux_2_27_aarch64 --platform manylinux_2_17_aarch64 \
  -r "$ROOT/requirements-pi.txt" -d "$DEST"
ls "$DEST"
