/* SPDX-License-Identifier: MIT */
/*
 * boot/image.ld.S - link map of the image; preprocessed with hal/riscv/layout.h so
 * KERNEL_VA has one definition.
 *
 * One contiguous image: text, rodata (with the symbol table last, so a
 * second link with the real table moves no code), data, TLS, BSS. The flat
 * build/Image is everything up to the end of .tdata; image_size in the
 * header (_end - _start) adds the BSS.
 */
#include "hal/riscv/layout.h"

OUTPUT_ARCH(riscv)
ENTRY(_start)

SECTIONS
{
	. = KERNEL_VA;
	_start = .;
	.head.text : { KEEP(*(.head.text)) }
	.text : {
		_text = .;
		*(.text .text.*)
		_etext = .;
	}

	/* Three permissions, each from a page boundary (vm/kmap.c): text
	 * R-X up to _srodata, rodata R up to _sdata, data and BSS RW. */
	. = ALIGN(PAGE_SIZE);
	_srodata = .;
	.rodata : {
		*(.rodata .rodata.* .srodata .srodata.*)
		. = ALIGN(8);
		__ktest_suites_start = .;
		KEEP(*(.ktest_suites))
		__ktest_suites_end = .;
		__kbench_start = .;
		KEEP(*(.kbench))
		__kbench_end = .;
		. = ALIGN(8);
		__ex_table_start = .;
		KEEP(*(__ex_table))
		__ex_table_end = .;
	}
	.ksyms : { KEEP(*(.ksyms)) }

	. = ALIGN(PAGE_SIZE);
	_sdata = .;
	.data : {
		*(.data .data.* .sdata .sdata.*)
	}
	/* Thread-local storage of the boot hart; tp points at __tls_start. */
	.tdata : {
		__tls_start = .;
		*(.tdata .tdata.*)
	}
	.tbss : { *(.tbss .tbss.*) }
	. = ADDR(.tbss) + SIZEOF(.tbss);

	.bss (NOLOAD) : ALIGN(PAGE_SIZE) {
		__bss_start = .;
		*(.bss .bss.* .sbss .sbss.* COMMON)
		. = ALIGN(8);
		__bss_end = .;
	}
	. = ALIGN(PAGE_SIZE);
	_end = .;

	/DISCARD/ : { *(.eh_frame .eh_frame_hdr .comment .note .note.*) }
}
