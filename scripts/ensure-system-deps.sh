#!/usr/bin/env bash
# Installs the Debian packages the tests need, only those missing: GDAL (the oracle the
# differential tests compare against), Chromium (headless browser tests, and the SwiftShader
# Vulkan driver Dawn uses where no GPU exists), the Vulkan loader and redis-server (the tile queue's
# multi-process tests run a real one).
set -euo pipefail
need=()
command -v gdal_rasterize >/dev/null 2>&1 || need+=(gdal-bin)
/usr/bin/python3 -c 'import osgeo.gdal' >/dev/null 2>&1 || need+=(python3-gdal)
/usr/bin/python3 -c 'import rasterio' >/dev/null 2>&1 || need+=(python3-rasterio)
[ -x /usr/bin/chromium ] || need+=(chromium)
[ -f /usr/lib/chromium/vk_swiftshader_icd.json ] || need+=(chromium)
# grep reads the whole list: with -q it would stop early, ldconfig would die of SIGPIPE and pipefail
# would count the loader as missing
ldconfig -p 2>/dev/null | grep 'libvulkan.so.1 ' >/dev/null || need+=(libvulkan1)
command -v redis-server >/dev/null 2>&1 || need+=(redis-server)
[ ${#need[@]} -eq 0 ] && exit 0
mapfile -t need < <(printf '%s\n' "${need[@]}" | sort -u)
cmd="apt-get update && apt-get install -y ${need[*]}"
if [ "$(id -u)" != 0 ]; then
  echo "rasterburn: missing system packages; run as root: $cmd" >&2
  exit 1
fi
echo "rasterburn: installing ${need[*]}" >&2
export DEBIAN_FRONTEND=noninteractive
apt-get update -qq >&2
apt-get install -y -qq --no-install-recommends "${need[@]}" >&2
