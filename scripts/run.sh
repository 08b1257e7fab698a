#!/bin/sh
# One command from a fresh Debian 12 machine to the live view: installs what is missing,
# builds, and starts herologo on the Batman default (arguments go to herologo).
set -eu
cd "$(dirname "$0")/.."
scripts/deps.sh
scripts/build.sh
exec build/herologo "$@"
