#!/usr/bin/env bash
# From a workstation: copy the app and a model to a Pi over ssh, install, restart.
#   deploy/push.sh pi@raspberrypi.local [--model models/digits_int8.tflite] [--dry-run]
set -euo pipefail

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
TARGET=""
MODEL="$ROOT/models/digits_int8.tflite"
DRY_RUN=0

while [ $# -gt 0 ]; do
  case "$1" in
    --dry-run) DRY_RUN=1 ;;
    --model) MODEL="$2"; shift ;;
    -h|--help) sed -n '2,3p' "$0"; exit 0 ;;
    -*) echo "error: unknown option $1" >&2; exit 2 ;;
    *) TARGET="$1" ;;
  esac
  shift
done
if [ -z "$TARGET" ]; then
  echo "error: name the Pi, e.g. deploy/push.sh pi@raspberrypi.local" >&2
  exit 2
fi
SIDECAR="${MODEL%.tflite}.json"
for f in "$MODEL" "$SIDECAR"; do
  if [ ! -f "$f" ]; then
    echo "error: $f not found (a model needs its .json sidecar beside it)" >&2
    exit 2
  fi
done

# shellcheck source=deploy/common.sh
. "$(dirname "${BASH_SOURCE[0]}")/common.sh"

STAGE="pi-digits"
run rsync -az --delete --exclude .venv --exclude build --exclude .git --exclude tests --exclude samples \
  --exclude '__pycache__' "$ROOT"/ "$TARGET:$STAGE/"
run rsync -az "$MODEL" "$SIDECAR" "$TARGET:$STAGE/models/"
run ssh "$TARGET" "sudo $STAGE/deploy/install.sh"
run ssh "$TARGET" "sudo systemctl restart pi-digits && systemctl --no-pager --lines=5 status pi-digits"
