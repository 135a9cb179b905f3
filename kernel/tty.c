// SPDX-License-Identifier: MIT
/*
 * kernel/tty.c - the console as the app's terminal, descriptors 0, 1, 2.
 *
 * Output is console_write(). Input is what the console receives (the
 * UART, or the SBI console), polled: a read that finds nothing spins for
 * INPUT_SPIN_NS, then sleeps in wfi for INPUT_SLEEP_NS at a time until a
 * byte comes. The bytes go through a line discipline modelled on Linux's
 * n_tty in its default mode (ICANON ECHO ECHOE ISIG ICRNL):
 *
 *   Enter (CR, turned into NL)  ends the line; read() then returns it
 *   Backspace or DEL            erases the last character of the line
 *   ^U                          erases the whole line
 *   ^D                          hands over the line without a newline;
 *                               on an empty line: end of file (read 0)
 *   ^C                          SIGINT: the app ends, status 130
 *
 * and everything typed is echoed. TCSETS (tcsetattr) can turn ICANON,
 * ECHO, ISIG and ICRNL off as on Linux: without ICANON a read returns as
 * soon as a byte is there (VMIN 1, VTIME 0). TIOCGWINSZ says 0x0, as a
 * serial console does, until TIOCSWINSZ sets a size.
 *
 * With boot argument stdin=initrd (make run STDIN=file), descriptor 0 is
 * that file instead (stdin.c) and the terminal keeps 1 and 2.
 */
#include <errno.h>
#include <string.h>

#include "hal/riscv/riscv.h"
#include "kernel/abi.h"
#include "kernel/kernel.h"
#include "vm/vm.h"

/* clang-format off */
#define L_S_IFCHR  0020000
#define CONSOLE_RDEV ((5 << 8) | 1)  /* /dev/console: 5, 1 */

#define TTY_BUF         4096          /* n_tty's line buffer */
#define INPUT_SPIN_NS   200000        /* look again at once for 0.2 ms, */
#define INPUT_SLEEP_NS  1000000       /* then every 1 ms in wfi */
/* clang-format on */

/* Linux's struct termios (the kernel's, 36 bytes) and struct winsize. */
struct termios_user {
	uint32_t c_iflag, c_oflag, c_cflag, c_lflag;
	uint8_t c_line;
	uint8_t c_cc[NCCS];
};

struct winsize_user {
	uint16_t ws_row, ws_col, ws_xpixel, ws_ypixel;
};

static struct termios_user termios = {
	.c_iflag = ICRNL | IXON,
	.c_oflag = OPOST | ONLCR,
	.c_cflag = B38400 | CS8 | CREAD | HUPCL,
	.c_lflag = ISIG | ICANON | ECHO | ECHOE | ECHOK | ECHOCTL | ECHOKE |
		   IEXTEN,
	.c_cc = { 3, 0x1c, 0x7f, 0x15, 4, 0, 1, 0, 0x11, 0x13, 0x1a, 0, 0x12,
		  0x0f, 0x17, 0x16, 0 },
};

static struct winsize_user winsize;

/*
 * The line discipline's buffer. Invariant: 0 <= rd <= cooked <= edit <=
 * TTY_BUF; [rd, cooked) is ready for read(), [cooked, edit) is the line
 * being typed. eof: a ^D on an empty line is waiting to be read as EOF.
 */
static char buf[TTY_BUF];
static size_t rd, cooked, edit;
static bool eof;

/* The next received byte; -1 when the console has no input at all. */
static int wait_byte(void)
{
	uint64_t spin_until = rdtime() + timer_ns_to_ticks(INPUT_SPIN_NS);

	for (;;) {
		int c = console_getc();

		if (c >= 0 || c == -2)
			return c < 0 ? -1 : c;
		if (rdtime() >= spin_until)
			timer_wait_until(rdtime() +
					 timer_ns_to_ticks(INPUT_SLEEP_NS));
	}
}

static void echo(const char *s, size_t n)
{
	if (termios.c_lflag & ECHO)
		console_write(s, n);
}

/* One typed byte through the discipline. */
static void receive(char c)
{
	const uint8_t *cc = termios.c_cc;

	if (c == '\r' && (termios.c_iflag & ICRNL))
		c = '\n';
	if ((termios.c_lflag & ISIG) && (uint8_t)c == cc[VINTR]) {
		echo("^C\n", 3);
		signal_kill_app(SIGINT, "^C on the console");
	}
	if (!(termios.c_lflag & ICANON)) {
		if (edit < TTY_BUF) {
			buf[edit++] = c;
			echo(&c, 1);
		}
		cooked = edit;
		return;
	}
	if ((uint8_t)c == cc[VERASE] || c == '\b') {
		if (edit > cooked) {
			edit--;
			echo("\b \b", 3);
		}
	} else if ((uint8_t)c == cc[VKILL]) {
		while (edit > cooked) {
			edit--;
			echo("\b \b", 3);
		}
	} else if ((uint8_t)c == cc[VEOF]) {
		eof = edit == cooked;
		cooked = edit;
	} else if (edit < TTY_BUF - 1 || c == '\n') {
		/* a full line keeps room for its newline, as n_tty does */
		buf[edit++] = c;
		echo(&c, 1);
		if (c == '\n')
			cooked = edit;
	}
}

static long tty_read(struct file *f, char *ubuf, size_t count)
{
	size_t n;

	if (!count)
		return 0;
	while (rd == cooked && !eof) {
		int c = wait_byte();

		if (c < 0)
			return 0;
		receive((char)c);
	}
	if (rd == cooked) { /* ^D on an empty line */
		eof = false;
		return 0;
	}
	/* without ICANON, whatever else is already there comes along */
	while (!(termios.c_lflag & ICANON) && cooked - rd < count) {
		int c = console_getc();

		if (c < 0)
			break;
		receive((char)c);
	}
	n = cooked - rd < count ? cooked - rd : count;
	if (copy_to_user(ubuf, buf + rd, n))
		return -EFAULT;
	rd += n;
	if (rd == edit)
		rd = cooked = edit = 0;
	return (long)n;
}

static long tty_write(struct file *f, const char *ubuf, size_t count)
{
	char chunk[256];
	size_t done = 0;

	while (done < count) {
		size_t n = count - done < sizeof(chunk) ? count - done
							: sizeof(chunk);
		size_t left = copy_from_user(chunk, ubuf + done, n);

		console_write(chunk, n - left);
		done += n - left;
		if (left)
			return done ? (long)done : -EFAULT;
	}
	return (long)done;
}

static long tty_ioctl(struct file *f, unsigned int cmd, unsigned long arg)
{
	void *uarg = (void *)arg;
	struct termios_user t;

	switch (cmd) {
	case TCGETS:
		return copy_to_user(uarg, &termios, sizeof(termios)) ? -EFAULT
								     : 0;
	case TCSETS:
	case TCSETSW:
	case TCSETSF:
		if (copy_from_user(&t, uarg, sizeof(t)))
			return -EFAULT;
		if (cmd == TCSETSF)
			rd = cooked = edit = 0;
		/* leaving canonical mode hands over the line typed so far */
		if (!(t.c_lflag & ICANON))
			cooked = edit;
		termios = t;
		return 0;
	case TIOCGWINSZ:
		return copy_to_user(uarg, &winsize, sizeof(winsize)) ? -EFAULT
								     : 0;
	case TIOCSWINSZ:
		return copy_from_user(&winsize, uarg, sizeof(winsize)) ? -EFAULT
								       : 0;
	default:
		return -ENOTTY;
	}
}

static void tty_stat(const struct file *f, struct kstat *st)
{
	st->mode = L_S_IFCHR | 0620;
	st->rdev = CONSOLE_RDEV;
	st->nlink = 1;
	st->blksize = 1024;
}

static const struct file_ops tty_ops = {
	.read = tty_read,
	.write = tty_write,
	.ioctl = tty_ioctl,
	.stat = tty_stat,
};

struct file tty_file = { .ops = &tty_ops, .mode = FMODE_READ | FMODE_WRITE };

void tty_init(void)
{
	rd = cooked = edit = 0;
	eof = false;
}
