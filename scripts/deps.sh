#!/bin/sh
# Installs the Debian 12 packages herologo needs to build, run and test, when missing.
set -eu
PACKAGES="build-essential cmake pkg-config libsdl2-dev libsdl2-ttf-dev libcglm-dev \
python3-glad libstb-dev fonts-dejavu-core ffmpeg xvfb xauth xdotool libgl1-mesa-dri \
glslang-tools libfann-dev"

missing=""
for p in $PACKAGES; do
    dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" ||
        missing="$missing $p"
done
[ -z "$missing" ] && exit 0

echo "installing:$missing"
SUDO=""
[ "$(id -u)" -eq 0 ] || SUDO="sudo"
$SUDO apt-get update -qq
# shellcheck disable=SC2086
DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq --no-install-recommends $missing
