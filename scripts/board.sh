#!/bin/sh
# SPDX-License-Identifier: MIT
# scripts/board.sh BOARD IMAGE [CMDLINE] - what `make image BOARD=...`
# prints after building IMAGE: the board, the vendor device tree to boot
# with, the console, and the U-Boot commands (docs/boards.md explains
# them). Everything about the machine comes from the device tree, so the
# Image is the same for every board; only these instructions differ.
#
# Facts, with where they come from:
#   load addresses   U-Boot's default environment: kernel_addr_r and
#                    fdt_addr_r (include/configs/starfive-visionfive2.h,
#                    board/sifive/unmatched/unmatched.env); both 2 MiB
#                    aligned for the Image, inside RAM
#   device trees     Linux's arch/riscv/boot/dts/starfive/ and sifive/
#   timebase         the boards' trees: 4 MHz (JH7110), 1 MHz (FU740)
set -eu
[ $# -ge 2 ] && [ $# -le 3 ] || { echo "usage: $0 BOARD IMAGE [CMDLINE]" >&2; exit 2; }
board=$1 image=$2 cmdline=${3:-}
case $board in
visionfive2)
	name="StarFive VisionFive 2 (JH7110: hart 0 an S7 without MMU, harts 1-4 U74)"
	ram="0x40000000 (2, 4 or 8 GiB)"
	dtb="starfive/jh7110-starfive-visionfive-2-v1.3b.dtb (a v1.2A board: ...-v1.2a.dtb)"
	dtb_file=jh7110-starfive-visionfive-2-v1.3b.dtb
	console="UART0 (snps,dw-apb-uart, pagoda's ns16550 driver): 40-pin header pin 6 GND, 8 TX, 10 RX; 3.3 V, 115200 8N1"
	mmc="mmc 1:3"
	tty=/dev/ttyUSB0
	timebase="4000000 Hz"
	;;
unmatched)
	name="SiFive HiFive Unmatched (FU740-C000: hart 0 an S7 without MMU, harts 1-4 U74-MC)"
	ram="0x80000000 (16 GiB)"
	dtb="sifive/hifive-unmatched-a00.dtb"
	dtb_file=hifive-unmatched-a00.dtb
	console="the micro-USB port's FTDI bridge, second interface (/dev/ttyUSB1), 115200 8N1; sifive,fu740-c000-uart: pagoda writes through SBI"
	mmc="mmc 0:3"
	tty=/dev/ttyUSB1
	timebase="1000000 Hz"
	;;
*)
	echo "BOARD=$board: not a board pagoda knows (visionfive2, unmatched; docs/boards.md)" >&2
	exit 2
	;;
esac
[ -f "$image" ] || { echo "$0: no $image" >&2; exit 2; }
size=$(wc -c <"$image")
cat <<INFO
board:       $name
image:       $image ($size bytes; RISC-V Linux Image header, booti loads it as it is)
device tree: $dtb
RAM:         $ram; timebase $timebase
console:     $console
U-Boot (stop autoboot with a key; SD card, the partition with the Image and dtbs/):
  setenv bootargs "$cmdline"
  load $mmc \${kernel_addr_r} Image
  load $mmc \${fdt_addr_r} dtbs/$(echo "$dtb" | cut -d' ' -f1)
  booti \${kernel_addr_r} - \${fdt_addr_r}
or over TFTP (Image and $dtb_file in the server's folder):
  setenv bootargs "$cmdline"; dhcp
  tftpboot \${kernel_addr_r} Image; tftpboot \${fdt_addr_r} $dtb_file
  booti \${kernel_addr_r} - \${fdt_addr_r}
capture: picocom -b 115200 --logfile uart.log $tty   (then: scripts/bench-report < uart.log)
INFO
