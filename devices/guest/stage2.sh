#!/bin/sh
# Stage 2, run by /init from the 9p share: load the drivers for one device,
# make the device (the kernel's mass-storage gadget on dummy_hcd, or nothing
# to do for QEMU's usb-bot, which is already on the xHCI bus), then run
# guest/driver.mjs, which measures and runs the CLI and reports on ttyS1.
# Kernel command line: webdisc.root=DIR webdisc.device=qemu|gadget webdisc.sectors=N
#   webdisc.mode=all|bench|locks|chromium|kill [webdisc.kill=N webdisc.seed=N]
here="$(cd "$(dirname "$0")" && pwd)"
root="$(cd "$here/../.." && pwd)"
arg() { tr ' ' '\n' </proc/cmdline | sed -n "s/^$1=//p" | tail -n 1; }
device="$(arg webdisc.device)"
sectors="$(arg webdisc.sectors)"
mode="$(arg webdisc.mode)"
kill="$(arg webdisc.kill)"
seed="$(arg webdisc.seed)"
fatal() {
  echo "@@webdisc-fatal $*" >/dev/ttyS1
  echo "@@webdisc-fatal $*"
  poweroff -f
}
step() { echo "# stage2: $*"; }

# usb-storage and sr first, so that they bind the device as soon as it enumerates.
for m in usb_storage sr_mod; do modprobe "$m" || fatal "modprobe $m"; done

case "$device" in
  qemu)
    modprobe xhci_pci || fatal "modprobe xhci_pci"
    ;;
  gadget)
    # The gadget serves the test disc from the virtio disk QEMU gives it (/dev/vda).
    for m in virtio_blk dummy_hcd libcomposite usb_f_mass_storage; do modprobe "$m" || fatal "modprobe $m"; done
    grep -q " /sys/kernel/config " /proc/mounts || mount -t configfs configfs /sys/kernel/config ||
      fatal "mount configfs"
    for i in $(seq 50); do [ -b /dev/vda ] && break; sleep 0.1; done
    [ -b /dev/vda ] || fatal "no /dev/vda for the gadget's backing file"
    g=/sys/kernel/config/usb_gadget/webdisc
    f="$g/functions/mass_storage.0"
    put() { printf '%s' "$2" >"$1" || fatal "gadget: cannot write $2 to $1"; }
    dir() { mkdir "$1" || fatal "gadget: cannot make $1"; }
    dir "$g"
    put "$g/idVendor" 0x1d6b  # Linux Foundation
    put "$g/idProduct" 0x0104 # Multifunction Composite Gadget
    put "$g/bcdDevice" 0x0100
    put "$g/bcdUSB" 0x0200
    dir "$g/strings/0x409"
    put "$g/strings/0x409/manufacturer" "webdisc tests"
    put "$g/strings/0x409/product" "Gadget CD-ROM"
    put "$g/strings/0x409/serialnumber" "WEBDISC0001"
    dir "$f"
    put "$f/stall" 1
    put "$f/lun.0/removable" 1
    put "$f/lun.0/cdrom" 1
    put "$f/lun.0/ro" 1
    # INQUIRY: vendor (8), product (16), revision (4).
    put "$f/lun.0/inquiry_string" 'WEBDISC Gadget CD-ROM   0001'
    put "$f/lun.0/file" /dev/vda
    dir "$g/configs/c.1"
    dir "$g/configs/c.1/strings/0x409"
    put "$g/configs/c.1/strings/0x409/configuration" "mass storage"
    put "$g/configs/c.1/MaxPower" 120
    ln -s "$f" "$g/configs/c.1/" || fatal "gadget: cannot link the function"
    put "$g/UDC" "$(ls /sys/class/udc)"
    step "gadget bound to $(cat "$g/UDC")"
    ;;
  *)
    fatal "unknown webdisc.device=$device"
    ;;
esac

export TMPDIR="$root/devices/.cache/guest-tmp"
mkdir -p "$TMPDIR"
# The CLI's cross-process lock record is a Unix socket in $XDG_RUNTIME_DIR/webdisc
# (cli/process-coordinator.ts); the 9p share cannot hold one, the initramfs can.
export XDG_RUNTIME_DIR=/run/user/0
mkdir -p "$XDG_RUNTIME_DIR"
cd "$root" || fatal "cd $root"
node "$here/driver.mjs" --device "$device" --sectors "$sectors" --root "$root" --mode "$mode" \
  ${kill:+--kill "$kill"} ${seed:+--seed "$seed"} ||
  echo "@@webdisc-fatal driver.mjs exited with $?" >/dev/ttyS1
sync
poweroff -f
