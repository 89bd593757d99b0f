#!/usr/bin/env bash
# rasterburn GPU benchmark kit: unpacks its own Node, Dawn (the `webgpu` package) and Vulkan loader
# into a temporary folder, then runs the CPU engine against the WebGPU engine on the same inputs and
# writes report.json and report.md. Needs no Node and no network; see README.md.
#
# usage: bash run.sh [--out DIR] [--quick] [--only W1,W2,W5,S1] [--runs N] [--threads N] [--allow-software]
# exit status: 0 every output identical; 1 a pixel mismatch or a failed workload; 2 no usable GPU or bad usage
set -euo pipefail

KIT=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
OUT=results
PASS=()

die() { echo "run.sh: $*" >&2; exit 2; }

while [ $# -gt 0 ]; do
  case "$1" in
    --out) [ $# -ge 2 ] || die "--out needs a folder"; OUT=$2; shift 2 ;;
    --out=*) OUT=${1#--out=}; shift ;;
    -h|--help) sed -n '2,8p' "${BASH_SOURCE[0]}" | sed 's/^# \{0,1\}//'; exit 0 ;;
    *) PASS+=("$1"); shift ;;
  esac
done

[ "$(uname -s)-$(uname -m)" = Linux-x86_64 ] || die "this kit is for Linux x86-64, this machine is $(uname -s)-$(uname -m)"
mkdir -p "$OUT"
OUT=$(cd "$OUT" && pwd)

TMP=$(mktemp -d "${TMPDIR:-/tmp}/rasterburn-gpu-kit.XXXXXX")
trap 'rm -rf "$TMP"' EXIT

# unpack FILE.xz|FILE.gz DEST: with xz or gzip, else Python's lzma or gzip module, else busybox
unpack() {
  local src=$1 dst=$2
  case "$src" in
    *.xz)
      if command -v xz >/dev/null; then xz -dc "$src" >"$dst"
      elif command -v python3 >/dev/null; then python3 -c 'import lzma, shutil, sys; shutil.copyfileobj(lzma.open(sys.argv[1]), open(sys.argv[2], "wb"))' "$src" "$dst"
      elif command -v busybox >/dev/null; then busybox xz -dc "$src" >"$dst"
      else die "cannot decompress $src: no xz, python3 or busybox here (apt-get install xz-utils)"; fi ;;
    *.gz)
      if command -v gzip >/dev/null; then gzip -dc "$src" >"$dst"
      elif command -v python3 >/dev/null; then python3 -c 'import gzip, shutil, sys; shutil.copyfileobj(gzip.open(sys.argv[1]), open(sys.argv[2], "wb"))' "$src" "$dst"
      else die "cannot decompress $src: no gzip or python3 here"; fi ;;
    *) die "unknown packing: $src" ;;
  esac
}

# the one file of a payload that may be .xz or .gz
packed() {
  local f
  for f in "$KIT/payload/$1.xz" "$KIT/payload/$1.gz"; do
    if [ -f "$f" ]; then echo "$f"; return; fi
  done
  die "payload/$1.xz (or .gz) is missing: copy the whole kit folder"
}

# Node
mkdir -p "$TMP/bin"
unpack "$(packed node)" "$TMP/bin/node"
chmod +x "$TMP/bin/node"
"$TMP/bin/node" --version >/dev/null 2>&1 || die "the kit's Node does not start in $TMP (it needs glibc 2.28 or later, and a TMPDIR not mounted noexec): $("$TMP/bin/node" --version 2>&1 | head -n 2)"

# the runner and the engine, with the webgpu package where the bundle's import finds it
cp -R "$KIT/payload/app" "$TMP/app"
WEBGPU="$TMP/app/node_modules/webgpu"
mkdir -p "$WEBGPU/dist/linux-x64"
cp "$KIT/payload/webgpu/"*.js* "$WEBGPU/"
unpack "$(packed webgpu/dawn.node)" "$WEBGPU/dist/linux-x64/dawn.node"

# the Vulkan loader, private: the machine may have none
deb=$(ls "$KIT"/payload/libvulkan1_*.deb 2>/dev/null | head -n 1) || true
[ -n "$deb" ] || die "payload/libvulkan1_*.deb is missing: copy the whole kit folder"
if command -v dpkg >/dev/null; then
  dpkg -x "$deb" "$TMP/vulkan"
elif command -v ar >/dev/null && command -v xz >/dev/null; then
  mkdir -p "$TMP/vulkan"
  (cd "$TMP/vulkan" && ar p "$deb" data.tar.xz | xz -dc | tar -x)
fi
LOADER="$TMP/vulkan/usr/lib/x86_64-linux-gnu"
if [ -e "$LOADER/libvulkan.so.1" ]; then
  export LD_LIBRARY_PATH="$LOADER${LD_LIBRARY_PATH:+:$LD_LIBRARY_PATH}"
  export RASTERBURN_KIT_LOADER="$(basename "$deb" .deb) (the kit's)"
else
  echo "run.sh: could not unpack $(basename "$deb") (no dpkg, nor ar and xz): using the system's Vulkan loader, if any" >&2
fi

# the NVIDIA Vulkan driver, unless the caller chose one
if [ -z "${VK_ICD_FILENAMES:-}" ] && [ -z "${VK_DRIVER_FILES:-}" ]; then
  for f in /usr/local/nvidia/share/vulkan/icd.d/nvidia_icd.json /usr/share/vulkan/icd.d/nvidia_icd.json \
           /usr/share/vulkan/icd.d/nvidia_icd.x86_64.json /etc/vulkan/icd.d/nvidia_icd.json; do
    if [ -f "$f" ]; then
      export VK_ICD_FILENAMES=$f VK_DRIVER_FILES=$f
      break
    fi
  done
fi
loader=${RASTERBURN_KIT_LOADER:-of the system}
icd=${VK_ICD_FILENAMES:-${VK_DRIVER_FILES:-none chosen, the loader searches its own folders}}
echo "Node $("$TMP/bin/node" --version); Vulkan loader: $loader; ICD: $icd"

mkdir -p "$TMP/work"
set +e
"$TMP/bin/node" "$TMP/app/runner.js" --out "$OUT" --work "$TMP/work" --kit "$KIT" ${PASS[@]+"${PASS[@]}"}
rc=$?
set -e
exit $rc
