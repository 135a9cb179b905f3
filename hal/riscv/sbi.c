// SPDX-License-Identifier: MIT
/*
 * hal/riscv/sbi.c - calls into the Supervisor Binary Interface firmware.
 *
 * sbi_probe() runs first thing in boot_main() and records the spec version,
 * the implementation and which extensions exist; every other call checks
 * that record and falls back (legacy console, legacy shutdown) where the
 * firmware is older. Callable from any context; no locks.
 */
#include "hal/riscv/riscv.h"
#include "hal/riscv/internal.h"

struct sbi_info sbi;

static struct sbiret sbi_call(unsigned long ext, unsigned long fid,
			      unsigned long arg0, unsigned long arg1,
			      unsigned long arg2)
{
	register unsigned long a0 __asm__("a0") = arg0;
	register unsigned long a1 __asm__("a1") = arg1;
	register unsigned long a2 __asm__("a2") = arg2;
	register unsigned long a6 __asm__("a6") = fid;
	register unsigned long a7 __asm__("a7") = ext;

	__asm__ volatile("ecall"
			 : "+r"(a0), "+r"(a1)
			 : "r"(a2), "r"(a6), "r"(a7)
			 : "memory");
	return (struct sbiret){ .error = (long)a0, .value = (long)a1 };
}

static bool sbi_has(unsigned long ext)
{
	struct sbiret r =
		sbi_call(SBI_EXT_BASE, SBI_BASE_PROBE_EXTENSION, ext, 0, 0);

	return r.error == 0 && r.value != 0;
}

void sbi_probe(void)
{
	struct sbiret r =
		sbi_call(SBI_EXT_BASE, SBI_BASE_GET_SPEC_VERSION, 0, 0, 0);

	if (r.error) {
		/* SBI v0.1: only the legacy extensions exist. */
		sbi = (struct sbi_info){ .has_legacy_console = true };
		return;
	}
	/* spec version: bits 30:24 major, 23:0 minor */
	sbi.spec_major = ((unsigned long)r.value >> 24) & 0x7f;
	sbi.spec_minor = (unsigned long)r.value & 0xffffff;
	sbi.impl_id =
		sbi_call(SBI_EXT_BASE, SBI_BASE_GET_IMPL_ID, 0, 0, 0).value;
	sbi.impl_version =
		sbi_call(SBI_EXT_BASE, SBI_BASE_GET_IMPL_VERSION, 0, 0, 0)
			.value;
	sbi.has_time = sbi_has(SBI_EXT_TIME);
	sbi.has_hsm = sbi_has(SBI_EXT_HSM);
	sbi.has_srst = sbi_has(SBI_EXT_SRST);
	sbi.has_dbcn = sbi_has(SBI_EXT_DBCN);
	sbi.has_legacy_console = sbi_has(SBI_EXT_LEGACY_PUTCHAR);
}

const char *sbi_impl_name(unsigned long impl_id)
{
	static const char *const names[] = {
		"Berkeley Boot Loader",
		"OpenSBI",
		"Xvisor",
		"KVM",
		"RustSBI",
		"Diosix",
		"Coffer",
		"Xen",
		"PolarFire HSS",
	};

	if (impl_id < sizeof(names) / sizeof(names[0]))
		return names[impl_id];
	return "unknown";
}

void sbi_console_write(const char *buf, size_t len)
{
	if (sbi.has_dbcn) {
		/* DBCN takes a physical address; it may write only part. */
		while (len) {
			phys_addr_t pa = virt_to_phys(buf);
			struct sbiret r = sbi_call(SBI_EXT_DBCN, SBI_DBCN_WRITE,
						   len, pa, 0);

			if (r.error || r.value <= 0)
				break;
			buf += r.value;
			len -= (size_t)r.value;
		}
		if (!len)
			return;
	}
	for (; len; len--, buf++)
		sbi_call(SBI_EXT_LEGACY_PUTCHAR, 0, (unsigned char)*buf, 0, 0);
}

int sbi_console_getc(void)
{
	if (sbi.has_dbcn) {
		static char byte; /* in the image: the direct map covers it */
		struct sbiret r = sbi_call(SBI_EXT_DBCN, SBI_DBCN_READ, 1,
					   virt_to_phys(&byte), 0);

		return r.error || r.value != 1 ? -1 : (unsigned char)byte;
	}
	if (sbi.has_legacy_console) {
		/* legacy getchar: the byte, or -1 when none is waiting */
		struct sbiret r = sbi_call(SBI_EXT_LEGACY_GETCHAR, 0, 0, 0, 0);

		return r.error < 0 ? -1 : (int)(r.error & 0xff);
	}
	return -1;
}

const struct console sbi_console = {
	.name = "sbi",
	.write = sbi_console_write,
	.receive = sbi_console_getc,
};

void sbi_early_puts(const char *s)
{
	for (; *s; s++)
		sbi_call(SBI_EXT_LEGACY_PUTCHAR, 0, (unsigned char)*s, 0, 0);
}

struct sbiret sbi_set_timer(uint64_t deadline)
{
	if (sbi.has_time)
		return sbi_call(SBI_EXT_TIME, SBI_TIME_SET_TIMER, deadline, 0,
				0);
	/* legacy set_timer is extension 0x00 */
	return sbi_call(0x00, 0, deadline, 0, 0);
}

struct sbiret sbi_hart_stop(void)
{
	if (!sbi.has_hsm)
		return (struct sbiret){ .error = SBI_ERR_NOT_SUPPORTED };
	return sbi_call(SBI_EXT_HSM, SBI_HSM_HART_STOP, 0, 0, 0);
}

/*
 * Shut down; where the platform cannot (OpenSBI on sifive_u has only a
 * reset GPIO), reboot, which QEMU with -no-reboot turns into an exit and a
 * board into a return to its boot loader. The legacy call comes last: on
 * such platforms OpenSBI never returns from it.
 */
void sbi_system_reset(bool failure)
{
	unsigned long reason =
		failure ? SBI_SRST_REASON_FAILURE : SBI_SRST_REASON_NONE;

	if (sbi.has_srst) {
		sbi_call(SBI_EXT_SRST, SBI_SRST_SYSTEM_RESET,
			 SBI_SRST_TYPE_SHUTDOWN, reason, 0);
		sbi_call(SBI_EXT_SRST, SBI_SRST_SYSTEM_RESET,
			 SBI_SRST_TYPE_COLD_REBOOT, reason, 0);
	}
	sbi_call(SBI_EXT_LEGACY_SHUTDOWN, 0, 0, 0, 0);
}
