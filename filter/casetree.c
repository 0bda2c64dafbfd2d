/*
 * casetree.c - the temporary directory of a case (see casetree.h).
 *
 * The copy walks the case folder by file descriptors: every name is
 * opened relative to its folder's descriptor with O_NOFOLLOW and what was
 * opened is checked with fstat, so nothing is followed out of the folder
 * and nothing swapped in between a look and an open is copied (a folder
 * other people wrote may change while we read it).  Symbolic links are
 * copied as links, whatever they point at: inside the sandbox they lead
 * to a read-only or missing file (docs/repro.md).
 */
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <ftw.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "casetree.h"
#include "util.h"

const char *const casetree_subs[CASETREE_NSUBS] = {
	CASETREE_CASE, "home", "tmp", "gocache", "gopath",
};

/* Deeper than this a case folder is refused (each level holds two fds). */
#define MAX_DEPTH 64

/* The bytes of in (a regular file, already checked) into out. */
static int
copy_bytes(int in, int out)
{
	char tmp[65536];
	ssize_t n;

	while ((n = read(in, tmp, sizeof(tmp))) > 0)
		if (write(out, tmp, (size_t)n) != n)
			return -1;
	return n == 0 ? 0 : -1;
}

/* A file of the case: opened without following, checked as opened. */
static int
copy_file(int sfd, int dfd, const char *name)
{
	struct stat st;
	int in = openat(sfd, name, O_RDONLY | O_NOFOLLOW | O_NONBLOCK |
	    O_CLOEXEC), out, rc;

	if (in < 0) {
		if (errno == ELOOP)
			errno = EAGAIN; /* a link now: it changed under us */
		return -1;
	}
	int e = fstat(in, &st) != 0 ? errno : !S_ISREG(st.st_mode) ? EAGAIN : 0;
	if (e != 0) {
		close(in);
		errno = e;
		return -1;
	}
	out = openat(dfd, name, O_WRONLY | O_CREAT | O_EXCL | O_NOFOLLOW |
	    O_CLOEXEC, st.st_mode & 0777);
	if (out < 0) {
		close(in);
		return -1;
	}
	rc = copy_bytes(in, out);
	close(in);
	return close(out) == 0 ? rc : -1;
}

/* The folder open as sfd into the (new, empty) folder open as dfd. */
static int
copy_tree(int sfd, int dfd, const char *from, int depth)
{
	int dup_fd = dup(sfd);
	DIR *d = dup_fd < 0 ? NULL : fdopendir(dup_fd);
	struct dirent *de;
	int rc = 0;

	if (d == NULL) {
		if (dup_fd >= 0)
			close(dup_fd);
		warnx_("copying %s: %s", from, strerror(errno));
		return -1;
	}
	if (depth > MAX_DEPTH) {
		closedir(d);
		warnx_("copying %s: more than %d folders deep", from, MAX_DEPTH);
		return -1;
	}
	while (rc == 0 && (de = readdir(d)) != NULL) {
		const char *name = de->d_name;
		if (strcmp(name, ".") == 0 || strcmp(name, "..") == 0)
			continue;
		struct stat st;
		errno = 0;
		if (fstatat(sfd, name, &st, AT_SYMLINK_NOFOLLOW) != 0) {
			rc = -1;
		} else if (S_ISDIR(st.st_mode)) {
			struct stat got;
			int cs = openat(sfd, name, O_RDONLY | O_DIRECTORY |
			    O_NOFOLLOW | O_CLOEXEC), cd = -1;
			if (cs < 0 || fstat(cs, &got) != 0 ||
			    got.st_ino != st.st_ino || got.st_dev != st.st_dev) {
				if (cs >= 0)
					errno = EAGAIN;
				rc = -1;
			} else if (mkdirat(dfd, name, 0755) != 0 ||
			    (cd = openat(dfd, name, O_RDONLY | O_DIRECTORY |
			    O_NOFOLLOW | O_CLOEXEC)) < 0) {
				rc = -1;
			} else {
				char *sub = xasprintf("%s/%s", from, name);
				rc = copy_tree(cs, cd, sub, depth + 1);
				free(sub);
				if (rc != 0) {
					close(cs);
					close(cd);
					break; /* reported by the inner call */
				}
			}
			if (cs >= 0)
				close(cs);
			if (cd >= 0)
				close(cd);
		} else if (S_ISREG(st.st_mode)) {
			rc = copy_file(sfd, dfd, name);
		} else if (S_ISLNK(st.st_mode)) {
			char target[PATH_MAX];
			ssize_t n = readlinkat(sfd, name, target,
			    sizeof(target) - 1);
			if (n < 0) {
				rc = -1;
			} else {
				target[n] = '\0';
				rc = symlinkat(target, dfd, name);
			}
		}
		if (rc != 0)
			warnx_("copying %s/%s: %s", from, name, errno == EAGAIN ?
			    "it changed while it was copied" : strerror(errno));
	}
	closedir(d);
	return rc;
}

/* nftw passes no argument to its callback: the owner to give is here. */
static uid_t chown_uid;
static gid_t chown_gid;

static int
chown_cb(const char *path, const struct stat *st, int type, struct FTW *ftw)
{
	(void)st; (void)type; (void)ftw;
	return lchown(path, chown_uid, chown_gid) != 0 ? -1 : 0;
}

int
casetree_make(const char *tmpbase, const char *src, uid_t uid, gid_t gid,
    char **root, char **why)
{
	char *tmpl = xasprintf("%s/goerrfilt-repro.XXXXXX", tmpbase);

	*root = *why = NULL;
	if (mkdtemp(tmpl) == NULL) {
		*why = xasprintf("mkdtemp %s: %s", tmpl, strerror(errno));
		free(tmpl);
		return -1;
	}
	*root = tmpl;
	for (int i = 0; i < CASETREE_NSUBS; i++) {
		char *p = xasprintf("%s/%s", tmpl, casetree_subs[i]);
		int rc = mkdir(p, 0755);
		free(p);
		if (rc != 0) {
			*why = xasprintf("mkdir in %s: %s", tmpl,
			    strerror(errno));
			return -1;
		}
	}
	char *casedir = xasprintf("%s/%s", tmpl, CASETREE_CASE);
	int sfd = open(src, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
	int dfd = open(casedir, O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC);
	int rc = -1;
	if (sfd < 0)
		warnx_("copying %s: %s", src, strerror(errno));
	else if (dfd >= 0)
		rc = copy_tree(sfd, dfd, src, 0);
	if (sfd >= 0)
		close(sfd);
	if (dfd >= 0)
		close(dfd);
	free(casedir);
	if (rc != 0) {
		*why = xasprintf("cannot copy %s", src);
		return -1;
	}
	if (uid != (uid_t)-1) {
		/*
		 * Only the folders go to the case's user: the directory that
		 * holds them stays ours (traversable, not writable), so that
		 * $HOME/.. is no place to write even without isolation.
		 */
		chown_uid = uid;
		chown_gid = gid;
		for (int i = 0; i < CASETREE_NSUBS; i++) {
			char *p = xasprintf("%s/%s", tmpl, casetree_subs[i]);
			int bad = nftw(p, chown_cb, 32, FTW_PHYS) != 0;
			free(p);
			if (bad) {
				*why = xasprintf("chown %s: %s", tmpl,
				    strerror(errno));
				return -1;
			}
		}
		if (chmod(tmpl, 0711) != 0) {
			*why = xasprintf("chmod %s: %s", tmpl, strerror(errno));
			return -1;
		}
	}
	return 0;
}

/* Go makes the module cache read-only; make every folder writable first. */
static int
unlock_cb(const char *path, const struct stat *st, int type, struct FTW *ftw)
{
	(void)ftw;
	if (type == FTW_D || type == FTW_DNR)
		(void)chmod(path, (st->st_mode & 07777) | 0700);
	return 0;
}

static int
remove_cb(const char *path, const struct stat *st, int type, struct FTW *ftw)
{
	(void)st; (void)type; (void)ftw;
	(void)remove(path);
	return 0;
}

void
casetree_remove(const char *root)
{
	(void)nftw(root, unlock_cb, 32, FTW_PHYS);
	(void)nftw(root, remove_cb, 32, FTW_DEPTH | FTW_PHYS);
}
