#!/bin/sh
# Configures and builds herologo into build/ (extra arguments go to cmake's configure).
set -eu
cd "$(dirname "$0")/.."
cmake -S . -B build -DCMAKE_BUILD_TYPE=Release "$@" >/dev/null
cmake --build build -j "$(nproc)"
