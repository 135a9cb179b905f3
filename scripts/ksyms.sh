#!/bin/sh
# SPDX-License-Identifier: MIT
# scripts/ksyms.sh NM ELF - write the kernel symbol table (kernel/ksyms.c
# describes the layout) as assembly on stdout. With no ELF, an empty table
# for the first link.
set -eu
nm=$1
elf=${2:-}

{
	if [ -n "$elf" ]; then
		"$nm" -n "$elf" | awk '$2 ~ /^[tTwW]$/ && $3 !~ /^[.$]/ { print $1, $3 }'
	fi
} | awk '
	BEGIN { n = 0; off = 0 }
	$1 != last {
		last = $1
		addr[n] = substr($1, length($1) - 7)
		name[n] = $2
		noff[n] = off
		off += length($2) + 1
		n++
	}
	END {
		print "\t.section .ksyms, \"a\""
		print "\t.balign 8"
		print "\t.globl ksym_count, ksym_addr, ksym_name_off, ksym_names"
		print "ksym_count:\n\t.dword " n
		print "ksym_addr:"
		for (i = 0; i < n; i++) print "\t.word 0x" addr[i]
		print "ksym_name_off:"
		for (i = 0; i < n; i++) print "\t.word " noff[i]
		print "ksym_names:"
		for (i = 0; i < n; i++) print "\t.asciz \"" name[i] "\""
	}'
