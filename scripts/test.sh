#!/bin/sh
# One command from a fresh Debian 12 machine to a passing test suite: installs what is
# missing, builds with warnings as errors, and runs every test with CTest.
set -eu
cd "$(dirname "$0")/.."
scripts/deps.sh
scripts/build.sh -DHEROLOGO_WERROR=ON
cd build
ctest --output-on-failure -j "$(nproc)"
