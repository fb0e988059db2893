#!/usr/bin/env bash
# First-use installs for `make bench` / `make bench-smoke`:
#   wrk and nginx from apt (as root; otherwise the apt line is printed and we stop),
#   uWSGI, gunicorn, granian, uvicorn, daphne, Django and Channels from PyPI into .bench/venv (made by
#   Debian's /usr/bin/python3, the same interpreter Liege links, so every peer runs the same Python).
set -euo pipefail
cd "$(dirname "$0")/.."

missing=""
command -v wrk >/dev/null 2>&1 || missing="$missing wrk"
command -v nginx >/dev/null 2>&1 || [ -x /usr/sbin/nginx ] || missing="$missing nginx"
command -v taskset >/dev/null 2>&1 || missing="$missing util-linux"
if [ -n "$missing" ]; then
  if [ "$(id -u)" = 0 ]; then
    echo "bench: installing$missing from apt"
    apt-get update -qq
    # nginx's package would start a system service on port 80: the bench runs its own nginx instead
    DEBIAN_FRONTEND=noninteractive RUNLEVEL=1 apt-get install -y -qq $missing
  else
    echo "bench needs:$missing"
    echo "Run: sudo apt-get update && sudo apt-get install -y$missing"
    exit 1
  fi
fi

venv=.bench/venv
if [ ! -f "$venv/.stamp" ] || [ bench/requirements.txt -nt "$venv/.stamp" ]; then
  echo "bench: creating $venv (uWSGI compiles from source, about 30 s)"
  mkdir -p .bench
  # uWSGI's build calls $CC (default gcc); the Swift toolchain brings clang
  if ! command -v gcc >/dev/null 2>&1 && command -v clang >/dev/null 2>&1; then export CC=clang; fi
  [ -x "$venv/bin/python" ] || /usr/bin/python3 -m venv "$venv"
  "$venv/bin/python" -m pip install -q --disable-pip-version-check -r bench/requirements.txt
  touch "$venv/.stamp"
fi
