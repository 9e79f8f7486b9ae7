#!/usr/bin/env bash
# Install pi-digits as a service on Raspberry Pi OS Bookworm (64-bit). Idempotent: a
# second run changes nothing. Run as root from the copied project folder:
#   sudo deploy/install.sh [--dry-run] [--app-dir DIR]
set -euo pipefail

DRY_RUN=0
SRC_DIR="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
APP_DIR=/opt/pi-digits
CONF_DIR=/etc/pi-digits
SERVICE_USER=pidigits

while [ $# -gt 0 ]; do
  case "$1" in
    --dry-run) DRY_RUN=1 ;;
    --app-dir) APP_DIR="$2"; shift ;;
    -h|--help) sed -n '2,5p' "$0"; exit 0 ;;
    *) echo "error: unknown option $1" >&2; exit 2 ;;
  esac
  shift
done

# shellcheck source=deploy/common.sh
. "$(dirname "${BASH_SOURCE[0]}")/common.sh"

if [ "$DRY_RUN" = 0 ] && [ "$(id -u)" != 0 ]; then
  echo "error: run as root (sudo deploy/install.sh), or add --dry-run to see the steps" >&2
  exit 2
fi

# 1. System packages: picamera2 and its libcamera stack come from Raspberry Pi OS, not pip.
run apt-get install -y --no-install-recommends python3-picamera2 python3-venv python3-pip rsync

# 2. A dedicated user that may use the camera.
if ! id -u "$SERVICE_USER" >/dev/null 2>&1; then
  run useradd --system --home-dir "$APP_DIR" --shell /usr/sbin/nologin --groups video "$SERVICE_USER"
fi

# 3. The app, and a venv that also sees the system's picamera2.
run mkdir -p "$APP_DIR"
run rsync -a --delete --exclude venv --exclude .git --exclude build "$SRC_DIR"/ "$APP_DIR"/
if [ ! -x "$APP_DIR/venv/bin/python" ]; then
  run python3 -m venv --system-site-packages "$APP_DIR/venv"
fi
run "$APP_DIR/venv/bin/pip" install --quiet -r "$APP_DIR/requirements-pi.txt"
run "$APP_DIR/venv/bin/pip" install --quiet --no-deps "$APP_DIR"

# 4. Settings under /etc: written once, never overwritten (they are the user's).
run mkdir -p "$CONF_DIR"
if [ ! -f "$CONF_DIR/pi-digits.toml" ]; then
  run install -m 644 "$SRC_DIR/deploy/pi-digits.toml" "$CONF_DIR/pi-digits.toml"
fi
if [ ! -f "$CONF_DIR/env" ]; then
  if [ "$DRY_RUN" = 1 ]; then
    printf '+ write %s/env with PI_DIGITS_SERVE=0.0.0.0:8080 and a new random PI_DIGITS_TOKEN (mode 600)\n' "$CONF_DIR"
  else
    umask 077
    printf 'PI_DIGITS_SERVE=0.0.0.0:8080\nPI_DIGITS_TOKEN=%s\n' "$(python3 -c 'import secrets; print(secrets.token_urlsafe(18))')" > "$CONF_DIR/env"
    chown root:"$SERVICE_USER" "$CONF_DIR/env"
    chmod 640 "$CONF_DIR/env"
  fi
fi

# 5. The service.
run install -m 644 "$SRC_DIR/deploy/pi-digits.service" /etc/systemd/system/pi-digits.service
run systemctl daemon-reload
run systemctl enable pi-digits.service
echo "installed: sudo systemctl restart pi-digits; journalctl -u pi-digits -f; token in $CONF_DIR/env"
