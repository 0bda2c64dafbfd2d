/*
 * sandbox.c - one command under limits: fork, own process group, rlimits,
 * a private network namespace where permitted, an unprivileged uid when we
 * are root, a wall-clock timeout that kills the group, and the combined
 * output captured into memory.
 */
#include <errno.h>
#include <fcntl.h>
#include <grp.h>
#include <net/if.h>
#include <poll.h>
#include <sched.h>
#include <signal.h>
#include <stdio.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/prctl.h>
#include <sys/resource.h>
#include <sys/socket.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "sandbox.h"

volatile sig_atomic_t sb_interrupted;

/* Stages of the child's set-up, reported to the parent on failure. */
enum { ST_UID = 1, ST_LIMIT, ST_FD, ST_CHDIR, ST_EXEC };
static const char *const stage_names[] = {
	"", "dropping privileges", "setrlimit", "redirecting output",
	"chdir", "exec",
};

static void
on_signal(int sig)
{
	(void)sig;
	sb_interrupted = 1;
}

void
sb_init(void)
{
	struct sigaction sa;

	/* Orphans of a case are reparented to us, so we reap them. */
	(void)prctl(PR_SET_CHILD_SUBREAPER, 1, 0, 0, 0);
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

static _Noreturn void
child_fail(int stfd, int stage)
{
	unsigned char msg[1 + 1 + sizeof(int)];
	int e = errno;

	msg[0] = 'E';
	msg[1] = (unsigned char)stage;
	memcpy(msg + 2, &e, sizeof(e));
	(void)!write(stfd, msg, sizeof(msg));
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
 * Root may create a network namespace directly; anyone else needs a user
 * namespace around it (where the system allows unprivileged ones), with
 * our own ids mapped so that files keep their owner.
 */
static int
unshare_net(void)
{
	if (geteuid() == 0) {
		if (unshare(CLONE_NEWNET) != 0)
			return -1;
	} else {
		char map[64];
		const uid_t u = geteuid();
		const gid_t g = getegid();

		if (unshare(CLONE_NEWUSER | CLONE_NEWNET) != 0)
			return -1;
		(void)write_file("/proc/self/setgroups", "deny");
		snprintf(map, sizeof(map), "%lu %lu 1\n", (unsigned long)u,
		    (unsigned long)u);
		(void)write_file("/proc/self/uid_map", map);
		snprintf(map, sizeof(map), "%lu %lu 1\n", (unsigned long)g,
		    (unsigned long)g);
		(void)write_file("/proc/self/gid_map", map);
	}
	loopback_up();
	return 0;
}

static int
limit(int res, rlim_t soft, rlim_t hard)
{
	struct rlimit rl = { soft, hard };

	return setrlimit(res, &rl);
}

static _Noreturn void
child(int outfd, int stfd, pid_t parent, char *const argv[],
    char *const envp[], const char *dir, const struct sb_limits *lim)
{
	sigset_t none;
	char net = 'n';

	sigemptyset(&none);
	sigprocmask(SIG_SETMASK, &none, NULL);
	signal(SIGINT, SIG_DFL);
	signal(SIGTERM, SIG_DFL);
	signal(SIGHUP, SIG_DFL);
	signal(SIGPIPE, SIG_DFL);
	setpgid(0, 0);

	if (lim->isolate_net && unshare_net() == 0)
		net = 'N';
	if (geteuid() == 0 && lim->uid != (uid_t)-1) {
		if (setgroups(0, NULL) != 0 || setgid(lim->gid) != 0 ||
		    setuid(lim->uid) != 0)
			child_fail(stfd, ST_UID);
	}
	/* After the uid change, which clears it: die with the helper. */
	(void)prctl(PR_SET_PDEATHSIG, SIGKILL, 0, 0, 0);
	if (getppid() != parent)
		_exit(127);

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
		child_fail(stfd, ST_LIMIT);

	int nul = open("/dev/null", O_RDONLY);
	if (nul < 0 || dup2(nul, 0) < 0 || dup2(outfd, 1) < 0 ||
	    dup2(outfd, 2) < 0)
		child_fail(stfd, ST_FD);
	if (dir != NULL && chdir(dir) != 0)
		child_fail(stfd, ST_CHDIR);
	(void)!write(stfd, &net, 1);
	execve(argv[0], argv, envp);
	child_fail(stfd, ST_EXEC);
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
 * Kills what is left of the group and reaps it (and any orphan handed to
 * us as subreaper), so no process of a case outlives its run.
 */
static void
kill_group(pid_t pgid)
{
	for (int i = 0; i < 500; i++) {
		if (kill(-pgid, SIGKILL) != 0 && errno == ESRCH)
			break;
		while (waitpid(-1, NULL, WNOHANG) > 0)
			;
		nap_ms(2);
	}
	while (waitpid(-1, NULL, WNOHANG) > 0)
		;
}

int
sb_run(char *const argv[], char *const envp[], const char *dir,
    const struct sb_limits *lim, struct sb_result *res)
{
	int op[2], sp[2], status = 0;
	char scratch[65536];

	res->code = res->sig = res->timed_out = res->net_isolated = 0;
	res->started = 0;
	res->duration_ms = 0;
	res->out_total = 0;
	res->out.len = 0;
	res->err[0] = '\0';
	if (pipe2(op, O_CLOEXEC) != 0)
		goto sys_err;
	if (pipe2(sp, O_CLOEXEC) != 0) {
		close(op[0]);
		close(op[1]);
		goto sys_err;
	}
	const pid_t parent = getpid();
	const long t0 = now_ms();
	const pid_t pid = fork();
	if (pid < 0) {
		close(op[0]); close(op[1]); close(sp[0]); close(sp[1]);
		goto sys_err;
	}
	if (pid == 0) {
		close(op[0]);
		close(sp[0]);
		child(op[1], sp[1], parent, argv, envp, dir, lim);
	}
	close(op[1]);
	close(sp[1]);
	(void)setpgid(pid, pid); /* both sides: whichever runs first */

	/* The status pipe closes at exec; before that the child reports. */
	unsigned char st[1 + 1 + sizeof(int)];
	size_t got = 0;
	for (;;) {
		ssize_t n = read(sp[0], st + got, sizeof(st) - got);
		if (n < 0 && errno == EINTR)
			continue;
		if (n <= 0)
			break;
		got += (size_t)n;
		if (got == sizeof(st) || (got == 1 && st[0] != 'E'))
			break;
	}
	close(sp[0]);
	if (got >= 1 && st[0] == 'E') {
		int e = 0, stage = got >= 2 ? st[1] : ST_EXEC;
		if (got == sizeof(st))
			memcpy(&e, st + 2, sizeof(e));
		if (stage < ST_UID || stage > ST_EXEC)
			stage = ST_EXEC;
		snprintf(res->err, sizeof(res->err), "%s %s: %s",
		    stage_names[stage], stage == ST_EXEC ? argv[0] :
		    stage == ST_CHDIR && dir ? dir : "", strerror(e));
		close(op[0]);
		while (waitpid(pid, NULL, 0) < 0 && errno == EINTR)
			;
		kill_group(pid);
		return -1;
	}
	res->started = 1;
	res->net_isolated = got >= 1 && st[0] == 'N';

	const long deadline = t0 + (long)lim->timeout_s * 1000;
	long grace_end = 0;
	int exited = 0, eof = 0, killed = 0;
	for (;;) {
		long now = now_ms();
		if (!killed && (sb_interrupted ||
		    (lim->timeout_s > 0 && now >= deadline))) {
			res->timed_out = !sb_interrupted;
			kill(-pid, SIGKILL);
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
