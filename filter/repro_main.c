/*
 * repro_main.c - goerrfilt-repro's command line: builds and runs crash
 * cases (cases/NN-name/, or a user's own case folder) with one or more Go
 * toolchains, each in a fresh temporary directory and a scrubbed, pinned
 * environment under the limits of sandbox.c, classifies every run with
 * the engine goerrfilt uses, and writes one JSON report line per (case,
 * toolchain) as SPEC section 6 says, or a Markdown bug report in the Go
 * issue tracker's form.
 *
 * The parts: manifest.c (case.conf), gover.c (Go versions), goenv.c (go
 * env values, the baseline), casetree.c (the temporary directory),
 * runenv.c (the environment of a run), repro_run.c (running a case on a
 * toolchain, classification), repro_report.c (the report line,
 * --save-output), bugreport.c (--bug-report), sandbox.c (one command
 * under limits), fsiso.c (the file system a command sees).
 *
 * Exit status: 0 every case reproduced as its manifest promises, 1 some
 * case did not, 2 trouble (a bad manifest, a toolchain that cannot run).
 */
#include <errno.h>
#include <fcntl.h>
#include <getopt.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "bugreport.h"
#include "fsiso.h"
#include "goenv.h"
#include "manifest.h"
#include "match.h"
#include "repro_report.h"
#include "repro_run.h"
#include "rules.h"
#include "sandbox.h"

#define VERSION "0.1.0"
#define NOBODY 65534

extern const unsigned char default_rules[];
extern const unsigned long default_rules_len;

static void
usage(FILE *f)
{
	fprintf(f,
"usage: goerrfilt-repro [--runs N] [--go PATH]... [--baseline FILE] [-o FILE]\n"
"                       [--bug-report] [-r rules]... [--keep] case-dir...\n"
"\n"
"Builds and runs each case folder (sources + case.conf) with each Go\n"
"toolchain in a fresh temporary directory under resource limits, classifies\n"
"the output with goerrfilt's engine and writes one JSON report line per\n"
"(case, toolchain).\n"
"\n"
"  --runs N          runs per case and toolchain (default 5)\n"
"  --go PATH         a go command; repeat for several (default: go in PATH)\n"
"  --baseline FILE   report differences of go env from FILE (a report line\n"
"                    or the output of go env -json)\n"
"  -o, --output FILE write the report there (default: stdout)\n"
"      --save-output DIR  write each case's output (of the run the report\n"
"                    keeps) to DIR/CASE.log, with DIR/CASE.meta\n"
"  --bug-report      print a Markdown issue for every case that reproduces\n"
"                    on stdout (the JSON report then goes only to -o)\n"
"  -r, --rules FILE  add a rule file, before the default rules\n"
"  --mem MB          address-space limit per process (default 2048)\n"
"  --max-procs N     process limit (default 256 per CPU, at least 1024)\n"
"  --max-file MB     file size limit (default 1024)\n"
"  --keep            keep the temporary directories\n"
"  --fs-isolation L  auto (default: a read-only mount namespace, else\n"
"                    Landlock, else none), landlock or none\n"
"  -h, --help        this text\n"
"  -V, --version     the version\n"
"\n"
"Exit status: 0 every case reproduced as its manifest promises, 1 some did\n"
"not, 2 trouble.\n");
}

enum { OPT_RUNS = 256, OPT_SAVE, OPT_GO, OPT_BASE, OPT_BUG, OPT_KEEP, OPT_MEM,
    OPT_PROCS, OPT_FILE, OPT_FSISO };

static const struct option longopts[] = {
	{ "runs", required_argument, NULL, OPT_RUNS },
	{ "go", required_argument, NULL, OPT_GO },
	{ "baseline", required_argument, NULL, OPT_BASE },
	{ "output", required_argument, NULL, 'o' },
	{ "bug-report", no_argument, NULL, OPT_BUG },
	{ "rules", required_argument, NULL, 'r' },
	{ "keep", no_argument, NULL, OPT_KEEP },
	{ "save-output", required_argument, NULL, OPT_SAVE },
	{ "mem", required_argument, NULL, OPT_MEM },
	{ "max-procs", required_argument, NULL, OPT_PROCS },
	{ "max-file", required_argument, NULL, OPT_FILE },
	{ "fs-isolation", required_argument, NULL, OPT_FSISO },
	{ "help", no_argument, NULL, 'h' },
	{ "version", no_argument, NULL, 'V' },
	{ NULL, 0, NULL, 0 },
};

static long
num_arg(const char *opt, const char *s, long lo, long hi)
{
	long v;

	if (parse_long(s, lo, hi, &v) != 0)
		die("%s: '%s' is not a number from %ld to %ld", opt, s, lo, hi);
	return v;
}

/* An absolute path for the go command: as given, or found in PATH. */
static char *
find_go(const char *name)
{
	char buf[PATH_MAX];

	if (strchr(name, '/') != NULL) {
		if (realpath(name, buf) == NULL)
			die("%s: %s", name, strerror(errno));
		if (access(buf, X_OK) != 0)
			die("%s: not executable", name);
		/* Keep the bin/ name: a symlink farm may point elsewhere. */
		if (name[0] == '/')
			return xstrdup(name);
		return xstrdup(buf);
	}
	const char *path = getenv("PATH");
	char *dup = xstrdup(path ? path : "/usr/bin:/bin"), *sv = NULL;
	for (char *d = strtok_r(dup, ":", &sv); d; d = strtok_r(NULL, ":", &sv)) {
		char *cand = xasprintf("%s/%s", *d ? d : ".", name);
		if (access(cand, X_OK) == 0 && realpath(cand, buf) != NULL) {
			free(cand);
			free(dup);
			return xstrdup(buf);
		}
		free(cand);
	}
	free(dup);
	die("no %s in PATH; name one with --go", name);
}

/*
 * The folder a toolchain needs: GOROOT for .../bin/go, else go's own
 * folder, for the command as given and for where it leads (a symlink farm
 * may point elsewhere), canonical.  The sandbox keeps those that its
 * private /tmp (say) would hide (fsiso.h).
 */
static const char **
keep_dirs(char *const *gos, int ngo, int *n)
{
	const char **v = xcalloc((size_t)ngo * 2 + 1, sizeof(*v));

	*n = 0;
	for (int i = 0; i < ngo; i++)
		for (int k = 0; k < 2; k++) {
			char *p = k == 0 ? xstrdup(gos[i]) : realpath(gos[i], NULL);
			char *slash = p ? strrchr(p, '/') : NULL;
			if (slash != NULL && slash != p) {
				*slash = '\0';
				char *up = strrchr(p, '/');
				if (up != NULL && up != p && strcmp(up, "/bin") == 0)
					*up = '\0';
				char *real = realpath(p, NULL);
				int dup = real == NULL;
				for (int j = 0; j < *n && !dup; j++)
					dup = strcmp(v[j], real) == 0;
				if (dup)
					free(real);
				else
					v[(*n)++] = real;
			}
			free(p);
		}
	return v;
}

/*
 * --save-output's folder, opened once before any run: every file is made
 * relative to it, and the folder itself must not be a symbolic link (a
 * trailing slash would make open follow one).
 */
static int
open_save_dir(const char *dir)
{
	char *d = xstrdup(dir);
	size_t n = strlen(d);
	struct stat st;

	while (n > 1 && d[n - 1] == '/')
		d[--n] = '\0';
	int fd = open(d, O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC);
	if (fd < 0) {
		int e = errno;
		if (lstat(d, &st) == 0 && S_ISLNK(st.st_mode))
			die("--save-output %s: a symbolic link; name the folder "
			    "it points to", dir);
		die("--save-output %s: %s", dir, strerror(e));
	}
	free(d);
	return fd;
}

int
main(int argc, char **argv)
{
	struct repro_opts op = { 0 };
	const char **rulefiles = NULL;
	int nrules = 0, ch, trouble = 0, broken = 0;

	progname = "goerrfilt-repro";
	op.runs = 5;
	op.mem_mb = 2048;
	op.max_file_mb = 1024;
	op.ncpus = ncpus();
	op.max_procs = 256L * op.ncpus < 1024 ? 1024 : 256L * op.ncpus;
	op.fs_iso = FSISO_MOUNT;
	op.save_fd = -1;
	while ((ch = getopt_long(argc, argv, "o:r:hV", longopts, NULL)) != -1) {
		switch (ch) {
		case OPT_RUNS: op.runs = (int)num_arg("--runs", optarg, 1, 10000); break;
		case OPT_GO:
			op.gos = xrealloc(op.gos, (size_t)(op.ngo + 1) * sizeof(*op.gos));
			op.gos[op.ngo++] = optarg;
			break;
		case OPT_BASE: op.baseline = optarg; break;
		case 'o': op.outpath = optarg; break;
		case OPT_BUG: op.bug_report = 1; break;
		case 'r':
			rulefiles = xrealloc(rulefiles,
			    (size_t)(nrules + 1) * sizeof(*rulefiles));
			rulefiles[nrules++] = optarg;
			break;
		case OPT_KEEP: op.keep = 1; break;
		case OPT_SAVE: op.save_dir = optarg; break;
		case OPT_MEM: op.mem_mb = num_arg("--mem", optarg, 0, 1L << 30); break;
		case OPT_PROCS:
			op.max_procs = num_arg("--max-procs", optarg, 0, 1L << 30);
			break;
		case OPT_FILE:
			op.max_file_mb = num_arg("--max-file", optarg, 0, 1L << 30);
			break;
		case OPT_FSISO:
			if ((op.fs_iso = fsiso_parse(optarg)) < 0)
				die("--fs-isolation: '%s' is not auto, landlock or "
				    "none", optarg);
			break;
		case 'h': usage(stdout); return 0;
		case 'V': printf("goerrfilt-repro %s\n", VERSION); return 0;
		default:
			usage(stderr);
			return 2;
		}
	}
	argc -= optind;
	argv += optind;
	if (argc == 0) {
		usage(stderr);
		free(op.gos);
		free(rulefiles);
		return 2;
	}

	/* Everything that can fail on the command line fails before any run. */
	if (op.baseline != NULL) {
		if (goenv_load_baseline(op.baseline, op.base_env) != 0) {
			free(op.gos);
			free(rulefiles);
			return 2;
		}
		op.have_base = 1;
	}
	char **gos = xcalloc((size_t)(op.ngo ? op.ngo : 1), sizeof(*gos));
	int ngo = op.ngo ? op.ngo : 1;
	for (int i = 0; i < ngo; i++)
		gos[i] = find_go(op.ngo ? op.gos[i] : "go");
	free(op.gos);
	const char **keep = keep_dirs(gos, ngo, &op.nkeep);
	op.keep_dirs = keep;
	if (op.save_dir != NULL)
		op.save_fd = open_save_dir(op.save_dir);
	struct case_manifest *ms = xcalloc((size_t)argc, sizeof(*ms));
	for (int i = 0; i < argc; i++)
		trouble |= manifest_load(argv[i], &ms[i]) != 0;

	match_init();
	struct ruleset *rs = rules_new();
	int errors = 0;
	for (int i = 0; i < nrules; i++)
		errors += rules_add_file(rs, rulefiles[i]);
	free(rulefiles);
	errors += rules_add_builtin(rs, default_rules, default_rules_len);
	errors += rules_compile(rs, nrules > 0);
	if (errors > 0)
		die("%d error%s in the rules", errors, errors == 1 ? "" : "s");

	op.tmpbase = getenv("TMPDIR") && *getenv("TMPDIR") ? getenv("TMPDIR") : "/tmp";
	op.progress = isatty(STDERR_FILENO);
	op.uid = (uid_t)-1;
	op.gid = (gid_t)-1;
	/* RLIMIT_NPROC does not bind root: the cases run as nobody. */
	if (geteuid() == 0) {
		int ok = 1;
		for (int i = 0; i < ngo; i++)
			ok &= sb_can_exec_as(gos[i], NOBODY, NOBODY);
		if (ok) {
			op.uid = NOBODY;
			op.gid = NOBODY;
		} else {
			warnx_("warning: uid %d cannot run the toolchain; cases run as "
			    "root, where the process limit does not hold", NOBODY);
		}
	}
	sb_init();

	FILE *out = stdout, *md = NULL;
	if (op.bug_report) {
		md = stdout;
		out = NULL;
	}
	if (op.outpath != NULL && (out = fopen(op.outpath, "w")) == NULL)
		die("%s: %s", op.outpath, strerror(errno));

	struct repro_ctx c = { 0 };
	struct buf line = { 0 };
	c.op = &op;
	c.rs = rs;
	c.total = argc * ngo;
	for (int i = 0; i < argc && !sb_interrupted; i++) {
		struct case_manifest *m = &ms[i];
		if (m->errors > 0)
			continue; /* reported when it was read */
		struct outcome *os = xcalloc((size_t)ngo, sizeof(*os));
		for (int t = 0; t < ngo && !sb_interrupted; t++) {
			os[t].m = m;
			os[t].go = gos[t];
			c.idx = i * ngo + t + 1;
			if (run_case(&c, &os[t]) != 0) {
				warnx_("%s with %s: %s", m->name, gos[t],
				    os[t].note ? os[t].note : "failed");
				trouble = 1;
			}
		}
		struct versions vs;
		const char *stops = versions_of(os, ngo, &vs);
		for (int t = 0; t < ngo && !sb_interrupted; t++) {
			if (os[t].as_promised == 0)
				broken = 1;
			if (out != NULL) {
				report_line(&line, &op, &os[t], &vs, stops);
				fwrite(line.p, 1, line.len, out);
				fflush(out);
			}
			if (md != NULL && os[t].reproduces)
				bug_report(md, &os[t], &vs, stops);
			if (op.save_dir != NULL && save_output(&op, &os[t]) != 0)
				trouble = 1;
		}
		free(vs.v);
		for (int t = 0; t < ngo; t++)
			outcome_free(&os[t]);
		free(os);
	}
	if (sb_interrupted) {
		warnx_("interrupted");
		trouble = 1;
	}
	if (out != NULL && out != stdout && fclose(out) != 0) {
		warnx_("%s: %s", op.outpath, strerror(errno));
		trouble = 1;
	}
	if (fflush(stdout) != 0)
		trouble = 1;

	repro_ctx_free(&c);
	buf_free(&line);
	for (int i = 0; i < argc; i++)
		manifest_free(&ms[i]);
	free(ms);
	for (int i = 0; i < ngo; i++)
		free(gos[i]);
	free(gos);
	for (int i = 0; i < op.nkeep; i++)
		free((char *)keep[i]);
	free(keep);
	if (op.save_fd >= 0)
		close(op.save_fd);
	for (int i = 0; i < GOENV_N; i++)
		free(op.base_env[i]);
	rules_free(rs);
	match_done();
	return trouble ? 2 : broken ? 1 : 0;
}

