#!/usr/bin/env bash
# Print the path of a Python 3.10 interpreter (Rasa 3.6 needs >=3.8,<3.11).
# Order: $PYTHON310, pyenv's 3.10.13 (installed through pyenv when pyenv exists), python3.10 on PATH.
set -euo pipefail
if [ -n "${PYTHON310:-}" ]; then echo "$PYTHON310"; exit 0; fi
if command -v pyenv >/dev/null 2>&1; then
  prefix=$(pyenv prefix 3.10.13 2>/dev/null || true)
  if [ -z "$prefix" ]; then
    pyenv install -s 3.10.13 >&2 && prefix=$(pyenv prefix 3.10.13)
  fi
  if [ -x "$prefix/bin/python3.10" ]; then echo "$prefix/bin/python3.10"; exit 0; fi
fi
if command -v python3.10 >/dev/null 2>&1; then command -v python3.10; exit 0; fi
echo "No Python 3.10 found: install it (pyenv install 3.10.13) or set PYTHON310" >&2
exit 1
