/*
 * sandbox.c - one command under limits: fork (a clone with namespaces
 * where permitted), own process group, rlimits, a private network
 * namespace, a PID namespace whose init ends with the command, the file
 * system view of fsiso.c, an unprivileged uid when we are root, a
 * wall-clock timeout that kills the group, and the combined output
 * captured into memory.
 */
#include <errno.h>
#include <fcntl.h>
#include <grp.h>
#include <net/if.h>
#include <poll.h>
#include <sched.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/prctl.h>
#include <sys/resource.h>
#include <sys/socket.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "fsiso.h"
#include "sandbox.h"

volatile sig_atomic_t sb_interrupted;

/* Stages of the child's set-up, reported to the parent on failure. */
enum { ST_UID = 1, ST_LIMIT, ST_FD, ST_CHDIR, ST_EXEC, ST_MOUNT, ST_FORK };
static const char *const stage_names[] = {
	"", "dropping privileges", "setrlimit", "redirecting output",
	"chdir", "exec", "making the read-only file system",
	"starting the command under its init",
};

/*
 * What the child tells the parent on the status pipe, in one write (well
 * under PIPE_BUF, so it arrives whole): 'S' just before the exec, with
 * what isolation is in force; 'E' when a stage failed; 'W' from the init
 * of a PID namespace, the command's wait status (the init's own exit says
 * nothing: it cannot die of the command's signal).
 */
struct sb_msg {
	char tag;
	unsigned char stage, net, fs, pid;
	int err, status;
	char note[160];
};

static void
on_signal(int sig)
{
	(void)sig;
	sb_interrupted = 1;
}

/*
 * Children we had before any run (`job & exec goerrfilt-repro` leaves its
 * jobs to us): kill_children() spares them.
 */
static pid_t inherited[64];
static int ninherited;

/* Our direct children as listed by /proc, into v (at most n); how many. */
static int
list_children(pid_t *v, int n)
{
	char path[64], buf[4096];
	int k = 0;

	snprintf(path, sizeof(path), "/proc/self/task/%ld/children",
	    (long)getpid());
	int fd = open(path, O_RDONLY | O_CLOEXEC);
	if (fd < 0)
		return 0;
	ssize_t len = read(fd, buf, sizeof(buf) - 1);
	close(fd);
	if (len <= 0)
		return 0;
	buf[len] = '\0';
	for (char *p = buf, *e; k < n; p = e) {
		long x = strtol(p, &e, 10);
		if (e == p)
			break;
		if (x > 0)
			v[k++] = (pid_t)x;
	}
	return k;
}

void
sb_init(void)
{
	struct sigaction sa;

	/* Orphans of a case are reparented to us, so we reap them. */
	(void)prctl(PR_SET_CHILD_SUBREAPER, 1, 0, 0, 0);
	ninherited = list_children(inherited, 64);
	memset(&sa, 0, sizeof(sa));
	sa.sa_handler = on_signal;
	sigemptyset(&sa.sa_mask);
	/* No SA_RESTART: poll() must return so the group can be killed. */
	sigaction(SIGINT, &sa, NULL);
	sigaction(SIGTERM, &sa, NULL);
	sigaction(SIGHUP, &sa, NULL);
}

static long
now_ms(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (long)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

static void
nap_ms(long ms)
{
	struct timespec ts = { ms / 1000, (ms % 1000) * 1000000 };

	nanosleep(&ts, NULL);
}

/* --- the child --------------------------------------------------------- */

/* What the child needs besides the command: set by sb_run before clone. */
struct sb_child {
	int outfd, stfd;
	pid_t parent;
	unsigned long ns;               /* the CLONE_NEW* flags it got */
	int clone_err;                  /* why the wanted ones failed, or 0 */
	uid_t euid;                     /* ours, for a user namespace's map */
	gid_t egid;
	char *const *argv, *const *envp;
	const char *dir;
	const struct sb_limits *lim;
};

static void
send_msg(int stfd, const struct sb_msg *m)
{
	(void)!write(stfd, m, sizeof(*m));
}

static _Noreturn void
child_fail(int stfd, int stage, struct sb_msg *m)
{
	m->err = errno;
	m->tag = 'E';
	m->stage = (unsigned char)stage;
	send_msg(stfd, m);
	_exit(127);
}

static int
write_file(const char *path, const char *s)
{
	int fd = open(path, O_WRONLY | O_CLOEXEC);
	size_t n = strlen(s);

	if (fd < 0)
		return -1;
	int ok = write(fd, s, n) == (ssize_t)n;
	close(fd);
	return ok ? 0 : -1;
}

/* A fresh network namespace has only a loopback that is down. */
static void
loopback_up(void)
{
	struct ifreq ifr;
	int s = socket(AF_INET, SOCK_DGRAM | SOCK_CLOEXEC, 0);

	if (s < 0)
		return;
	memset(&ifr, 0, sizeof(ifr));
	memcpy(ifr.ifr_name, "lo", 3);
	if (ioctl(s, SIOCGIFFLAGS, &ifr) == 0) {
		ifr.ifr_flags |= IFF_UP | IFF_RUNNING;
		(void)ioctl(s, SIOCSIFFLAGS, &ifr);
	}
	close(s);
}

/*
 * In a user namespace of its own (we are not root), the child maps our
 * own ids to themselves, so that files keep their owner.
 */
static void
map_ids(uid_t u, gid_t g)
{
	char map[64];

	(void)write_file("/proc/self/setgroups", "deny");
	snprintf(map, sizeof(map), "%lu %lu 1\n", (unsigned long)u,
	    (unsigned long)u);
	(void)write_file("/proc/self/uid_map", map);
	snprintf(map, sizeof(map), "%lu %lu 1\n", (unsigned long)g,
	    (unsigned long)g);
	(void)write_file("/proc/self/gid_map", map);
}

static int
limit(int res, rlim_t soft, rlim_t hard)
{
	struct rlimit rl = { soft, hard };

	return setrlimit(res, &rl);
}

/* Appends "; what" to the note (or sets it). */
static void
note_add(char *note, size_t n, const char *what)
{
	size_t l = strlen(note);

	if (*what != '\0' && l + 3 < n)
		snprintf(note + l, n - l, "%s%.*s", l ? "; " : "",
		    (int)(n - l - 3), what);
}

/* The command itself: the init's child, or the child. */
static _Noreturn void
command(const struct sb_child *c, struct sb_msg *m, pid_t want_ppid)
{
	const struct sb_limits *lim = c->lim;

	if (geteuid() == 0 && lim->uid != (uid_t)-1 && !(c->ns & CLONE_NEWUSER)) {
		if (setgroups(0, NULL) != 0 || setgid(lim->gid) != 0 ||
		    setuid(lim->uid) != 0)
			child_fail(c->stfd, ST_UID, m);
	}
	/* After the uid change, which clears it: die with the helper. */
	(void)prctl(PR_SET_PDEATHSIG, SIGKILL, 0, 0, 0);
	if (getppid() != want_ppid)
		_exit(127);
	/* No set-uid program may give a case back what it was denied. */
	(void)prctl(PR_SET_NO_NEW_PRIVS, 1, 0, 0, 0);
	if (m->fs == FSISO_NONE && lim->fs_iso >= FSISO_LANDLOCK) {
		char why[160];
		if (fsiso_landlock(lim->rw_dirs, lim->nrw, why, sizeof(why)) == 0)
			m->fs = FSISO_LANDLOCK;
		else
			note_add(m->note, sizeof(m->note), why);
	}

	/*
	 * The hard CPU limit is a little above the soft one: SIGXCPU first
	 * (the Go runtime ignores it), SIGKILL a few seconds later.
	 */
	if ((lim->cpu_s > 0 && limit(RLIMIT_CPU, (rlim_t)lim->cpu_s,
	    (rlim_t)lim->cpu_s + 5) != 0) ||
	    (lim->as_mb > 0 && limit(RLIMIT_AS, (rlim_t)lim->as_mb << 20,
	    (rlim_t)lim->as_mb << 20) != 0) ||
	    (lim->nproc > 0 && limit(RLIMIT_NPROC, (rlim_t)lim->nproc,
	    (rlim_t)lim->nproc) != 0) ||
	    (lim->fsize_mb > 0 && limit(RLIMIT_FSIZE,
	    (rlim_t)lim->fsize_mb << 20, (rlim_t)lim->fsize_mb << 20) != 0) ||
	    limit(RLIMIT_CORE, 0, 0) != 0)
		child_fail(c->stfd, ST_LIMIT, m);

	int nul = open("/dev/null", O_RDONLY);
	if (nul < 0 || dup2(nul, 0) < 0 || dup2(c->outfd, 1) < 0 ||
	    dup2(c->outfd, 2) < 0)
		child_fail(c->stfd, ST_FD, m);
	if (c->dir != NULL && chdir(c->dir) != 0)
		child_fail(c->stfd, ST_CHDIR, m);
	m->tag = 'S';
	send_msg(c->stfd, m);
	execve(c->argv[0], c->argv, c->envp);
	child_fail(c->stfd, ST_EXEC, m);
}

/*
 * PID 1 of the namespace: starts the command, reaps whatever is handed to
 * it, and ends as soon as the command does, which makes the kernel kill
 * everything else in the namespace.  The command is not PID 1 itself: the
 * kernel ignores signals to an init that has no handler for them, which
 * would change what a case's `kill -QUIT $$` or a shell's own signals do.
 */
static _Noreturn void
init(const struct sb_child *c, struct sb_msg *m)
{
	pid_t cmd = fork();

	if (cmd < 0)
		child_fail(c->stfd, ST_FORK, m);
	if (cmd == 0)
		command(c, m, 1);
	close(c->outfd);
	for (;;) {
		int st;
		pid_t w = waitpid(-1, &st, 0);
		if (w == cmd) {
			m->tag = 'W';
			m->status = st;
			send_msg(c->stfd, m);
			_exit(0);
		}
		if (w < 0 && errno != EINTR)
			_exit(127);
	}
}

static _Noreturn void
child(const struct sb_child *c)
{
	const struct sb_limits *lim = c->lim;
	struct sb_msg m;
	sigset_t none;

	memset(&m, 0, sizeof(m));
	sigemptyset(&none);
	sigprocmask(SIG_SETMASK, &none, NULL);
	signal(SIGINT, SIG_DFL);
	signal(SIGTERM, SIG_DFL);
	signal(SIGHUP, SIG_DFL);
	signal(SIGPIPE, SIG_DFL);
	setpgid(0, 0);
	if (c->ns & CLONE_NEWPID) {
		/* The init is still us (root): it dies with the helper. */
		(void)prctl(PR_SET_PDEATHSIG, SIGKILL, 0, 0, 0);
		m.pid = 1;
	}
	if (c->ns & CLONE_NEWUSER)
		map_ids(c->euid, c->egid);
	if (c->ns & CLONE_NEWNET) {
		loopback_up();
		m.net = 1;
	}
	if (lim->fs_iso >= FSISO_MOUNT) {
		if (!(c->ns & CLONE_NEWNS)) {
			snprintf(m.note, sizeof(m.note), "mount namespace: "
			    "clone(CLONE_NEWNS): %s", strerror(c->clone_err));
		} else {
			int r = fsiso_mount(lim->rw_dirs, lim->nrw, lim->keep_dirs,
			    lim->nkeep, (c->ns & CLONE_NEWPID) != 0, m.note,
			    sizeof(m.note));
			if (r < 0)
				child_fail(c->stfd, ST_MOUNT, &m);
			if (r == 0)
				m.fs = FSISO_MOUNT;
		}
	}
	if (c->ns & CLONE_NEWPID)
		init(c, &m);
	command(c, &m, c->parent);
}

/* --- the parent -------------------------------------------------------- */

static void
store(struct sb_result *res, const char *p, size_t n, size_t cap)
{
	res->out_total += n;
	if (res->out.len < cap)
		buf_add(&res->out, p, n < cap - res->out.len ? n :
		    cap - res->out.len);
}

/*
 * Our direct children are killed: after a run there are none but what a
 * case left behind, handed to us as subreaper when its parent died.  That
 * finds what left the process group (setsid) where there is no PID
 * namespace to do it.  Returns how many there were.
 */
static int
kill_children(void)
{
	pid_t v[512];
	int n = 0, k = list_children(v, 512);

	for (int i = 0; i < k; i++) {
		int old = 0;
		for (int j = 0; j < ninherited && !old; j++)
			old = v[i] == inherited[j];
		/* A child of ours cannot be reused before we reap it. */
		if (!old && kill(v[i], SIGKILL) == 0)
			n++;
	}
	return n;
}

/*
 * Kills what is left of the group and reaps it, and any orphan handed to
 * us as subreaper, so no process of a case outlives its run.
 */
static void
kill_group(pid_t pgid)
{
	for (int i = 0; i < 500; i++) {
		int left = kill(-pgid, SIGKILL) == 0;
		left |= kill_children() > 0;
		while (waitpid(-1, NULL, WNOHANG) > 0)
			;
		if (!left)
			break;
		nap_ms(2);
	}
	while (waitpid(-1, NULL, WNOHANG) > 0)
		;
}

/*
 * fork(), or clone() with as many of the wanted namespaces as the system
 * grants (one clone per try: a refused one costs a system call).  A plain
 * clone with SIGCHLD and no new stack is a fork; the helper has one thread.
 */
static pid_t
spawn(unsigned long want, struct sb_child *c)
{
	static const unsigned long order[] = {
		CLONE_NEWNS | CLONE_NEWPID | CLONE_NEWNET,
		CLONE_NEWNS | CLONE_NEWPID, CLONE_NEWPID | CLONE_NEWNET,
		CLONE_NEWNS | CLONE_NEWNET, CLONE_NEWPID, CLONE_NEWNS,
		CLONE_NEWNET, 0,
	};

	c->clone_err = 0;
	for (size_t i = 0; i < sizeof(order) / sizeof(order[0]); i++) {
		unsigned long f = order[i];
		if ((f & ~want) != 0)
			continue;
		if (f == 0) {
			c->ns = 0;
			return fork();
		}
		if (geteuid() != 0)
			f |= CLONE_NEWUSER;
		c->ns = f;
		long pid = syscall(SYS_clone, f | SIGCHLD, 0, 0, 0, 0);
		if (pid >= 0)
			return (pid_t)pid;
		if (errno != EPERM && errno != EINVAL && errno != ENOSPC &&
		    errno != EUSERS && errno != ENOSYS)
			return -1;
		if (c->clone_err == 0)
			c->clone_err = errno;
	}
	return -1;
}

/* Reads one whole message (or nothing at EOF); 0 when one came. */
static int
read_msg(int fd, struct sb_msg *m)
{
	size_t got = 0;

	while (got < sizeof(*m)) {
		ssize_t n = read(fd, (char *)m + got, sizeof(*m) - got);
		if (n < 0 && errno == EINTR)
			continue;
		if (n <= 0)
			break;
		got += (size_t)n;
	}
	if (got < sizeof(*m))
		return -1;
	m->note[sizeof(m->note) - 1] = '\0';
	return 0;
}

int
sb_run(char *const argv[], char *const envp[], const char *dir,
    const struct sb_limits *lim, struct sb_result *res)
{
	int op[2], sp[2], status = 0;
	char scratch[65536];
	struct sb_child c;
	struct sb_msg m;

	res->code = res->sig = res->timed_out = res->net_isolated = 0;
	res->fs_iso = FSISO_NONE;
	res->pid_ns = 0;
	res->started = 0;
	res->duration_ms = 0;
	res->out_total = 0;
	res->out.len = 0;
	res->err[0] = res->fs_note[0] = '\0';
	if (pipe2(op, O_CLOEXEC) != 0)
		goto sys_err;
	if (pipe2(sp, O_CLOEXEC) != 0) {
		close(op[0]);
		close(op[1]);
		goto sys_err;
	}
	memset(&c, 0, sizeof(c));
	c.outfd = op[1];
	c.stfd = sp[1];
	c.parent = getpid();
	c.euid = geteuid();
	c.egid = getegid();
	c.argv = argv;
	c.envp = envp;
	c.dir = dir;
	c.lim = lim;
	unsigned long want = CLONE_NEWPID;
	if (lim->isolate_net)
		want |= CLONE_NEWNET;
	if (lim->fs_iso >= FSISO_MOUNT)
		want |= CLONE_NEWNS;
	const long t0 = now_ms();
	const pid_t pid = spawn(want, &c);
	if (pid < 0) {
		close(op[0]); close(op[1]); close(sp[0]); close(sp[1]);
		goto sys_err;
	}
	if (pid == 0) {
		close(op[0]);
		close(sp[0]);
		child(&c);
	}
	close(op[1]);
	close(sp[1]);
	(void)setpgid(pid, pid); /* both sides: whichever runs first */

	/* The status pipe: 'S' at the exec, or what failed before it. */
	memset(&m, 0, sizeof(m));
	if (read_msg(sp[0], &m) != 0 || m.tag != 'S') {
		int e = m.tag == 'E' ? m.err : 0, stage = m.stage;
		if (m.tag != 'E' || stage < ST_UID || stage > ST_FORK)
			stage = ST_EXEC;
		snprintf(res->err, sizeof(res->err), "%s %s: %s",
		    stage_names[stage], stage == ST_EXEC ? argv[0] :
		    stage == ST_CHDIR && dir ? dir : "",
		    e ? strerror(e) : "ended before it started");
		close(op[0]);
		close(sp[0]);
		while (waitpid(pid, NULL, 0) < 0 && errno == EINTR)
			;
		kill_group(pid);
		return -1;
	}
	res->started = 1;
	res->net_isolated = m.net;
	res->fs_iso = m.fs;
	res->pid_ns = m.pid;
	snprintf(res->fs_note, sizeof(res->fs_note), "%s", m.note);

	const long deadline = t0 + (long)lim->timeout_s * 1000;
	long grace_end = 0;
	int exited = 0, eof = 0, killed = 0;
	for (;;) {
		long now = now_ms();
		if (!killed && (sb_interrupted ||
		    (lim->timeout_s > 0 && now >= deadline))) {
			res->timed_out = !sb_interrupted;
			/* The init too: its death empties the namespace. */
			kill(-pid, SIGKILL);
			kill(pid, SIGKILL);
			killed = 1;
		}
		if (!exited) {
			pid_t w = waitpid(pid, &status, WNOHANG);
			if (w == pid) {
				exited = 1;
				/* Background leftovers die with the leader. */
				kill(-pid, SIGKILL);
				grace_end = now + 1000;
			}
		}
		if (exited && (eof || now >= grace_end))
			break;
		if (eof) {
			nap_ms(5);
			continue;
		}
		long wait = exited ? 20 : 50;
		if (!killed && lim->timeout_s > 0 && deadline - now < wait)
			wait = deadline - now > 0 ? deadline - now : 0;
		struct pollfd pfd = { op[0], POLLIN, 0 };
		int pr = poll(&pfd, 1, (int)wait);
		if (pr <= 0)
			continue;
		ssize_t n = read(op[0], scratch, sizeof(scratch));
		if (n > 0)
			store(res, scratch, (size_t)n, lim->out_cap);
		else if (n == 0 || (errno != EINTR && errno != EAGAIN))
			eof = 1;
	}
	close(op[0]);
	/* The init has ended: its 'W' is there, or it was killed first. */
	if (read_msg(sp[0], &m) == 0 && m.tag == 'W')
		status = m.status;
	close(sp[0]);
	kill_group(pid);
	res->duration_ms = now_ms() - t0;
	if (WIFSIGNALED(status)) {
		res->sig = WTERMSIG(status);
		res->code = 128 + res->sig;
	} else {
		res->code = WEXITSTATUS(status);
	}
	if (sb_interrupted) {
		snprintf(res->err, sizeof(res->err), "interrupted");
		return -1;
	}
	return 0;
sys_err:
	snprintf(res->err, sizeof(res->err), "cannot start %s: %s", argv[0],
	    strerror(errno));
	return -1;
}

void
sb_result_free(struct sb_result *res)
{
	buf_free(&res->out);
}

int
sb_can_exec_as(const char *path, uid_t uid, gid_t gid)
{
	int status;
	pid_t pid = fork();

	if (pid < 0)
		return 0;
	if (pid == 0) {
		if (setgroups(0, NULL) != 0 || setgid(gid) != 0 ||
		    setuid(uid) != 0)
			_exit(1);
		_exit(access(path, X_OK) == 0 ? 0 : 1);
	}
	while (waitpid(pid, &status, 0) < 0)
		if (errno != EINTR)
			return 0;
	return WIFEXITED(status) && WEXITSTATUS(status) == 0;
}

const char *
sb_meaning(int code, int timed_out, int build_step)
{
	if (timed_out)
		return "killed (SIGKILL): timeout";
	switch (code) {
	case 0:
		return "success";
	case 1:
		return build_step ? "build failure" :
		    "exit 1 (os.Exit(1), log.Fatal, or a failed test)";
	case 2:
		return build_step ? "go command or tool failure (exit 2)" :
		    "Go panic or fatal error";
	case 66:
		return "race detector: data race found";
	case 126:
		return "command not executable";
	case 127:
		return "command not found";
	case 130:
		return "killed by SIGINT";
	case 131:
		return "SIGQUIT: goroutine dump";
	case 134:
		return "SIGABRT (GOTRACEBACK=crash, or a C abort)";
	case 135:
		return "SIGBUS outside Go's handler";
	case 137:
		return "killed (SIGKILL): memory limit or timeout";
	case 139:
		return "SIGSEGV outside Go's handler";
	case 141:
		return "SIGPIPE";
	case 143:
		return "killed by SIGTERM";
	case 152:
		return "SIGXCPU: CPU time limit";
	case 153:
		return "SIGXFSZ: file size limit";
	}
	if (code > 128 && code < 128 + 65)
		return "killed by a signal";
	return build_step ? "build step failed" : "non-zero exit";
}
