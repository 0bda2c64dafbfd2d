/*
 * fsiso.c - a case's view of the file system (see fsiso.h).
 *
 * The system calls are made through syscall(2) with the kernel's own
 * numbers and structures: the C library of Debian 12 knows the mount API
 * but not Landlock, and an older one knows neither; the numbers are the
 * same on every architecture the kernel unified them for (5.1 onwards).
 */
#include <errno.h>
#include <fcntl.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>
#include <sys/mount.h>
#include <sys/prctl.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <unistd.h>

#include "fsiso.h"

#ifndef SYS_open_tree
#define SYS_open_tree 428
#endif
#ifndef SYS_move_mount
#define SYS_move_mount 429
#endif
#ifndef SYS_mount_setattr
#define SYS_mount_setattr 442
#endif
#ifndef SYS_landlock_create_ruleset
#define SYS_landlock_create_ruleset 444
#endif
#ifndef SYS_landlock_add_rule
#define SYS_landlock_add_rule 445
#endif
#ifndef SYS_landlock_restrict_self
#define SYS_landlock_restrict_self 446
#endif
#ifndef AT_RECURSIVE
#define AT_RECURSIVE 0x8000
#endif
#ifndef OPEN_TREE_CLONE
#define OPEN_TREE_CLONE 1
#endif
#ifndef MOVE_MOUNT_F_EMPTY_PATH
#define MOVE_MOUNT_F_EMPTY_PATH 0x4
#endif
#ifndef MOUNT_ATTR_RDONLY
#define MOUNT_ATTR_RDONLY 0x1
#define MOUNT_ATTR_NOSUID 0x2
#define MOUNT_ATTR_NODEV 0x4
#endif

/* struct mount_attr, under a name of our own (some headers have it). */
struct fs_mattr {
	uint64_t attr_set, attr_clr, propagation, userns_fd;
};

/* Landlock's ABI (linux/landlock.h), which is stable. */
struct ll_ruleset_attr {
	uint64_t handled_access_fs;
};
struct ll_path_beneath {
	uint64_t allowed_access;
	int32_t parent_fd;
} __attribute__((packed));
#define LL_CREATE_RULESET_VERSION (1U << 0)
#define LL_RULE_PATH_BENEATH 1
#define LL_WRITE_FILE (1ULL << 1)
#define LL_REMOVE_DIR (1ULL << 4)
#define LL_REMOVE_FILE (1ULL << 5)
#define LL_MAKE_CHAR (1ULL << 6)
#define LL_MAKE_DIR (1ULL << 7)
#define LL_MAKE_REG (1ULL << 8)
#define LL_MAKE_SOCK (1ULL << 9)
#define LL_MAKE_FIFO (1ULL << 10)
#define LL_MAKE_BLOCK (1ULL << 11)
#define LL_MAKE_SYM (1ULL << 12)
#define LL_REFER (1ULL << 13)         /* ABI 2 */
#define LL_TRUNCATE (1ULL << 14)      /* ABI 3 */

/* The directories that get a private empty tmpfs. */
static const char *const masked[] = { "/tmp", "/var/tmp", "/dev/shm" };
#define NMASKED (sizeof(masked) / sizeof(masked[0]))

const char *
fsiso_name(int level)
{
	return level == FSISO_MOUNT ? "mount-namespace" :
	    level == FSISO_LANDLOCK ? "landlock" : "none";
}

int
fsiso_parse(const char *s)
{
	if (strcmp(s, "auto") == 0 || strcmp(s, "mount-namespace") == 0)
		return FSISO_MOUNT;
	if (strcmp(s, "landlock") == 0)
		return FSISO_LANDLOCK;
	if (strcmp(s, "none") == 0)
		return FSISO_NONE;
	return -1;
}

static void
note_set(char *note, size_t n, const char *what, int e)
{
	if (n > 0)
		snprintf(note, n, "%s: %s", what, strerror(e));
}

/* Whether path is dir or lies beneath it. */
static int
beneath(const char *path, const char *dir)
{
	size_t n = strlen(dir);

	return strncmp(path, dir, n) == 0 && (path[n] == '/' || path[n] == '\0');
}

/* Whether one of the masked directories (a real directory) hides path. */
static int
hidden(const char *path)
{
	struct stat st;

	for (size_t i = 0; i < NMASKED; i++)
		if (beneath(path, masked[i]) && lstat(masked[i], &st) == 0 &&
		    S_ISDIR(st.st_mode))
			return 1;
	return 0;
}

/*
 * The folders of path that are missing, made (as mount points in a fresh
 * tmpfs; where the path exists nothing is made).
 */
static int
mkdir_p(const char *path)
{
	char p[4096];
	size_t n = strlen(path);

	if (n >= sizeof(p)) {
		errno = ENAMETOOLONG;
		return -1;
	}
	memcpy(p, path, n + 1);
	for (char *s = p + 1; ; s++) {
		if (*s != '/' && *s != '\0')
			continue;
		char c = *s;
		struct stat st;
		*s = '\0';
		/* 0755 whatever the umask: nobody must get through. */
		if (stat(p, &st) != 0 && (mkdir(p, 0755) != 0 ||
		    chmod(p, 0755) != 0))
			return -1;
		*s = c;
		if (c == '\0')
			return 0;
	}
}

static int
setattr(int dfd, const char *path, unsigned flags, uint64_t set, uint64_t clr)
{
	struct fs_mattr a = { set, clr, 0, 0 };

	return (int)syscall(SYS_mount_setattr, dfd, path, flags, &a, sizeof(a));
}

static int
clone_tree(const char *path, int recursive)
{
	return (int)syscall(SYS_open_tree, AT_FDCWD, path, OPEN_TREE_CLONE |
	    O_CLOEXEC | (recursive ? AT_RECURSIVE : 0));
}

/* Attaches the detached tree fd at path, making the folders it needs. */
static int
attach(int fd, const char *path)
{
	if (mkdir_p(path) != 0)
		return -1;
	return (int)syscall(SYS_move_mount, fd, "", AT_FDCWD, path,
	    MOVE_MOUNT_F_EMPTY_PATH);
}

static void
close_all(int *fds, int n)
{
	for (int i = 0; i < n; i++)
		if (fds[i] >= 0)
			close(fds[i]);
}

/*
 * The order matters.  The run's directories usually live under /tmp,
 * which is about to be covered by an empty tmpfs; so each is first taken
 * as a detached clone of its mount (open_tree(OPEN_TREE_CLONE): the same
 * files, writable, attached nowhere, so untouched by what follows), then
 * everything that is attached is made read-only in one recursive
 * mount_setattr (all or nothing: when it fails, nothing has changed and
 * Landlock can still be tried), then the tmpfs instances go on, then the
 * clones are moved back to their own paths, their mount points made in
 * the fresh tmpfs where needed, and only then is each tmpfs made
 * read-only, so that /tmp/x cannot be written either.  Writing to a
 * device (/dev/null) on a read-only mount still works: a read-only mount
 * forbids changing the file system, not I/O on a device node.
 */
int
fsiso_mount(const char *const *rw, int nrw, const char *const *keep,
    int nkeep, int proc, char *note, size_t notesz)
{
	int rwfd[FSISO_MAXDIRS], kfd[FSISO_MAXDIRS], nk = 0;
	const char *kpath[FSISO_MAXDIRS];
	int mounted[NMASKED] = { 0 };
	struct stat st;

	if (note != NULL && notesz > 0)
		note[0] = '\0';
	if (nrw > FSISO_MAXDIRS || nkeep > FSISO_MAXDIRS) {
		errno = E2BIG;
		note_set(note, notesz, "mount namespace", errno);
		return 1;
	}
	/* Nothing done here may reach the host's mounts. */
	if (mount(NULL, "/", NULL, MS_REC | MS_PRIVATE, NULL) != 0) {
		note_set(note, notesz, "mount namespace: making / private",
		    errno);
		return 1;
	}
	for (int i = 0; i < nrw; i++)
		rwfd[i] = -1;
	for (int i = 0; i < nrw; i++) {
		if ((rwfd[i] = clone_tree(rw[i], 0)) < 0) {
			int e = errno;
			note_set(note, notesz, "mount namespace: open_tree", e);
			close_all(rwfd, i);
			errno = e;
			return 1;
		}
		/* Clear rdonly: the host may have the run's folder on one. */
		if (setattr(rwfd[i], "", AT_EMPTY_PATH, MOUNT_ATTR_NOSUID |
		    MOUNT_ATTR_NODEV, MOUNT_ATTR_RDONLY) != 0) {
			int e = errno;
			note_set(note, notesz, "mount namespace: mount_setattr",
			    e);
			close_all(rwfd, i + 1);
			errno = e;
			return 1;
		}
	}
	/* A toolchain under /tmp (say) would vanish under the tmpfs. */
	for (int i = 0; i < nkeep; i++) {
		if (!hidden(keep[i]))
			continue;
		int fd = clone_tree(keep[i], 1);
		if (fd < 0)
			continue;       /* gone: the run will say so */
		if (setattr(fd, "", AT_EMPTY_PATH | AT_RECURSIVE,
		    MOUNT_ATTR_RDONLY | MOUNT_ATTR_NOSUID, 0) != 0) {
			close(fd);
			continue;
		}
		kpath[nk] = keep[i];
		kfd[nk++] = fd;
	}
	if (setattr(AT_FDCWD, "/", AT_RECURSIVE, MOUNT_ATTR_RDONLY |
	    MOUNT_ATTR_NOSUID, 0) != 0) {
		int e = errno;
		note_set(note, notesz, "mount namespace: read-only /", e);
		close_all(rwfd, nrw);
		close_all(kfd, nk);
		errno = e;
		return 1;
	}

	/* From here a failure leaves a half-made view: the run must stop. */
	int rc = -1;
	for (size_t i = 0; i < NMASKED; i++) {
		/* A symbolic link (/var/tmp -> /tmp) is covered by its target. */
		if (lstat(masked[i], &st) != 0 || !S_ISDIR(st.st_mode))
			continue;
		if (mount("tmpfs", masked[i], "tmpfs", MS_NOSUID | MS_NODEV |
		    MS_NOEXEC, "mode=1777,size=1m,nr_inodes=4096") != 0)
			goto out;
		mounted[i] = 1;
	}
	for (int i = 0; i < nk; i++)
		if (attach(kfd[i], kpath[i]) != 0)
			goto out;
	for (int i = 0; i < nrw; i++)
		if (attach(rwfd[i], rw[i]) != 0)
			goto out;
	for (size_t i = 0; i < NMASKED; i++)
		if (mounted[i] && setattr(AT_FDCWD, masked[i], 0,
		    MOUNT_ATTR_RDONLY, 0) != 0)
			goto out;
	/*
	 * A fresh /proc shows the PID namespace's processes only.  Where it
	 * cannot be mounted (a user namespace without a fully visible /proc)
	 * the host's stays, read-only: a note, not a failure.
	 */
	if (proc && mount("proc", "/proc", "proc", MS_RDONLY | MS_NOSUID |
	    MS_NODEV | MS_NOEXEC, NULL) != 0)
		note_set(note, notesz, "mount namespace: the host's /proc kept: "
		    "mounting proc", errno);
	rc = 0;
out:;
	int e = errno;
	close_all(rwfd, nrw);
	close_all(kfd, nk);
	errno = e;
	return rc;
}

int
fsiso_landlock(const char *const *rw, int nrw, char *note, size_t notesz)
{
	if (note != NULL && notesz > 0)
		note[0] = '\0';
	long abi = syscall(SYS_landlock_create_ruleset, NULL, 0,
	    LL_CREATE_RULESET_VERSION);
	if (abi < 1) {
		/* ENOSYS: not built in; EOPNOTSUPP: not enabled at boot. */
		note_set(note, notesz, "Landlock", errno);
		return -1;
	}
	/*
	 * Only writes are handled: reading and executing stay as the file
	 * modes say.  ABI 1 cannot allow a rename between folders at all
	 * (REFER is ABI 2), and go moves files from TMPDIR into the build
	 * cache; TRUNCATE (ABI 3) closes open(O_TRUNC) outside.
	 */
	uint64_t handled = LL_WRITE_FILE | LL_REMOVE_DIR | LL_REMOVE_FILE |
	    LL_MAKE_CHAR | LL_MAKE_DIR | LL_MAKE_REG | LL_MAKE_SOCK |
	    LL_MAKE_FIFO | LL_MAKE_BLOCK | LL_MAKE_SYM;
	if (abi >= 2)
		handled |= LL_REFER;
	if (abi >= 3)
		handled |= LL_TRUNCATE;
	struct ll_ruleset_attr attr = { handled };
	int rs = (int)syscall(SYS_landlock_create_ruleset, &attr, sizeof(attr),
	    0);
	if (rs < 0) {
		note_set(note, notesz, "Landlock: creating the ruleset", errno);
		return -1;
	}
	for (int i = 0; i <= nrw; i++) {
		/* The last rule: /dev/null, a file (only file rights). */
		const char *path = i < nrw ? rw[i] : "/dev/null";
		struct ll_path_beneath pb;
		pb.allowed_access = i < nrw ? handled :
		    LL_WRITE_FILE | (handled & LL_TRUNCATE);
		pb.parent_fd = open(path, O_PATH | O_CLOEXEC);
		if (pb.parent_fd < 0 || syscall(SYS_landlock_add_rule, rs,
		    LL_RULE_PATH_BENEATH, &pb, 0) != 0) {
			int e = errno;
			if (pb.parent_fd >= 0)
				close(pb.parent_fd);
			close(rs);
			note_set(note, notesz, "Landlock: a rule", e);
			return -1;
		}
		close(pb.parent_fd);
	}
	if (prctl(PR_SET_NO_NEW_PRIVS, 1, 0, 0, 0) != 0 ||
	    syscall(SYS_landlock_restrict_self, rs, 0) != 0) {
		int e = errno;
		close(rs);
		note_set(note, notesz, "Landlock: restrict_self", e);
		return -1;
	}
	close(rs);
	return 0;
}
