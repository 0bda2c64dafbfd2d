/*
 * casetree.c - the temporary directory of a case (see casetree.h).
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

static int
copy_file(const char *from, const char *to, mode_t mode)
{
	char tmp[65536];
	int in = open(from, O_RDONLY | O_CLOEXEC), out;
	ssize_t n = 0;

	if (in < 0)
		return -1;
	out = open(to, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, mode & 0777);
	if (out < 0) {
		close(in);
		return -1;
	}
	while ((n = read(in, tmp, sizeof(tmp))) > 0)
		if (write(out, tmp, (size_t)n) != n) {
			n = -1;
			break;
		}
	close(in);
	return close(out) == 0 && n == 0 ? 0 : -1;
}

/* Copies the case folder: files, folders and symbolic links. */
static int
copy_tree(const char *from, const char *to)
{
	DIR *d = opendir(from);
	struct dirent *de;
	int rc = 0;

	if (d == NULL)
		return -1;
	while (rc == 0 && (de = readdir(d)) != NULL) {
		if (strcmp(de->d_name, ".") == 0 || strcmp(de->d_name, "..") == 0)
			continue;
		char *src = xasprintf("%s/%s", from, de->d_name);
		char *dst = xasprintf("%s/%s", to, de->d_name);
		struct stat st;
		if (lstat(src, &st) != 0) {
			rc = -1;
		} else if (S_ISDIR(st.st_mode)) {
			rc = mkdir(dst, 0755) != 0 ? -1 : copy_tree(src, dst);
		} else if (S_ISREG(st.st_mode)) {
			rc = copy_file(src, dst, st.st_mode);
		} else if (S_ISLNK(st.st_mode)) {
			char target[PATH_MAX];
			ssize_t n = readlink(src, target, sizeof(target) - 1);
			if (n < 0) {
				rc = -1;
			} else {
				target[n] = '\0';
				rc = symlink(target, dst);
			}
		}
		if (rc != 0)
			warnx_("copying %s: %s", src, strerror(errno));
		free(src);
		free(dst);
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
	int rc = copy_tree(src, casedir);
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
