#!/usr/bin/env bash
# Install the Debian packages the project needs, only those that are missing.
set -euo pipefail

# The PDF: Pango and HarfBuzz for WeasyPrint; poppler-utils for its tests and
# `make pdf-preview`; fonts for Latin, Cyrillic, Korean and Japanese (never from the network).
packages=(python3-venv libpango-1.0-0 libpangoft2-1.0-0 libharfbuzz0b libharfbuzz-subset0
          fontconfig poppler-utils fonts-noto-core fonts-noto-cjk fonts-dejavu-core)
# The browser tests: Debian's Chromium (Playwright never downloads a browser); Node.js and
# npm for axe-core and the iframe-worker shim (package.json).
packages+=(chromium nodejs npm)

missing=()
for package in "${packages[@]}"; do
  dpkg-query -W -f='${Status}' "$package" 2>/dev/null | grep -q "install ok installed" || missing+=("$package")
done
# A Python that is not Debian's (pyenv, a container image) brings its own venv module.
if [[ " ${missing[*]} " == *" python3-venv "* ]] && python3 -c "import ensurepip, venv" 2>/dev/null; then
  missing=("${missing[@]/python3-venv}")
fi
# A browser or a Node.js that is not Debian's (a CI image, NodeSource, nvm) will do as well.
for tool in chromium:chromium nodejs:node npm:npm; do
  if [[ " ${missing[*]} " == *" ${tool%%:*} "* ]] && command -v "${tool##*:}" >/dev/null; then
    missing=("${missing[@]/#${tool%%:*}}")
  fi
done
missing=($(printf '%s\n' "${missing[@]}" | grep -v '^$' || true))
[ ${#missing[@]} -eq 0 ] && exit 0

sudo=""
[ "$(id -u)" -ne 0 ] && sudo="sudo"
echo "installing system packages: ${missing[*]}"
$sudo apt-get update -qq
DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq --no-install-recommends "${missing[@]}"
