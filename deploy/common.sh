# Shared by the deploy scripts (sourced, not run). With DRY_RUN=1, run() prints each
# step instead of doing it.
# shellcheck shell=bash
run() {
  if [ "${DRY_RUN:-0}" = 1 ]; then
    printf '+ %s\n' "$*"
  else
    "$@"
  fi
}
