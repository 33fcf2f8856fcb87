#!/usr/bin/env bash
# Prepares everything the device tests boot, under devices/.cache/ (git-ignored):
#   - Debian packages: qemu-system-x86, busybox-static, cpio, xorriso (apt-get install)
#   - a Debian kernel: linux-image-amd64's current package, fetched with
#     `apt-get download` and unpacked (dpkg-deb -x) into the cache, never
#     installed on this machine (no initramfs hook, nothing in /boot)
#   - initramfs.cpio: busybox, the kernel modules the tests need (with a
#     modules.dep made by busybox depmod), this machine's `node` binary and
#     the shared libraries it and the npm `usb` addon load, and guest/init
#   - disc.iso: a >= 192 MiB ISO 9660 image of deterministic pseudo-random
#     files, with disc.iso.sha256
# Each piece is rebuilt only when its inputs change. Prints `ready: ...` at the end.
# Nothing is downloaded except through apt. When the guest cannot be made on
# this machine at all (no apt, the packages or the kernel package cannot be
# had) it prints `unavailable: REASON` and exits 3 (run.mjs --gate skips then).
set -euo pipefail
here="$(cd "$(dirname "$0")" && pwd)"
repo="$(cd "$here/.." && pwd)"
cache="${WEBDISC_DEVICES_CACHE:-$here/.cache}"
mkdir -p "$cache"
log() { printf '# setup: %s\n' "$*" >&2; }
unavailable() {
  log "$*"
  printf 'unavailable: %s\n' "$*"
  exit 3
}

# ---- 1. Debian packages -------------------------------------------------------------
command -v apt-get >/dev/null && command -v dpkg-query >/dev/null ||
  unavailable "no apt-get/dpkg: the guest is built from Debian packages"
need=()
for pkg in qemu-system-x86 busybox-static cpio xorriso; do
  dpkg-query -W -f='${Status}' "$pkg" 2>/dev/null | grep -q 'install ok installed' || need+=("$pkg")
done
apt_updated=0
apt_update() {
  if [ "$apt_updated" = 0 ]; then
    log "apt-get update"
    apt-get update -qq >&2 || log "apt-get update failed"
    apt_updated=1
  fi
}
if [ "${#need[@]}" -gt 0 ]; then
  [ "$(id -u)" = 0 ] || unavailable "${need[*]} not installed, and installing needs root"
  apt_update
  log "apt-get install ${need[*]}"
  DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends "${need[@]}" >&2 ||
    unavailable "apt-get install ${need[*]} failed"
fi

# ---- 2. The kernel (vmlinuz + modules) from Debian's kernel package -----------------
# linux-image-amd64 is a metapackage; the versioned package it depends on holds the files.
kpkg_of_meta() {
  apt-cache depends linux-image-amd64 2>/dev/null |
    awk '/Depends: linux-image-[0-9]/ { print $2; exit }'
}
kpkg="$(kpkg_of_meta || true)"
if [ -z "$kpkg" ]; then
  apt_update
  kpkg="$(kpkg_of_meta || true)"
fi
if [ -z "$kpkg" ]; then
  # Offline and no package lists: use the kernel package fetched before.
  kpkg="$(ls -1 "$cache/kernel" 2>/dev/null | sed -n 's/\.deb$//p' | tail -n 1)"
  [ -n "$kpkg" ] || unavailable "cannot find Debian's kernel package (linux-image-amd64)"
fi
# Kept: the package itself (for the modules, unpacked only while the initramfs
# is built) and its vmlinuz.
kdeb="$cache/kernel/$kpkg.deb"
vmlinuz="$cache/kernel/$kpkg.vmlinuz"
unpacked="$cache/kernel/unpacked"
unpack_kernel() {
  rm -rf "$unpacked"
  mkdir -p "$unpacked"
  dpkg-deb -x "$kdeb" "$unpacked"
}
if [ ! -f "$kdeb" ] || [ ! -f "$vmlinuz" ]; then
  log "apt-get download $kpkg"
  rm -rf "$cache/kernel"
  mkdir -p "$cache/kernel/dl"
  chmod 777 "$cache/kernel/dl" # lets apt's _apt user write there (no sandbox warning)
  (cd "$cache/kernel/dl" && apt-get download -qq "$kpkg" >&2) ||
    unavailable "apt-get download $kpkg failed"
  mv "$cache/kernel/dl/$kpkg"_*.deb "$kdeb"
  rmdir "$cache/kernel/dl"
  unpack_kernel
  cp "$unpacked"/boot/vmlinuz-* "$vmlinuz"
  (cd "$unpacked/boot" && echo vmlinuz-*) | sed 's/^vmlinuz-//' >"$cache/kernel/$kpkg.version"
fi
kver="$(cat "$cache/kernel/$kpkg.version")"

# ---- 3. The initramfs ---------------------------------------------------------------
# The modules named here and everything they depend on (the `depends=` of each .ko).
roots=(virtio_pci virtio_blk 9pnet_virtio 9p xhci_pci xhci_hcd usb_storage sr_mod cdrom sg
  dummy_hcd libcomposite usb_f_mass_storage configfs)
node_bin="$(readlink -f "$(command -v node)")"
addons=()
while IFS= read -r f; do addons+=("$f"); done < <(
  find "$repo/node_modules" -path '*usb*' -name '*.node' 2>/dev/null | sort
)
key="$(
  {
    echo "$kpkg ${roots[*]}"
    sha256sum "$here/guest/init"
    stat -c '%n %s %Y' "$node_bin" "${addons[@]}"
    busybox 2>&1 | sed -n 1p
  } | sha256sum | cut -c1-16
)"
initrd="$cache/initramfs.cpio"
if [ "$(cat "$cache/initramfs.key" 2>/dev/null)" != "$key" ] || [ ! -f "$initrd" ]; then
  log "building the initramfs ($kver, node $("$node_bin" -v))"
  [ -d "$unpacked" ] || unpack_kernel
  moddir=""
  for d in "$unpacked/lib/modules/$kver" "$unpacked/usr/lib/modules/$kver"; do
    [ -d "$d" ] && moddir="$d" && break
  done
  [ -n "$moddir" ] || { log "no modules for $kver in $kdeb"; exit 1; }
  stage="$cache/initramfs-stage"
  rm -rf "$stage"
  mkdir -p "$stage"/{bin,sbin,dev,proc,sys,tmp,etc,mnt,usr/bin,lib/modules/"$kver"}
  cp /bin/busybox "$stage/bin/busybox"
  install -m 0755 "$here/guest/init" "$stage/init"
  # Kernel modules: file by module name (dash and underscore are the same name).
  declare -A path_of=()
  while IFS= read -r ko; do
    name="${ko##*/}"
    name="${name%%.ko*}"
    path_of["${name//-/_}"]="$ko"
  done < <(find "$moddir/kernel" -name '*.ko*')
  declare -A want=()
  queue=("${roots[@]}")
  while [ "${#queue[@]}" -gt 0 ]; do
    m="${queue[0]//-/_}"
    queue=("${queue[@]:1}")
    [ -n "${want[$m]:-}" ] && continue
    ko="${path_of[$m]:-}"
    [ -n "$ko" ] || { log "module $m is not in $kpkg"; exit 1; }
    want[$m]="$ko"
    deps="$(busybox strings "$ko" | sed -n 's/^depends=//p')"
    deps="${deps%%$'\n'*}"
    [ -n "$deps" ] && IFS=, read -r -a more <<<"$deps" && queue+=("${more[@]}")
  done
  for m in "${!want[@]}"; do
    ko="${want[$m]}"
    rel="${ko#"$moddir"/}"
    mkdir -p "$stage/lib/modules/$kver/$(dirname "$rel")"
    case "$ko" in
      *.ko.xz) xz -dc "$ko" >"$stage/lib/modules/$kver/${rel%.xz}" ;;
      *.ko.zst) zstd -qdc "$ko" >"$stage/lib/modules/$kver/${rel%.zst}" ;;
      *) cp "$ko" "$stage/lib/modules/$kver/$rel" ;;
    esac
  done
  cp "$moddir"/modules.builtin* "$stage/lib/modules/$kver/" 2>/dev/null || true
  busybox depmod -b "$stage" "$kver"
  # node and the libraries it and the usb addon load (the addon itself comes over 9p).
  cp "$node_bin" "$stage/usr/bin/node"
  for lib in $(ldd "$node_bin" "${addons[@]}" | grep -o '/[^ ]*\.so[^ ]*' | sort -u); do
    mkdir -p "$stage$(dirname "$lib")"
    cp -L "$lib" "$stage$lib"
  done
  ln -s lib "$stage/lib64" 2>/dev/null || true
  if [ ! -e "$stage/lib64/ld-linux-x86-64.so.2" ]; then
    rm -f "$stage/lib64"
    mkdir -p "$stage/lib64"
    cp -L /lib64/ld-linux-x86-64.so.2 "$stage/lib64/"
  fi
  echo 'root:x:0:0:root:/root:/bin/sh' >"$stage/etc/passwd"
  echo 'root:x:0:' >"$stage/etc/group"
  (cd "$stage" && find . | LC_ALL=C sort | cpio -o -H newc --quiet) >"$initrd.tmp"
  mv "$initrd.tmp" "$initrd"
  rm -rf "$stage"
  echo "$key" >"$cache/initramfs.key"
fi
rm -rf "$unpacked"

# ---- 4. The test disc ---------------------------------------------------------------
iso="$cache/disc.iso"
disc_mib="${WEBDISC_DISC_MIB:-200}"
if [ ! -f "$iso.sha256" ] || [ "$(cat "$cache/disc.key" 2>/dev/null)" != "$disc_mib" ]; then
  log "making a ${disc_mib} MiB test disc"
  tree="$cache/disc-tree"
  rm -rf "$tree" "$iso" "$iso.sha256"
  mkdir -p "$tree"
  node "$here/make-disc-tree.mjs" "$tree" "$disc_mib"
  find "$tree" -exec touch -h -d @1700000000 {} + # the same image, byte for byte, every time
  SOURCE_DATE_EPOCH=1700000000 xorriso -as mkisofs -quiet -o "$iso.tmp" -V WEBDISC_TEST \
    -r -J "$tree" >&2
  rm -rf "$tree"
  mv "$iso.tmp" "$iso"
  sha256sum "$iso" | cut -d' ' -f1 >"$iso.sha256"
  echo "$disc_mib" >"$cache/disc.key"
fi

printf 'ready: kernel=%s vmlinuz=%s initrd=%s iso=%s sha256=%s\n' \
  "$kver" "$vmlinuz" "$initrd" "$iso" "$(cat "$iso.sha256")"
