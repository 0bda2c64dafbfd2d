/*
 * sandbox.h - running one command of a reproducer case under limits.
 *
 * The command runs in a child of its own process group, with stdin from
 * /dev/null and stdout and stderr captured together into memory (up to a
 * cap), with rlimits on CPU time, address space, processes and file size,
 * optionally without network (a private network namespace where the system
 * permits one) and, when we are root, as an unprivileged user: the kernel
 * never applies RLIMIT_NPROC to uid 0, so a fork bomb run as root would not
 * be held.  A wall-clock timeout kills the whole group with SIGKILL.
 *
 * Where the system permits (root, or an unprivileged user namespace), the
 * child is the init of a private PID namespace and the command its only
 * child: when the command ends, or the init is killed at the timeout, the
 * kernel kills everything left in the namespace, setsid() or not.  With a
 * private mount namespace too, the command sees the read-only view of
 * fsiso.h; without one, Landlock; the result says which held.  Without a
 * PID namespace, whatever escaped the group is found among our children
 * (we are their subreaper) and killed after the run.
 */
#ifndef GOERRFILT_SANDBOX_H
#define GOERRFILT_SANDBOX_H

#include <signal.h>
#include <stddef.h>
#include <sys/types.h>

#include "util.h"

struct sb_limits {
	int timeout_s;          /* wall clock; 0: none */
	int cpu_s;              /* RLIMIT_CPU per process; 0: none */
	long as_mb;             /* RLIMIT_AS; 0: none */
	long nproc;             /* RLIMIT_NPROC (per user); 0: none */
	long fsize_mb;          /* RLIMIT_FSIZE; 0: none */
	size_t out_cap;         /* bytes of output kept; the rest is counted */
	int isolate_net;        /* try a private network namespace */
	uid_t uid;              /* run as uid/gid when root; (uid_t)-1: as is */
	gid_t gid;
	int fs_iso;             /* the most wanted FSISO_* level (fsiso.h) */
	const char *const *rw_dirs;     /* the writable folders (canonical) */
	int nrw;
	const char *const *keep_dirs;   /* toolchains kept visible (canonical) */
	int nkeep;
};

struct sb_result {
	int code;               /* exit status, or 128+N after signal N */
	int sig;                /* the signal that ended it, 0 if none */
	int timed_out;          /* killed by the wall-clock timeout */
	int net_isolated;       /* ran in a private network namespace */
	int fs_iso;             /* the FSISO_* level in force */
	int pid_ns;             /* ran under an init of a private PID namespace */
	int started;            /* 0: the command could not be started */
	long duration_ms;
	size_t out_total;       /* bytes of output, kept or not */
	struct buf out;         /* combined stdout+stderr, up to out_cap */
	char err[160];          /* why it could not start */
	char fs_note[160];      /* why fs_iso is below what was wanted, or "" */
};

/* Set by the SIGINT/SIGTERM handler sb_init() installs. */
extern volatile sig_atomic_t sb_interrupted;

/*
 * Makes this process the reaper of orphans (so nothing a case leaves
 * behind outlives its run, even without a PID namespace) and installs the
 * interrupt handler.
 */
void sb_init(void);

/*
 * Runs argv[0] (a path) with envp in dir.  Returns 0 when the command ran
 * (whatever its status), -1 when it could not be started (res->err says
 * why) or when an interrupt stopped it.  res->out is the caller's to free
 * with sb_result_free().
 */
int sb_run(char *const argv[], char *const envp[], const char *dir,
    const struct sb_limits *lim, struct sb_result *res);
void sb_result_free(struct sb_result *res);

/*
 * What an exit code means for a Go program or build step, in words
 * ("Go panic or fatal error", "killed: timeout", ...).
 */
const char *sb_meaning(int code, int timed_out, int build_step);

/* Whether uid can run path (tested in a child that takes that uid). */
int sb_can_exec_as(const char *path, uid_t uid, gid_t gid);

#endif
