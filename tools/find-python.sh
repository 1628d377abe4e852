#!/usr/bin/env bash
# Prints the path of a Python 3.10 interpreter (Rasa 3.6 runs on 3.8-3.10; this project uses 3.10).
# Looks on PATH first, then in pyenv, which may have 3.10 installed without selecting it.
set -euo pipefail

works() { "$@" -c 'import sys, venv; assert sys.version_info[:2] == (3, 10)' >/dev/null 2>&1; }

if works python3.10; then
  command -v python3.10
  exit 0
fi
if command -v pyenv >/dev/null 2>&1; then
  for version in $(pyenv versions --bare 2>/dev/null | grep -E '^3\.10(\.|$)' | sort -V -r); do
    candidate="$(pyenv root)/versions/$version/bin/python3.10"
    if works "$candidate"; then
      echo "$candidate"
      exit 0
    fi
  done
fi

cat >&2 <<'MSG'
Python 3.10 is needed (Rasa 3.6 supports Python 3.8 to 3.10) and none was found.
Install it, then run the command again. For example:
  Debian/Ubuntu:  sudo apt install python3.10 python3.10-venv
  pyenv:          pyenv install 3.10
  macOS:          brew install python@3.10
MSG
exit 1
