// SPDX-License-Identifier: MIT
/*
 * kernel/procfs.c - /proc, the app's only file system: openat, and the
 * files it opens (read, lseek, fstat; write for /proc/sys), with Linux's
 * semantics and errno values; stat() of a path.
 *
 * The tree:
 *
 *   /                       a directory with nothing but proc in it
 *   /proc                   meminfo vmstat buddyinfo pagetypeinfo slabinfo
 *                           zoneinfo swaps, and self/
 *   /proc/device-tree/cpus  timebase-frequency: the time CSR's rate, 4
 *                           bytes big endian, as Linux shows the tree's
 *                           property (there /proc/device-tree is a link
 *                           to /sys/firmware/devicetree/base; here a
 *                           directory holding this one property, what a
 *                           benchmark needs to turn rdtime into ns)
 *   /proc/self, /proc/1     the app (pid 1): maps status, task/
 *   /proc/self/task/TID     each live thread: status
 *   /proc/sys/vm            the memory manager's tunables (sysctl.c):
 *                           drop_caches min_free_kbytes overcommit_memory
 *                           overcommit_ratio page-cluster swappiness
 *                           watermark_scale_factor
 *
 * Paths are resolved as Linux resolves them: absolute, or relative to the
 * directory dirfd names (AT_FDCWD: the working directory, which is /);
 * repeated slashes, "." and ".." (never above /) work, a trailing slash
 * demands a directory, and a component below a file is ENOTDIR.
 *
 * A file's text is made when it is opened, the whole of it at once into a
 * kmalloc'ed buffer (a snapshot, like Linux's single_open() seq_files, which
 * make it at the first read): 4 KiB first, doubled while the show function
 * filled it, up to 256 KiB (beyond that the text is cut after its last
 * whole line). Reads copy from the buffer at the file's offset; close
 * frees it.
 *
 * Permissions are those an unprivileged user has on Linux: the files are
 * 0444 and the directories 0555, so opening for writing is EACCES (EISDIR
 * for a directory) and O_CREAT of a missing name is EACCES. (Linux's root
 * could open a file for writing and fail at write().) The /proc/sys files
 * are the exception, as root (the app) sees them on Linux, whose
 * proc_sys_permission() gives root the owner's bits and no more: 0644
 * opens for reading and writing, drop_caches (0200) for writing only
 * (EACCES for O_RDONLY and O_RDWR). They are read and written live, not
 * from a snapshot (sysctl.c says how).
 *
 * A file gets the lowest free descriptor (file.c), then EMFILE. Like
 * Linux's seq_files, a file seeks from its start or its position, not its
 * end (EINVAL); stat() says size 0, as Linux's /proc does.
 *
 * Directories are listed by getdents64 (struct linux_dirent64 records):
 * ".", "..", then the table's children in its order; /proc/self/task
 * lists the live threads' tids. A directory's position is the index of
 * the next record, which lseek(SEEK_SET) may set back.
 */
#include <errno.h>
#include <stdio.h>
#include <string.h>

#include "alloc/alloc.h"
#include "hal/riscv/riscv.h"
#include "kernel/internal.h"
#include "kernel/kernel.h"
#include "vm/vm.h"

/* Linux's open flags (asm-generic/fcntl.h), not the C library's. */
/* clang-format off */
#define L_O_ACCMODE    00000003
#define L_O_RDONLY     00000000
#define L_O_CREAT      00000100
#define L_O_EXCL       00000200
#define L_O_DIRECTORY  00200000
#define L_AT_FDCWD     (-100)
#define L_AT_SYMLINK_NOFOLLOW 0x100
#define L_AT_EACCESS   0x200
#define L_AT_EMPTY_PATH 0x1000
#define L_R_OK         4
#define L_W_OK         2
#define L_X_OK         1

#define PATH_MAX_PROC  320          /* a resolved path, with a dirfd's prefix */
#define L_SEEK_SET     0
#define L_SEEK_CUR     1
#define L_S_IFDIR      0040000
#define L_S_IFREG      0100000
#define PROC_BUF_MIN   (4UL << 10)
#define PROC_BUF_MAX   (256UL << 10)
/* clang-format on */

/* ---- the tree ---- */

typedef size_t (*show_fn)(char *buf, size_t size);

static size_t self_maps_show(char *buf, size_t size);
static size_t self_status_show(char *buf, size_t size);
static size_t task_status_show(char *buf, size_t size);
static size_t timebase_show(char *buf, size_t size);

/*
 * A file (show, or sysctl: the name of a /proc/sys/vm entry) or a
 * directory (neither), by its resolved path.
 */
struct proc_node {
	const char *path;
	show_fn show;
	const char *sysctl;
};

/* /proc/1 resolves to /proc/self: the app is pid 1. */
static const struct proc_node proc_nodes[] = {
	{ "/", NULL, NULL },
	{ "/proc", NULL, NULL },
	{ "/proc/buddyinfo", buddyinfo_show, NULL },
	{ "/proc/device-tree", NULL, NULL },
	{ "/proc/device-tree/cpus", NULL, NULL },
	{ "/proc/device-tree/cpus/timebase-frequency", timebase_show, NULL },
	{ "/proc/meminfo", meminfo_show, NULL },
	{ "/proc/pagetypeinfo", pagetypeinfo_show, NULL },
	{ "/proc/slabinfo", slabinfo_show, NULL },
	{ "/proc/swaps", swaps_show, NULL },
	{ "/proc/vmstat", vmstat_show, NULL },
	{ "/proc/zoneinfo", zoneinfo_show, NULL },
	{ "/proc/self", NULL, NULL },
	{ "/proc/self/maps", self_maps_show, NULL },
	{ "/proc/self/status", self_status_show, NULL },
	/* TID stands for any live thread's tid (struct lookup's tid) */
	{ "/proc/self/task", NULL, NULL },
	{ "/proc/self/task/TID", NULL, NULL },
	{ "/proc/self/task/TID/status", task_status_show, NULL },
	{ "/proc/sys", NULL, NULL },
	{ "/proc/sys/vm", NULL, NULL },
	{ "/proc/sys/vm/drop_caches", NULL, "drop_caches" },
	{ "/proc/sys/vm/min_free_kbytes", NULL, "min_free_kbytes" },
	{ "/proc/sys/vm/overcommit_memory", NULL, "overcommit_memory" },
	{ "/proc/sys/vm/overcommit_ratio", NULL, "overcommit_ratio" },
	{ "/proc/sys/vm/page-cluster", NULL, "page-cluster" },
	{ "/proc/sys/vm/swappiness", NULL, "swappiness" },
	{ "/proc/sys/vm/watermark_scale_factor", NULL,
	  "watermark_scale_factor" },
};

static const struct proc_node *proc_lookup(const char *path)
{
	for (size_t i = 0; i < sizeof(proc_nodes) / sizeof(proc_nodes[0]); i++)
		if (!strcmp(proc_nodes[i].path, path))
			return &proc_nodes[i];
	return NULL;
}

/*
 * Linux's comm: the last component of the path, at most 15 bytes
 * (TASK_COMM_LEN - 1), with '\n' and '\\' escaped as proc_task_name() does.
 */
static void put_name(struct strbuf *o, const char *path)
{
	const char *name = "app";
	size_t n;

	if (path && *path) {
		const char *slash = strrchr(path, '/');

		name = slash ? slash + 1 : path;
	}
	for (n = 0; name[n] && n < 15; n++) {
		if (name[n] == '\n')
			strbuf_printf(o, "\\n");
		else if (name[n] == '\\')
			strbuf_printf(o, "\\\\");
		else
			strbuf_printf(o, "%c", name[n]);
	}
}

static size_t thread_status_show(struct mm *mm, int tid, const char *state,
				 char *buf, size_t size);

/* /proc/self/status: the process's lines here, its memory's from vm/. */
size_t status_show(struct mm *mm, char *buf, size_t size)
{
	return thread_status_show(mm, APP_PID, "R (running)", buf, size);
}

/* The same for one thread (Pid: is its tid), /proc/self/task/TID/status. */
static size_t thread_status_show(struct mm *mm, int tid, const char *state,
				 char *buf, size_t size)
{
	struct strbuf o;

	o = strbuf_init(buf, size);
	strbuf_printf(&o, "Name:\t");
	put_name(&o, vm_app_path);
	strbuf_printf(&o, "\nUmask:\t%04o\n", umask_get());
	strbuf_printf(&o,
		      "State:\t%s\n"
		      "Tgid:\t1\n"
		      "Ngid:\t0\n"
		      "Pid:\t%d\n"
		      "PPid:\t0\n"
		      "TracerPid:\t0\n"
		      "Uid:\t0\t0\t0\t0\n"
		      "Gid:\t0\t0\t0\t0\n",
		      state, tid);
	/* Linux leaves a space after the (here no) supplementary groups */
	strbuf_printf(&o, "FDSize:\t%d\nGroups:\t \n", FD_MAX);
	if (mm) /* Linux prints no Vm* lines for a task without an mm */
		status_show_mm(&o, mm);
	strbuf_printf(&o, "Threads:\t%u\n", app_thread_count());
	return o.len;
}

static size_t self_maps_show(char *buf, size_t size)
{
	return maps_show(current_mm, buf, size);
}

static size_t self_status_show(char *buf, size_t size)
{
	return status_show(current_mm, buf, size);
}

/* The device tree's timebase-frequency: one big-endian u32, no newline. */
static size_t timebase_show(char *buf, size_t size)
{
	uint32_t hz = timer_hz();

	if (size < 5)
		return 0;
	buf[0] = (char)(hz >> 24);
	buf[1] = (char)(hz >> 16);
	buf[2] = (char)(hz >> 8);
	buf[3] = (char)hz;
	return 4;
}

/* The thread whose task/TID/status is being made (sys_openat sets it). */
static int shown_tid;

static size_t task_status_show(char *buf, size_t size)
{
	struct task *t = task_find(shown_tid);
	const char *state =
		!t || t->state != TASK_BLOCKED ? "R (running)" : "S (sleeping)";

	return thread_status_show(current_mm, shown_tid, state, buf, size);
}

/* ---- files ---- */

/* An open file or directory (struct file's data). */
struct proc_file {
	const struct proc_node *node;
	int tid;   /* a .../task/TID node's thread */
	char *buf; /* the text; NULL for a directory */
	size_t len;
	struct file file;
};

static struct proc_file *proc_file_of(const struct file *f)
{
	return f->data;
}

/*
 * Make the text of a file: show into a buffer that grows until the text
 * fits (at PROC_BUF_MAX it is cut after a whole line). 0 or -ENOMEM.
 */
static int proc_snapshot(struct proc_file *pf, show_fn show)
{
	for (size_t size = PROC_BUF_MIN;; size *= 2) {
		char *buf = kmalloc(size, GFP_KERNEL);
		size_t len;

		if (!buf)
			return -ENOMEM;
		len = show(buf, size);
		/* a writer stops one short of the end: full means cut */
		if (len + 1 < size || size >= PROC_BUF_MAX) {
			/* never a partial line, as seq_file never gives one */
			if (len + 1 >= size)
				while (len && buf[len - 1] != '\n')
					len--;
			pf->buf = buf;
			pf->len = len;
			return 0;
		}
		kfree(buf);
	}
}

/* ---- path resolution ---- */

struct lookup {
	char path[PATH_MAX_PROC]; /* resolved, absolute, no trailing slash */
	bool last_norm;		  /* the last component was a name */
	bool trailing_slash;	  /* ... followed by a slash */
	bool last_pid;		  /* ... and was /proc's "1", not "self" */
	int tid;		  /* the thread a .../task/TID path names */
};

static bool is_dir(const struct proc_node *node)
{
	return node && !node->show && !node->sysctl;
}

/* The n bytes at s: a decimal number, the tid of a live thread? */
static int parse_tid(const char *s, size_t n)
{
	long v = 0;

	for (size_t i = 0; i < n; i++) {
		if (s[i] < '0' || s[i] > '9' || v > 1000000)
			return 0;
		v = v * 10 + (s[i] - '0');
	}
	return (int)v;
}

static bool is_tid(const char *s, size_t n)
{
	int tid = n && s[0] != '0' ? parse_tid(s, n) : 0;

	return tid && task_find(tid);
}

/*
 * Resolve the path p (copied in already) from the directory base: every
 * component but the last must exist and be a directory. Returns 0 with
 * the last component's path in l (it may not exist), or -errno.
 */
static int proc_resolve(const char *base, const char *p, struct lookup *l)
{
	size_t len = strlen(base);

	memcpy(l->path, base, len + 1);
	l->last_norm = l->trailing_slash = l->last_pid = false;
	l->tid = 0;
	while (*p) {
		const char *comp;
		size_t n;

		while (*p == '/')
			p++;
		if (!*p)
			break;
		/* the path so far names an existing node: it must be a dir */
		if (!is_dir(proc_lookup(l->path)))
			return proc_lookup(l->path) ? -ENOTDIR : -ENOENT;
		comp = p;
		while (*p && *p != '/')
			p++;
		n = (size_t)(p - comp);
		l->last_norm = l->trailing_slash = l->last_pid = false;
		if (n == 1 && comp[0] == '.')
			continue;
		if (n == 2 && comp[0] == '.' && comp[1] == '.') {
			char *slash = strrchr(l->path, '/');

			/* "/" stays "/"; "/proc" becomes "/" */
			len = slash == l->path ? 1 : (size_t)(slash - l->path);
			l->path[len] = '\0';
			continue;
		}
		/* /proc/1 is the app, the same as /proc/self */
		if (!strcmp(l->path, "/proc") && n == 1 && comp[0] == '1') {
			comp = "self";
			n = 4;
			l->last_pid = true;
		}
		/* a live thread's tid under task/ is the node TID */
		if (!strcmp(l->path, "/proc/self/task") && is_tid(comp, n)) {
			l->tid = parse_tid(comp, n);
			comp = "TID";
			n = 3;
		}
		if (len + 1 + n >= sizeof(l->path))
			return -ENAMETOOLONG;
		if (len > 1)
			l->path[len++] = '/';
		memcpy(l->path + len, comp, n);
		len += n;
		l->path[len] = '\0';
		l->last_norm = true;
		l->trailing_slash = *p == '/';
	}
	return 0;
}

static long proc_read(struct file *f, char *ubuf, size_t count)
{
	const struct proc_file *pf = proc_file_of(f);
	size_t n, left;

	if (!pf->buf)
		return -EISDIR;
	if ((size_t)f->pos >= pf->len)
		return 0;
	n = pf->len - (size_t)f->pos;
	if (n > count)
		n = count;
	if (!n)
		return 0;
	left = copy_to_user(ubuf, pf->buf + f->pos, n);
	if (left == n)
		return -EFAULT;
	f->pos += (long)(n - left);
	return (long)(n - left);
}

static long proc_llseek(struct file *f, long offset, int whence)
{
	long pos;

	if (whence == L_SEEK_SET)
		pos = offset;
	else if (whence == L_SEEK_CUR)
		pos = f->pos + offset;
	else
		return -EINVAL;
	if (pos < 0)
		return -EINVAL;
	f->pos = pos;
	return pos;
}

static void node_stat(const struct proc_node *node, struct kstat *st)
{
	st->ino = (unsigned long)(node - proc_nodes) + 1;
	st->mode = is_dir(node)	  ? L_S_IFDIR | 0555
		   : node->sysctl ? L_S_IFREG | sysctl_find(node->sysctl)->mode
				  : L_S_IFREG | 0444;
	st->nlink = is_dir(node) ? 2 : 1;
	st->size = 0;
	st->blksize = 1024;
}

static void proc_stat(const struct file *f, struct kstat *st)
{
	node_stat(proc_file_of(f)->node, st);
}

static void proc_release(struct file *f)
{
	struct proc_file *pf = proc_file_of(f);

	kfree(pf->buf);
	kfree(pf);
}

static const struct file_ops proc_ops = {
	.read = proc_read,
	.llseek = proc_llseek,
	.stat = proc_stat,
	.release = proc_release,
};

/* ---- /proc/sys/vm: live values (sysctl.c has the rules) ---- */
static const struct sysctl_entry *file_sysctl(const struct file *f)
{
	return sysctl_find(proc_file_of(f)->node->sysctl);
}

/* As Linux's proc_dointvec: the whole value from position 0, else EOF. */
static long sysctl_read(struct file *f, char *ubuf, size_t count)
{
	char text[24];
	size_t n, left;

	if (f->pos || !count)
		return 0;
	n = sysctl_show(file_sysctl(f), text, sizeof(text));
	if (n > count)
		n = count;
	left = copy_to_user(ubuf, text, n);
	if (left == n)
		return -EFAULT;
	f->pos += (long)(n - left);
	return (long)(n - left);
}

/*
 * As Linux's proc_sys_call_handler() and proc_dointvec_minmax(): at a
 * non-zero position the write is ignored and counted as done; else the
 * first PAGE_SIZE - 1 bytes are parsed, and what follows the integer and
 * its whitespace is left unwritten.
 */
static long sysctl_file_write(struct file *f, const char *ubuf, size_t count)
{
	size_t len = count < PAGE_SIZE - 1 ? count : PAGE_SIZE - 1;
	char *kbuf;
	long used;

	if (!count)
		return 0;
	if (f->pos) {
		f->pos += (long)count;
		return (long)count;
	}
	if (!(kbuf = kmalloc(len + 1, GFP_KERNEL)))
		return -ENOMEM;
	if (copy_from_user(kbuf, ubuf, len)) {
		kfree(kbuf);
		return -EFAULT;
	}
	used = sysctl_write(file_sysctl(f), kbuf, len);
	kfree(kbuf);
	if (used < 0)
		return used;
	used = (long)count - (long)(len - (size_t)used);
	f->pos += used;
	return used;
}

static const struct file_ops sysctl_ops = {
	.read = sysctl_read,
	.write = sysctl_file_write,
	.llseek = proc_llseek,
	.stat = proc_stat,
	.release = proc_release,
};

/* Root's access to a /proc/sys file: the owner's bits (Linux's test_perm). */
static long sysctl_access(const struct proc_node *node, unsigned int f,
			  unsigned int *fmode)
{
	unsigned int owner = (sysctl_find(node->sysctl)->mode >> 6) & 7;
	unsigned int acc = f & L_O_ACCMODE;

	*fmode = acc == L_O_RDONLY ? FMODE_READ
		 : acc == 1	   ? FMODE_WRITE
				   : FMODE_READ | FMODE_WRITE;
	if (((*fmode & FMODE_READ) && !(owner & 4)) ||
	    ((*fmode & FMODE_WRITE) && !(owner & 2)))
		return -EACCES;
	return 0;
}

#define TASK_DIR "/proc/self/task/TID"

/* The node l names: a task/TID path only through a live thread's tid. */
static const struct proc_node *lookup_node(const struct lookup *l)
{
	if (!strncmp(l->path, TASK_DIR, strlen(TASK_DIR)) &&
	    (!l->tid || !task_find(l->tid)))
		return NULL;
	return proc_lookup(l->path);
}

/*
 * Resolve path (copied in) from dirfd: 0 with l filled, or -errno. A
 * relative path needs dirfd to be AT_FDCWD or an open directory.
 */
static long resolve_at(int dirfd, const char *path, struct lookup *l)
{
	const char *base = "/";
	long err;

	if (!path[0])
		return -ENOENT;
	if (path[0] != '/' && dirfd != L_AT_FDCWD) {
		const struct file *dir = fd_file(dirfd);

		if (!dir)
			return -EBADF;
		if (dir->ops != &proc_ops || !is_dir(proc_file_of(dir)->node))
			return -ENOTDIR;
		base = proc_file_of(dir)->node->path;
		err = proc_resolve(base, path, l);
		/* below a task/TID directory: that thread's */
		if (!err && !l->tid &&
		    !strncmp(l->path, TASK_DIR, strlen(TASK_DIR)))
			l->tid = proc_file_of(dir)->tid;
		return err;
	}
	return proc_resolve(base, path, l);
}

long procfs_stat(int dirfd, const char *path, struct kstat *st)
{
	const struct proc_node *node;
	struct lookup l;
	long err = resolve_at(dirfd, path, &l);

	if (err)
		return err;
	node = lookup_node(&l);
	if (!node)
		return -ENOENT;
	if (l.trailing_slash && !is_dir(node))
		return -ENOTDIR;
	node_stat(node, st);
	return 0;
}

long sys_openat(int dirfd, const char *upath, int flags, unsigned int mode)
{
	char path[PATH_MAX_USER];
	unsigned int f = (unsigned int)flags;
	unsigned int fmode = FMODE_READ;
	const struct proc_node *node;
	struct proc_file *pf;
	struct lookup l;
	long ret;
	int fd;

	/* the flags first, then the name, as Linux's do_sys_openat2() */
	if ((f & (L_O_CREAT | L_O_DIRECTORY)) == (L_O_CREAT | L_O_DIRECTORY))
		return -EINVAL; /* refused since Linux 6.4 */
	ret = strncpy_from_user(path, upath, sizeof(path));
	if (ret < 0)
		return ret;
	ret = resolve_at(dirfd, path, &l);
	if (ret)
		return ret;
	node = lookup_node(&l);

	/* in Linux's order: the name, creation, then the kind and access */
	if (f & L_O_CREAT) {
		if (l.last_norm && l.trailing_slash)
			return -EISDIR;
		if (!node)
			return -EACCES; /* no writing in a 0555 directory */
		if (f & L_O_EXCL)
			return -EEXIST;
		if (is_dir(node))
			return -EISDIR;
	}
	if (!node)
		return -ENOENT;
	if (l.trailing_slash && !is_dir(node))
		return -ENOTDIR;
	if (f & L_O_DIRECTORY && !is_dir(node))
		return -ENOTDIR;
	if (node->sysctl) {
		if ((ret = sysctl_access(node, f, &fmode)))
			return ret;
	} else if ((f & L_O_ACCMODE) != L_O_RDONLY) {
		return is_dir(node) ? -EISDIR : -EACCES;
	}

	if (!(pf = kzalloc(sizeof(*pf), GFP_KERNEL)))
		return -ENOMEM;
	pf->node = node;
	pf->tid = l.tid;
	shown_tid = l.tid;
	pf->file = (struct file){ .ops = node->sysctl ? &sysctl_ops : &proc_ops,
				  .mode = fmode,
				  .data = pf };
	if (node->show && (ret = proc_snapshot(pf, node->show))) {
		kfree(pf);
		return ret;
	}
	fd = fd_install(&pf->file);
	if (fd < 0)
		proc_release(&pf->file);
	return fd;
}

/* ---- listing a directory: getdents64 ---- */
/* clang-format off */
#define L_DT_DIR   4
#define L_DT_REG   8
#define L_DT_LNK   10
/* clang-format on */

/* Linux's struct linux_dirent64, without its name. */
struct dirent_head {
	uint64_t ino;
	int64_t off;
	uint16_t reclen;
	uint8_t type;
} __attribute__((packed));

struct dirent_entry {
	char name[16];
	unsigned long ino;
	unsigned char type;
};

/*
 * Entry i of directory dir (its tid for a task/TID one): false past the
 * end. ".", "..", the table's children, then for task/ the live tids.
 */
static bool dir_entry(const struct proc_node *dir, long i,
		      struct dirent_entry *e)
{
	size_t len = strlen(dir->path);
	unsigned int tids = 0;
	struct task *t;

	if (i < 2) {
		strcpy(e->name, i ? ".." : ".");
		e->ino = (unsigned long)(dir - proc_nodes) + 1;
		e->type = L_DT_DIR;
		return true;
	}
	i -= 2;
	for (size_t n = 0; n < sizeof(proc_nodes) / sizeof(proc_nodes[0]);
	     n++) {
		const char *p = proc_nodes[n].path, *name = p + len + 1;

		if (len == 1)
			name = p + 1; /* children of "/" */
		if (strncmp(p, dir->path, len) || p[len] != '/' ||
		    (len == 1 && !p[1]) || strchr(name, '/') ||
		    !strcmp(name, "TID"))
			continue;
		if (i-- == 0) {
			strncpy(e->name, name, sizeof(e->name) - 1);
			e->name[sizeof(e->name) - 1] = '\0';
			e->ino = n + 1;
			e->type = is_dir(&proc_nodes[n])     ? L_DT_DIR
				  : !strcmp(p, "/proc/self") ? L_DT_LNK
							     : L_DT_REG;
			return true;
		}
	}
	if (strcmp(dir->path, "/proc/self/task"))
		return false;
	for_each_task(t) if (tids++ == (unsigned long)i)
	{
		snprintf(e->name, sizeof(e->name), "%d", t->tid);
		e->ino = 0x10000UL + (unsigned long)t->tid;
		e->type = L_DT_DIR;
		return true;
	}
	return false;
}

/*
 * getdents64: records from the directory's position while they fit in
 * count bytes; 0 at the end; EINVAL if not even the first fits, ENOTDIR
 * for a file (the console included), EBADF for no descriptor.
 */
long sys_getdents64(int fd, void *ubuf, size_t count)
{
	struct file *f = fd_file(fd);
	const struct proc_file *pf;
	struct dirent_entry e;
	size_t done = 0;

	if (!f)
		return -EBADF;
	if (f->ops != &proc_ops || !is_dir(proc_file_of(f)->node))
		return -ENOTDIR;
	pf = proc_file_of(f);
	while (dir_entry(pf->node, f->pos, &e)) {
		size_t namelen = strlen(e.name) + 1;
		size_t reclen =
			(sizeof(struct dirent_head) + namelen + 7) & ~7UL;
		char rec[sizeof(struct dirent_head) + sizeof(e.name) + 8] = {
			0
		};
		struct dirent_head h = { e.ino, f->pos + 1, (uint16_t)reclen,
					 e.type };

		if (done + reclen > count)
			break;
		memcpy(rec, &h, sizeof(h));
		memcpy(rec + sizeof(h), e.name, namelen);
		if (copy_to_user((char *)ubuf + done, rec, reclen))
			return done ? (long)done : -EFAULT;
		done += reclen;
		f->pos++;
	}
	if (!done && dir_entry(pf->node, f->pos, &e))
		return -EINVAL; /* the buffer cannot hold one record */
	return (long)done;
}

/* ---- the links: /proc/self (to "1") and /proc/self/exe (to the app) ---- */
/* The target of the link l names, or NULL when it names no link. */
static const char *proc_link(const struct lookup *l)
{
	if (!strcmp(l->path, "/proc/self/exe"))
		return vm_app_path;
	if (!strcmp(l->path, "/proc/self") && !l->last_pid)
		return "1";
	return NULL;
}

/*
 * As Linux's do_readlinkat(): bufsiz first (EINVAL), then the path; the
 * target is copied without a NUL and cut to bufsiz; a name that is not a
 * link is EINVAL. An empty path names dirfd itself, never a link here.
 */
long sys_readlinkat(int dirfd, const char *upath, char *ubuf, int bufsiz)
{
	char path[PATH_MAX_USER];
	const char *target;
	struct lookup l;
	size_t n;
	long ret;

	if (bufsiz <= 0)
		return -EINVAL;
	ret = strncpy_from_user(path, upath, sizeof(path));
	if (ret < 0)
		return ret;
	ret = resolve_at(dirfd, path, &l); /* "" is ENOENT, as on Linux */
	if (ret)
		return ret;
	target = proc_link(&l);
	if (!lookup_node(&l) && !target)
		return -ENOENT;
	if (l.trailing_slash)
		return is_dir(lookup_node(&l)) ? -EINVAL : -ENOTDIR;
	if (!target)
		return -EINVAL;
	n = strlen(target);
	if (n > (size_t)bufsiz)
		n = (size_t)bufsiz;
	return copy_to_user(ubuf, target, n) ? -EFAULT : (long)n;
}

/*
 * What open() would allow, as access() says it: the owner's bits of a
 * /proc/sys file (never X_OK, as Linux's proc_sys_permission()), 0555 for
 * a directory, 0444 for another file (the header says why not root's).
 */
static long node_access(const struct proc_node *node, int mode)
{
	unsigned int perm;

	if (node->sysctl) {
		if (mode & L_X_OK)
			return -EACCES;
		perm = (sysctl_find(node->sysctl)->mode >> 6) & 7;
	} else {
		perm = is_dir(node) ? 5 : 4;
	}
	return ((unsigned int)mode & ~perm) ? -EACCES : 0;
}

/*
 * faccessat2 (faccessat is flags 0), in Linux's order: mode and flags
 * (EINVAL), the name, then the permission. /proc/self/exe is followed to
 * the app, a file the app may read and run but not write.
 */
long sys_faccessat2(int dirfd, const char *upath, int mode, int flags)
{
	char path[PATH_MAX_USER];
	const struct proc_node *node;
	struct lookup l;
	long ret;

	if (mode & ~(L_R_OK | L_W_OK | L_X_OK))
		return -EINVAL;
	if (flags & ~(L_AT_EACCESS | L_AT_SYMLINK_NOFOLLOW | L_AT_EMPTY_PATH))
		return -EINVAL;
	ret = strncpy_from_user(path, upath, sizeof(path));
	if (ret < 0)
		return ret;
	if (!path[0] && (flags & L_AT_EMPTY_PATH) && dirfd != L_AT_FDCWD) {
		const struct file *f = fd_file(dirfd);

		if (!f)
			return -EBADF;
		if (f->ops == &proc_ops || f->ops == &sysctl_ops)
			return node_access(proc_file_of(f)->node, mode);
		return (mode & L_X_OK) ? -EACCES : 0; /* the console: 0620 */
	}
	if (!path[0] && (flags & L_AT_EMPTY_PATH))
		strcpy(path, "."); /* the working directory */
	ret = resolve_at(dirfd, path, &l);
	if (ret)
		return ret;
	node = lookup_node(&l);
	if (!strcmp(l.path, "/proc/self/exe")) {
		if (l.trailing_slash)
			return -ENOTDIR;
		return (mode & L_W_OK) ? -EACCES : 0;
	}
	if (!node)
		return -ENOENT;
	if (l.trailing_slash && !is_dir(node))
		return -ENOTDIR;
	return node_access(node, mode);
}
