/*
 * fsiso.h - the file system a case's commands see: a private mount
 * namespace with the whole system read-only, or Landlock where no mount
 * namespace can be had, or nothing (docs/repro.md, "What the sandbox does
 * and does not protect against").
 *
 * The mount-namespace view: every mount made read-only (and nosuid), the
 * run's own directories (the copy of the case, its HOME, TMPDIR, GOCACHE,
 * GOPATH) bound back writable at the same paths, private empty read-only
 * tmpfs instances on /tmp, /var/tmp and /dev/shm (so a case neither reads
 * nor writes what the host keeps there), the directories of the toolchains
 * that lie under those three bound back read-only, and, inside a private
 * PID namespace, a fresh read-only /proc.  Landlock: writes (create,
 * remove, rename, truncate, open for writing) allowed only beneath the
 * run's directories and to /dev/null; everything stays readable.
 *
 * Both are called in the child between fork and exec: they allocate
 * nothing and report through a caller's buffer.
 */
#ifndef GOERRFILT_FSISO_H
#define GOERRFILT_FSISO_H

#include <stddef.h>

/* The isolation levels, weakest first (the report's fs_isolation). */
enum { FSISO_NONE, FSISO_LANDLOCK, FSISO_MOUNT };

/* At most this many writable and this many kept directories. */
#define FSISO_MAXDIRS 32

/* "none", "landlock", "mount-namespace". */
const char *fsiso_name(int level);
/* The level named s (those three and "auto", which is FSISO_MOUNT), or -1. */
int fsiso_parse(const char *s);

/*
 * Sets up the read-only view in the current (fresh, private) mount
 * namespace.  rw and keep are absolute paths without symbolic links;
 * proc: mount a new /proc (the caller is in a new PID namespace).
 * Returns 0 when the view is in force; 1 when the kernel offers no way to
 * make it and nothing has changed (the caller may fall back to Landlock);
 * -1 with errno when it failed half-way (the caller must not run the
 * command).  note gets what was not done, or "".
 */
int fsiso_mount(const char *const *rw, int nrw, const char *const *keep,
    int nkeep, int proc, char *note, size_t notesz);

/*
 * Restricts the calling process and its future children with Landlock:
 * writes only beneath rw and to /dev/null.  Needs no_new_privs set (or
 * CAP_SYS_ADMIN).  Returns 0 when in force, -1 with note saying why not
 * (nothing is restricted then).
 */
int fsiso_landlock(const char *const *rw, int nrw, char *note, size_t notesz);

#endif
