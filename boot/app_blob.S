/* SPDX-License-Identifier: MIT */
/*
 * boot/app_blob.S - the app, embedded: its name and its ELF file (built
 * by the Makefile as build/apps/APP.elf, without debug information), which
 * vm/exec.c loads into the app's address space.
 */
	.section .rodata.app, "a"
	.globl	app_name
app_name:
	.asciz	APP_NAME

	.balign	8
	.globl	app_elf_start, app_elf_end
app_elf_start:
	.incbin	APP_ELF
app_elf_end:
