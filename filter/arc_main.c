/*
 * arc_main.c - the goerrfilt-archive command line: pack, add, list, get,
 * query and verify (see archive.h, docs/archive.md).  Each log's events are
 * found by the engine in-process, read exactly as goerrfilt reads a file
 * operand.  Exit 0 done (a match found), 1 nothing matched or no such log,
 * 2 trouble (a corrupt archive among it).
 */
#define _XOPEN_SOURCE 700
#include <errno.h>
#include <fcntl.h>
#include <ftw.h>
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "archive.h"
#include "input.h"
#include "json.h"
#include "match.h"
#include "rules.h"
#include "unwrap.h"

extern const unsigned char default_rules[];
extern const unsigned long default_rules_len;

static void
usage(FILE *f)
{
	fprintf(f,
"usage: goerrfilt-archive pack [-l level] [-b block-KiB] [-D dict-bytes] -o ARCHIVE LOG...|DIR...\n"
"       goerrfilt-archive add [-l level] [-b block-KiB] ARCHIVE LOG...|DIR...\n"
"       goerrfilt-archive list ARCHIVE\n"
"       goerrfilt-archive get ARCHIVE LOG\n"
"       goerrfilt-archive query ARCHIVE [--fingerprint F] [--class C] [--kind K]\n"
"                         [--phase P] [--pkg P] [--test T] [--logs | --group]\n"
"       goerrfilt-archive verify ARCHIVE\n"
"\n"
"Keeps failure logs zstd-compressed with a trained dictionary, with the\n"
"events goerrfilt finds in each as an index (docs/archive.md).\n");
}

/* --- the operands: files, and the regular files under directories ---------- */

static char **paths;
static size_t npaths, cappaths;

static void
path_add(const char *p)
{
	if (npaths == cappaths) {
		cappaths = cappaths ? cappaths * 2 : 256;
		paths = xrealloc(paths, cappaths * sizeof(*paths));
	}
	paths[npaths++] = xstrdup(p);
}

static int
walk_cb(const char *p, const struct stat *st, int type, struct FTW *ftw)
{
	if (type == FTW_F && S_ISREG(st->st_mode))
		path_add(p);
	return 0;
}

static int
cmp_str(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

/* Collects the operands; -1 after a message. */
static int
collect(char **argv, int argc)
{
	for (int i = 0; i < argc; i++) {
		struct stat st;
		if (stat(argv[i], &st) != 0) {
			warnx_("%s: %s", argv[i], strerror(errno));
			return -1;
		}
		if (!S_ISDIR(st.st_mode)) {
			path_add(argv[i]);
			continue;
		}
		size_t first = npaths;
		if (nftw(argv[i], walk_cb, 32, FTW_PHYS) != 0) {
			warnx_("%s: %s", argv[i], strerror(errno));
			return -1;
		}
		/* A directory's logs in name order, whatever readdir's order. */
		qsort(paths + first, npaths - first, sizeof(*paths), cmp_str);
	}
	return 0;
}

/* --- events of one log, by the engine ------------------------------------- */

struct evs {
	struct arc_wevent *ev;
	size_t n, cap;
	struct arena a;
};

static const int af_field[AF_NFIELDS] = {
	F_CLASS, F_KIND, F_PHASE, F_PKG, F_TESTNAME, F_FINGERPRINT, F_FILE, F_MSG,
};

static void
on_event(void *arg, struct event *ev)
{
	struct evs *e = arg;

	if (e->n == e->cap) {
		e->cap = e->cap ? e->cap * 2 : 16;
		e->ev = xrealloc(e->ev, e->cap * sizeof(*e->ev));
	}
	struct arc_wevent *w = &e->ev[e->n++];
	for (int f = 0; f < AF_NFIELDS; f++) {
		const char *s = ev->f[af_field[f]];
		w->s[f] = s ? arena_strndup(&e->a, s, strlen(s)) : NULL;
	}
	w->line = ev->f[F_LINE] ? (uint32_t)strtoul(ev->f[F_LINE], NULL, 10) : 0;
}

/* The file's bytes, appended to b; -1 after a message. */
static int
slurp(const char *path, struct buf *b)
{
	int fd = open(path, O_RDONLY);

	if (fd < 0) {
		warnx_("%s: %s", path, strerror(errno));
		return -1;
	}
	for (;;) {
		buf_reserve(b, 1 << 16);
		ssize_t r = read(fd, b->p + b->len, b->cap - b->len);
		if (r < 0 && errno == EINTR)
			continue;
		if (r < 0) {
			warnx_("%s: %s", path, strerror(errno));
			close(fd);
			return -1;
		}
		if (r == 0)
			break;
		b->len += (size_t)r;
	}
	close(fd);
	return 0;
}

static struct ruleset *
load_rules(void)
{
	match_init();
	struct ruleset *rs = rules_new();
	if (rules_add_builtin(rs, default_rules, default_rules_len) != 0 ||
	    rules_compile(rs, 0) != 0)
		die("the built-in rules do not load");
	return rs;
}

/* Adds every collected path to w; -1 after a message. */
static int
feed(struct arc_writer *w)
{
	struct ruleset *rs = load_rules();
	struct evs e = { 0 };
	struct buf b = { 0 };
	int rc = 0;

	for (size_t i = 0; i < npaths && rc == 0; i++) {
		const struct emit em = { on_event, NULL, &e, NULL };
		const struct in_opts io = { -1, 0, NULL, NULL, NULL };
		b.len = 0;
		e.n = 0;
		arena_reset(&e.a);
		if (slurp(paths[i], &b) != 0) {
			rc = -1;
			break;
		}
		/* As `goerrfilt LOG` reads it: the same input layer. */
		struct uw *u = uw_new(rs, &em);
		if (in_run(paths[i], u, &io) != 0)
			rc = -1;
		uw_end(u);
		uw_free(u);
		if (rc == 0)
			arc_writer_add(w, paths[i], b.p, b.len, e.ev, e.n);
	}
	buf_free(&b);
	free(e.ev);
	arena_free(&e.a);
	rules_free(rs);
	match_done();
	return rc;
}

struct wflags {
	struct arc_wopts o;
	const char *out;
};

static int
parse_wflags(int argc, char **argv, struct wflags *f)
{
	int c;

	f->o.level = 19;
	f->o.block_size = 1024 << 10;
	f->o.dict_size = 0;
	optind = 1;
	while ((c = getopt(argc, argv, "+o:l:b:D:")) != -1) {
		switch (c) {
		case 'o': f->out = optarg; break;
		case 'l': f->o.level = atoi(optarg); break;
		case 'b': f->o.block_size = (size_t)strtoul(optarg, NULL, 10) << 10; break;
		case 'D': f->o.dict_size = (size_t)strtoul(optarg, NULL, 10); break;
		default: usage(stderr); exit(2);
		}
	}
	if (f->o.level < 1 || f->o.level > 22 || f->o.block_size == 0)
		die("-l takes 1..%d, -b a positive size", 22);
	return optind;
}

static void
report(const char *verb, const char *path, const struct arc_wstats *st)
{
	fprintf(stderr, "%s: %s: %s %llu logs (%llu distinct, %.1f MB) in %llu "
	    "blocks, dictionary %llu bytes, archive %llu bytes\n", progname, path,
	    verb, (unsigned long long)st->logs, (unsigned long long)st->unique,
	    (double)st->bytes / 1e6, (unsigned long long)st->blocks,
	    (unsigned long long)st->dict, (unsigned long long)st->file);
}

static int
cmd_pack(int argc, char **argv)
{
	struct wflags f = { 0 };
	int i = parse_wflags(argc, argv, &f);

	if (f.out == NULL || i >= argc) {
		usage(stderr);
		return 2;
	}
	if (collect(argv + i, argc - i) != 0)
		return 2;
	struct arc_writer *w = arc_writer_new(f.out, NULL, &f.o);
	struct arc_wstats st;
	if (feed(w) != 0) {
		/* Nothing written: the writer writes only when finishing. */
		arc_writer_free(w);
		return 2;
	}
	if (arc_writer_finish(w, &st) != 0)
		return 2;
	report("packed", f.out, &st);
	return 0;
}

static int
cmd_add(int argc, char **argv)
{
	struct wflags f = { 0 };
	int i = parse_wflags(argc, argv, &f);

	if (i + 1 >= argc) {
		usage(stderr);
		return 2;
	}
	const char *path = argv[i++];
	if (collect(argv + i, argc - i) != 0)
		return 2;
	struct arc *a = arc_open(path);
	if (a == NULL)
		return 2;
	struct arc_writer *w = arc_writer_new(path, a, &f.o);
	struct arc_wstats st;
	int rc = 0;
	if (feed(w) != 0) {
		arc_writer_free(w);
		rc = 2;
	} else if (arc_writer_finish(w, &st) != 0) {
		rc = 2;
	} else {
		report("added", path, &st);
	}
	arc_close(a);
	return rc;
}

/* --- reading ------------------------------------------------------------------ */

static void
put_str(struct buf *o, const char *key, const struct arc *a, uint32_t ref)
{
	size_t n;
	const char *s = arc_str(a, ref, &n);

	if (s == NULL)
		return;
	buf_addc(o, ',');
	json_str(o, key, strlen(key));
	buf_addc(o, ':');
	json_str(o, s, n);
}

static void
put_num(struct buf *o, const char *key, uint64_t v)
{
	char t[64];

	snprintf(t, sizeof(t), ",\"%s\":%llu", key, (unsigned long long)v);
	buf_adds(o, t);
}

static int
flush_out(struct buf *o, int final)
{
	if (o->len >= (1 << 16) || (final && o->len > 0)) {
		if (fwrite(o->p, 1, o->len, stdout) != o->len)
			return -1;
		o->len = 0;
	}
	if (final && fflush(stdout) != 0)
		return -1;
	return 0;
}

static int
out_trouble(void)
{
	warnx_("stdout: %s", strerror(errno));
	return 2;
}

static int
cmd_list(struct arc *a)
{
	struct buf o = { 0 };
	int rc = 0;

	for (uint32_t i = 0; i < a->nlog && rc == 0; i++) {
		const struct arc_log *l = &a->log[i];
		buf_adds(&o, "{\"log\":");
		size_t n;
		const char *s = arc_str(a, l->name, &n);
		json_str(&o, s, n);
		put_num(&o, "size", l->size);
		put_num(&o, "events", l->nev);
		put_num(&o, "block", l->block);
		put_num(&o, "offset", l->off);
		char t[64];
		snprintf(t, sizeof(t), ",\"hash\":\"%016llx\"}\n",
		    (unsigned long long)l->hash);
		buf_adds(&o, t);
		if (flush_out(&o, 0) != 0)
			rc = out_trouble();
	}
	if (rc == 0 && flush_out(&o, 1) != 0)
		rc = out_trouble();
	buf_free(&o);
	return rc;
}

static int
cmd_get(struct arc *a, const char *name)
{
	long i = arc_find(a, name);

	if (i < 0) {
		warnx_("%s: no log %s", a->path, name);
		return 1;
	}
	int rc = arc_get(a, (uint32_t)i, STDOUT_FILENO);
	return rc == 0 ? 0 : 2;
}

enum { OPT_FP = 256, OPT_CLASS, OPT_KIND, OPT_PHASE, OPT_PKG, OPT_TEST,
	OPT_GROUP, OPT_LOGS };

static const struct option qopts[] = {
	{ "fingerprint", required_argument, NULL, OPT_FP },
	{ "class", required_argument, NULL, OPT_CLASS },
	{ "kind", required_argument, NULL, OPT_KIND },
	{ "phase", required_argument, NULL, OPT_PHASE },
	{ "pkg", required_argument, NULL, OPT_PKG },
	{ "test", required_argument, NULL, OPT_TEST },
	{ "group", no_argument, NULL, OPT_GROUP },
	{ "logs", no_argument, NULL, OPT_LOGS },
	{ NULL, 0, NULL, 0 },
};

static int
ev_match(const struct arc *a, const struct arc_ev *ev, const char *const *want)
{
	for (int f = 0; f < AF_NFIELDS; f++) {
		if (want[f] == NULL)
			continue;
		size_t n;
		const char *s = arc_str(a, ev->s[f], &n);
		if (s == NULL || n != strlen(want[f]) || memcmp(s, want[f], n) != 0)
			return 0;
	}
	return 1;
}

struct grp {
	uint32_t fp, first;             /* fingerprint ref, first event */
	uint64_t count, logs, order;
	uint32_t lastlog;
};

static int
cmp_grp(const void *x, const void *y)
{
	const struct grp *a = x, *b = y;

	if (a->count != b->count)
		return a->count > b->count ? -1 : 1;
	return a->order < b->order ? -1 : 1;
}

static int
cmd_query(struct arc *a, int argc, char **argv)
{
	const char *want[AF_NFIELDS] = { 0 };
	int group = 0, logs = 0, c;

	optind = 1;
	while ((c = getopt_long(argc, argv, "", qopts, NULL)) != -1) {
		switch (c) {
		case OPT_FP: want[AF_FINGERPRINT] = optarg; break;
		case OPT_CLASS: want[AF_CLASS] = optarg; break;
		case OPT_KIND: want[AF_KIND] = optarg; break;
		case OPT_PHASE: want[AF_PHASE] = optarg; break;
		case OPT_PKG: want[AF_PKG] = optarg; break;
		case OPT_TEST: want[AF_TEST] = optarg; break;
		case OPT_GROUP: group = 1; break;
		case OPT_LOGS: logs = 1; break;
		default: usage(stderr); return 2;
		}
	}
	if (optind != argc) {
		usage(stderr);
		return 2;
	}
	/* Groups by fingerprint reference: the writer stores a string once. */
	struct grp *g = NULL;
	size_t ng = 0, capg = 0, nslot = 1024;
	uint32_t *slot = group ? xcalloc(nslot, sizeof(*slot)) : NULL;
	struct buf o = { 0 };
	uint64_t matched = 0;
	int rc = 0;

	for (uint32_t li = 0; li < a->nlog && rc == 0; li++) {
		const struct arc_log *l = &a->log[li];
		uint64_t lm = 0;
		for (uint32_t k = 0; k < l->nev; k++) {
			const struct arc_ev *ev = &a->ev[l->ev0 + k];
			if (!ev_match(a, ev, want))
				continue;
			lm++;
			matched++;
			if (group) {
				if ((ng + 1) * 2 > nslot) {
					size_t n2 = nslot * 2;
					uint32_t *s2 = xcalloc(n2, sizeof(*s2));
					for (size_t i = 0; i < ng; i++) {
						size_t h = (g[i].fp * 2654435761u) & (n2 - 1);
						while (s2[h])
							h = (h + 1) & (n2 - 1);
						s2[h] = (uint32_t)i + 1;
					}
					free(slot);
					slot = s2;
					nslot = n2;
				}
				size_t h = (ev->s[AF_FINGERPRINT] * 2654435761u) & (nslot - 1);
				while (slot[h] && g[slot[h] - 1].fp != ev->s[AF_FINGERPRINT])
					h = (h + 1) & (nslot - 1);
				if (!slot[h]) {
					if (ng == capg) {
						capg = capg ? capg * 2 : 256;
						g = xrealloc(g, capg * sizeof(*g));
					}
					g[ng] = (struct grp){ ev->s[AF_FINGERPRINT],
					    l->ev0 + k, 0, 0, ng, UINT32_MAX };
					slot[h] = (uint32_t)++ng;
				}
				struct grp *gr = &g[slot[h] - 1];
				gr->count++;
				if (gr->lastlog != li) {
					gr->logs++;
					gr->lastlog = li;
				}
				continue;
			}
			if (logs)
				continue;
			buf_adds(&o, "{\"log\":");
			size_t n;
			const char *s = arc_str(a, l->name, &n);
			json_str(&o, s, n);
			put_num(&o, "event", k);
			for (int f = 0; f < AF_NFIELDS; f++)
				put_str(&o, arc_field_names[f], a, ev->s[f]);
			if (ev->line)
				put_num(&o, "line", ev->line);
			buf_adds(&o, "}\n");
		}
		if (logs && lm > 0) {
			buf_adds(&o, "{\"log\":");
			size_t n;
			const char *s = arc_str(a, l->name, &n);
			json_str(&o, s, n);
			put_num(&o, "size", l->size);
			put_num(&o, "events", lm);
			buf_adds(&o, "}\n");
		}
		if (flush_out(&o, 0) != 0)
			rc = out_trouble();
	}
	if (group && rc == 0) {
		qsort(g, ng, sizeof(*g), cmp_grp);
		for (size_t i = 0; i < ng && rc == 0; i++) {
			const struct arc_ev *ev = &a->ev[g[i].first];
			size_t n;
			const char *s = arc_str(a, g[i].fp, &n);
			buf_adds(&o, "{\"group\":");
			json_str(&o, s ? s : "", n);
			put_num(&o, "count", g[i].count);
			put_num(&o, "logs", g[i].logs);
			put_str(&o, "class", a, ev->s[AF_CLASS]);
			put_str(&o, "kind", a, ev->s[AF_KIND]);
			put_str(&o, "msg", a, ev->s[AF_MSG]);
			buf_adds(&o, "}\n");
			if (flush_out(&o, 0) != 0)
				rc = out_trouble();
		}
	}
	if (rc == 0 && flush_out(&o, 1) != 0)
		rc = out_trouble();
	buf_free(&o);
	free(g);
	free(slot);
	return rc != 0 ? rc : matched > 0 ? 0 : 1;
}

int
main(int argc, char **argv)
{
	progname = "goerrfilt-archive";
	if (argc < 2) {
		usage(stderr);
		return 2;
	}
	const char *cmd = argv[1];
	if (strcmp(cmd, "-h") == 0 || strcmp(cmd, "--help") == 0) {
		usage(stdout);
		return 0;
	}
	int rc;
	if (strcmp(cmd, "pack") == 0) {
		rc = cmd_pack(argc - 1, argv + 1);
	} else if (strcmp(cmd, "add") == 0) {
		rc = cmd_add(argc - 1, argv + 1);
	} else if (strcmp(cmd, "list") == 0 || strcmp(cmd, "get") == 0 ||
	    strcmp(cmd, "query") == 0 || strcmp(cmd, "verify") == 0) {
		const int need = strcmp(cmd, "get") == 0 ? 4 : 3;
		if (argc < need || (strcmp(cmd, "query") != 0 && argc != need)) {
			usage(stderr);
			return 2;
		}
		struct arc *a = arc_open(argv[2]);
		if (a == NULL)
			return 2;
		if (strcmp(cmd, "list") == 0)
			rc = cmd_list(a);
		else if (strcmp(cmd, "get") == 0)
			rc = cmd_get(a, argv[3]);
		else if (strcmp(cmd, "query") == 0)
			rc = cmd_query(a, argc - 2, argv + 2);
		else if ((rc = arc_verify(a) == 0 ? 0 : 2) == 0)
			fprintf(stderr, "%s: %s: ok, %u logs, %u events, %u blocks\n",
			    progname, a->path, a->nlog, a->nev, a->nblk);
		arc_close(a);
	} else {
		warnx_("unknown command '%s'", cmd);
		usage(stderr);
		rc = 2;
	}
	for (size_t i = 0; i < npaths; i++)
		free(paths[i]);
	free(paths);
	return rc;
}
