/*
 * main.c - the goerrfilt command line: options, the rule set, the input
 * files, the output format; exit 0 when failures were found, 1 when none,
 * 2 on trouble.
 */
#include <ctype.h>
#include <errno.h>
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "decode.h"
#include "engine.h"
#include "fwdnet.h"
#include "group.h"
#include "input.h"
#include "json.h"
#include "match.h"
#include "mpk.h"
#include "output.h"
#include "prefilter.h"
#include "report.h"
#include "rules.h"
#include "text.h"
#include "unwrap.h"

#define VERSION "0.1.0"

extern const unsigned char default_rules[];
extern const unsigned long default_rules_len;

enum fmt {
	FMT_JSON, FMT_MSGPACK, FMT_TEXT, FMT_FORWARD, FMT_RDJSONL,
	/* reports: written once every event is in */
	FMT_GITHUB, FMT_MARKDOWN, FMT_JUNIT, FMT_GITLAB,
};

#define LABELS_MAX 32

static const char *const fmt_names[] = {
	"json", "msgpack", "text", "forward", "rdjsonl", "github", "markdown", "junit",
	"gitlab", NULL,
};

struct app {
	enum fmt fmt;
	struct sink *sink;
	struct buf out;
	uint64_t seq, events;
	int colour;
	struct group_set *groups;   /* --group */
	struct evlist report;       /* the events of a report format */
	struct ci_env env;
	struct sink *evsink;        /* --events: JSON Lines besides the report */
	struct buf evout;
	const char *src;            /* the named input being read, or NULL */
	const char *label_k[LABELS_MAX], *label_v[LABELS_MAX];  /* --label */
	int nlabel;
	struct fwdnet *fwd;         /* -f forward */
};

/*
 * --label k=v, in place: k as a pipeline's field name can be (a letter or
 * '_', then letters, digits, '_', '.', '-'); a later k replaces an earlier.
 */
static int
add_label(struct app *a, char *kv)
{
	char *eq = strchr(kv, '=');
	size_t n = eq != NULL ? (size_t)(eq - kv) : 0;

	if (n == 0 || !(isalpha((unsigned char)kv[0]) || kv[0] == '_') ||
	    strspn(kv, "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ"
	    "0123456789_.-") != n) {
		warnx_("--label %s: want KEY=VALUE, KEY of letters, digits, "
		    "'_', '.' and '-'", kv);
		return -1;
	}
	*eq = '\0';
	for (int i = 0; i < a->nlabel; i++)
		if (strcmp(a->label_k[i], kv) == 0) {
			a->label_v[i] = eq + 1;
			return 0;
		}
	if (a->nlabel == LABELS_MAX) {
		warnx_("--label %s: at most %d labels", kv, LABELS_MAX);
		return -1;
	}
	a->label_k[a->nlabel] = kv;
	a->label_v[a->nlabel++] = eq + 1;
	return 0;
}

static enum fmt
fmt_lookup(const char *name)
{
	for (int i = 0; fmt_names[i] != NULL; i++)
		if (strcmp(name, fmt_names[i]) == 0)
			return (enum fmt)i;
	die("unknown format '%s' (json, msgpack, text, forward, github, markdown, "
	    "junit, rdjsonl, gitlab)", name);
}

static void
usage(FILE *f)
{
	fprintf(f,
"usage: goerrfilt [-p] [-f format] [-o file[.zst]] [--events file] [-r rules]...\n"
"                 [--group] [--prefix regex] [--tee] [--force] [--no-default-rules]\n"
"                 [--forward unix:PATH|tcp:HOST:PORT] [--tag TAG] [file ...]\n"
"       goerrfilt --decode [-f format] [-o file] file|- ...\n"
"       goerrfilt --check-rules [--no-default-rules] [file ...]\n"
"       goerrfilt --compile-rules -o bundle [--no-default-rules] [file ...]\n"
"\n"
"Reads Go build logs, test output and crash output (plain, zstd, or go\n"
"-json streams) and writes one event per failure.\n"
"\n"
"  -f, --format FMT       json (default), msgpack, text, forward (Fluent\n"
"                         Forward messages); CI reports: github,\n"
"                         markdown, junit, rdjsonl, gitlab\n"
"  -o, --output FILE      write there; a .zst name is zstd-compressed\n"
"      --events FILE      also write the events as JSON Lines to FILE\n"
"      --label KEY=VALUE  add KEY: VALUE to every event's labels (repeatable)\n"
"  -r, --rules FILE       add a rule file or bundle, before the default rules\n"
"      --no-default-rules use only the -r rules\n"
"  -p, --passthrough      also write every unclassified line (as a {text}\n"
"                         record in json/msgpack, as is in text)\n"
"      --tee              copy the input to stderr unchanged\n"
"      --force            write msgpack to a terminal\n"
"      --tag TAG          -f forward's tag (goerrfilt)\n"
"      --forward ADDR     send -f forward to a collector: unix:PATH or\n"
"                         tcp:HOST:PORT (implies -f forward)\n"
"      --forward-batch N  events per message (100)\n"
"      --forward-flush-ms N  send a partial batch after N ms idle (1000)\n"
"      --forward-buffer N events held while the collector is away (10000;\n"
"                         newer ones are dropped and counted)\n"
"      --forward-ack      ask for acks; resend what is not acknowledged\n"
"      --forward-timeout S  wait up to S s after the input for delivery (10)\n"
"      --decode           read msgpack or forward streams, write events\n"
"      --idle-ms N        end an open block after N ms without input (250)\n"
"      --group            one record per fingerprint (count, first and last\n"
"                         line) instead of one per event, most frequent first\n"
"      --prefix REGEX     remove REGEX's match from the start of every line\n"
"                         (default: learned per line, see the README)\n"
"      --check-rules      compile the rules, run every sample, report\n"
"      --compile-rules    write the rule set as a bundle to -o\n"
"      --print-literals   print the rule set's prefilter literals\n"
"      --stats            print line, candidate and regex counts to stderr\n"
"  -h, --help             this text\n"
"  -V, --version          the version\n");
}

static void
emit_event(void *arg, struct event *ev)
{
	struct app *a = arg;

	a->events++;
	if (ev->f[F_SRC] == NULL)
		ev->f[F_SRC] = a->src;
	/* A decoded event keeps its own labels unless --label gives others. */
	if (a->nlabel > 0 || ev->nlabel == 0) {
		ev->label_k = a->label_k;
		ev->label_v = a->label_v;
		ev->nlabel = a->nlabel;
	}
	if (a->groups != NULL) {
		group_add(a->groups, ev);
		return;
	}
	ev->seq = ++a->seq;
	if (a->evsink != NULL) {
		a->evout.len = 0;
		json_event(&a->evout, ev);
		sink_write(a->evsink, a->evout.p, a->evout.len);
		sink_event_done(a->evsink);
	}
	a->out.len = 0;
	switch (a->fmt) {
	case FMT_JSON: json_event(&a->out, ev); break;
	case FMT_MSGPACK: mpk_event(&a->out, ev); break;
	case FMT_FORWARD:
		mpk_event(&a->out, ev);
		fwdnet_add(a->fwd, a->out.p, a->out.len, ev->f[F_TIME]);
		return;
	case FMT_TEXT: text_event(&a->out, ev, a->colour); break;
	case FMT_RDJSONL: ci_rdjsonl(&a->out, ev, &a->env); break;
	default:
		evlist_add(&a->report, ev);
		return;
	}
	sink_write(a->sink, a->out.p, a->out.len);
	sink_event_done(a->sink);
}

/*
 * Appends the Markdown summary to $GITHUB_STEP_SUMMARY, where GitHub shows
 * it on the run's page.  A run without failures adds nothing, as it adds
 * no annotation.
 */
static int
write_step_summary(struct app *a)
{
	const char *path = a->env.step_summary;

	if (a->report.n == 0 && a->report.dropped == 0)
		return 0;
	a->out.len = 0;
	ci_markdown(&a->out, &a->report, &a->env);
	FILE *f = fopen(path, "a");
	if (f == NULL) {
		warnx_("GITHUB_STEP_SUMMARY %s: %s", path, strerror(errno));
		return -1;
	}
	const int bad = fwrite(a->out.p, 1, a->out.len, f) != a->out.len;
	if (fclose(f) != 0 || bad) {
		warnx_("GITHUB_STEP_SUMMARY %s: %s", path, strerror(errno));
		return -1;
	}
	return 0;
}

/* A report format's output, once every event is in; -1 on trouble. */
static void
emit_result(void *arg, const struct test_result *r)
{
	struct app *a = arg;

	if (a->fmt == FMT_JUNIT)
		evlist_result(&a->report, r);
}

static int
write_report(struct app *a)
{
	int rc = 0;

	a->out.len = 0;
	switch (a->fmt) {
	case FMT_GITHUB: ci_github(&a->out, &a->report, &a->env); break;
	case FMT_MARKDOWN: ci_markdown(&a->out, &a->report, &a->env); break;
	case FMT_JUNIT: ci_junit(&a->out, &a->report, &a->env); break;
	case FMT_GITLAB: ci_gitlab(&a->out, &a->report, &a->env); break;
	default: return 0;
	}
	sink_write(a->sink, a->out.p, a->out.len);
	if (a->fmt == FMT_GITHUB && a->env.step_summary != NULL)
		rc = write_step_summary(a);
	if (a->report.dropped > 0)
		warnx_("-f %s: %llu events past the report's bound of %d events "
		    "(%u MB) are not in it", fmt_names[a->fmt],
		    (unsigned long long)a->report.dropped, REPORT_MAX,
		    REPORT_BYTES >> 20);
	if (a->report.res_dropped > 0)
		warnx_("-f %s: %llu passed or skipped tests past the report's "
		    "bound of %d are not in it", fmt_names[a->fmt],
		    (unsigned long long)a->report.res_dropped, REPORT_RESULTS);
	return rc;
}

static void
emit_raw(void *arg, const struct rawline *rl)
{
	struct app *a = arg;

	a->out.len = 0;
	switch (a->fmt) {
	case FMT_JSON: json_rawline(&a->out, ++a->seq, rl); break;
	case FMT_MSGPACK: mpk_rawline(&a->out, ++a->seq, rl); break;
	case FMT_FORWARD:
		mpk_rawline(&a->out, ++a->seq, rl);
		fwdnet_add(a->fwd, a->out.p, a->out.len, NULL);
		return;
	case FMT_TEXT:
		buf_add(&a->out, rl->text, rl->len);
		buf_addc(&a->out, '\n');
		break;
	default:
		return;
	}
	sink_write(a->sink, a->out.p, a->out.len);
}

static void
write_groups(struct app *a)
{
	size_t n;
	uint64_t dropped;
	const struct group *g = group_sorted(a->groups, &n, &dropped);

	for (size_t i = 0; i < n; i++) {
		a->out.len = 0;
		switch (a->fmt) {
		case FMT_JSON: group_json(&a->out, ++a->seq, &g[i]); break;
		case FMT_MSGPACK: mpk_group(&a->out, ++a->seq, &g[i]); break;
		case FMT_FORWARD:
			mpk_group(&a->out, ++a->seq, &g[i]);
			fwdnet_add(a->fwd, a->out.p, a->out.len, NULL);
			continue;
		default: group_text(&a->out, &g[i], a->colour); break;
		}
		sink_write(a->sink, a->out.p, a->out.len);
	}
	if (dropped > 0)
		warnx_("--group: %llu events beyond %d distinct fingerprints not grouped",
		    (unsigned long long)dropped, GROUP_MAX);
}

/*
 * Output that silence should write: a -f forward partial batch, or events
 * still in the sink's buffer (so that one written to a file reaches it
 * while the input is live).
 */
static int
out_waiting(void *arg)
{
	const struct app *a = arg;

	return (a->fwd != NULL && fwdnet_waiting(a->fwd)) || sink_pending(a->sink);
}

static void
idle_flush(void *arg)
{
	struct app *a = arg;

	if (a->fwd != NULL)
		fwdnet_idle(a->fwd);
	sink_flush(a->sink);
}

enum {
	OPT_CHECK = 256, OPT_COMPILE, OPT_NODEF, OPT_TEE, OPT_FORCE,
	OPT_LITERALS, OPT_STATS, OPT_IDLE, OPT_PREFIX, OPT_GROUP, OPT_EVENTS,
	OPT_LABEL,
	OPT_TAG, OPT_FORWARD, OPT_FWD_BATCH, OPT_FWD_FLUSH, OPT_FWD_BUFFER,
	OPT_FWD_ACK, OPT_FWD_TIMEOUT, OPT_DECODE,
};

static const struct option longopts[] = {
	{ "format", required_argument, NULL, 'f' },
	{ "output", required_argument, NULL, 'o' },
	{ "rules", required_argument, NULL, 'r' },
	{ "passthrough", no_argument, NULL, 'p' },
	{ "help", no_argument, NULL, 'h' },
	{ "version", no_argument, NULL, 'V' },
	{ "check-rules", no_argument, NULL, OPT_CHECK },
	{ "compile-rules", no_argument, NULL, OPT_COMPILE },
	{ "no-default-rules", no_argument, NULL, OPT_NODEF },
	{ "tee", no_argument, NULL, OPT_TEE },
	{ "force", no_argument, NULL, OPT_FORCE },
	{ "print-literals", no_argument, NULL, OPT_LITERALS },
	{ "stats", no_argument, NULL, OPT_STATS },
	{ "idle-ms", required_argument, NULL, OPT_IDLE },
	{ "prefix", required_argument, NULL, OPT_PREFIX },
	{ "group", no_argument, NULL, OPT_GROUP },
	{ "events", required_argument, NULL, OPT_EVENTS },
	{ "label", required_argument, NULL, OPT_LABEL },
	{ "tag", required_argument, NULL, OPT_TAG },
	{ "forward", required_argument, NULL, OPT_FORWARD },
	{ "forward-batch", required_argument, NULL, OPT_FWD_BATCH },
	{ "forward-flush-ms", required_argument, NULL, OPT_FWD_FLUSH },
	{ "forward-buffer", required_argument, NULL, OPT_FWD_BUFFER },
	{ "forward-ack", no_argument, NULL, OPT_FWD_ACK },
	{ "forward-timeout", required_argument, NULL, OPT_FWD_TIMEOUT },
	{ "decode", no_argument, NULL, OPT_DECODE },
	{ NULL, 0, NULL, 0 },
};

int
main(int argc, char **argv)
{
	struct app a = { 0 };
	const char *outpath = NULL, *eventspath = NULL;
	const char **rulefiles = NULL;
	int nrules = 0, check = 0, compile = 0, nodef = 0, tee = 0, force = 0;
	int literals = 0, stats = 0, passthrough = 0, idle_ms = 250, ch;
	const char *prefix = NULL;
	int group = 0, decode = 0;
	struct fwdnet_opts fo = { NULL, NULL, FWDNET_BATCH, FWDNET_FLUSH_MS,
	    FWDNET_BUFFER, 0, FWDNET_TIMEOUT_S, 0 };
	struct rule prefix_rule = { 0 };
	int status = 1;

	while ((ch = getopt_long(argc, argv, "f:o:r:phV", longopts, NULL)) != -1) {
		switch (ch) {
		case 'f':
			a.fmt = fmt_lookup(optarg);
			break;
		case OPT_EVENTS: eventspath = optarg; break;
		case OPT_LABEL:
			if (add_label(&a, optarg) != 0)
				return 2;
			break;
		case 'o': outpath = optarg; break;
		case 'r':
			rulefiles = xrealloc(rulefiles,
			    (size_t)(nrules + 1) * sizeof(*rulefiles));
			rulefiles[nrules++] = optarg;
			break;
		case 'p': passthrough = 1; break;
		case 'h': usage(stdout); return 0;
		case 'V': printf("goerrfilt %s\n", VERSION); return 0;
		case OPT_CHECK: check = 1; break;
		case OPT_COMPILE: compile = 1; break;
		case OPT_NODEF: nodef = 1; break;
		case OPT_TEE: tee = 1; break;
		case OPT_FORCE: force = 1; break;
		case OPT_LITERALS: literals = 1; break;
		case OPT_STATS: stats = 1; break;
		case OPT_IDLE: idle_ms = atoi(optarg); break;
		case OPT_PREFIX: prefix = optarg; break;
		case OPT_GROUP: group = 1; break;
		case OPT_TAG: fo.tag = optarg; break;
		case OPT_FORWARD:
			fo.target = optarg;
			a.fmt = FMT_FORWARD;
			break;
		case OPT_FWD_BATCH: fo.batch = atoi(optarg); break;
		case OPT_FWD_FLUSH: fo.flush_ms = atoi(optarg); break;
		case OPT_FWD_BUFFER: fo.buffer = atoi(optarg); break;
		case OPT_FWD_ACK: fo.ack = 1; break;
		case OPT_FWD_TIMEOUT: fo.timeout_s = atoi(optarg); break;
		case OPT_DECODE: decode = passthrough = 1; break;
		default:
			usage(stderr);
			return 2;
		}
	}
	argc -= optind;
	argv += optind;

	match_init();
	struct ruleset *rs = rules_new();
	int errors = 0;
	/* Under --check-rules and --compile-rules the operands are rule files. */
	if (check || compile) {
		for (int i = 0; i < argc; i++)
			errors += rules_add_file(rs, argv[i]);
		argc = 0;
	}
	for (int i = 0; i < nrules; i++)
		errors += rules_add_file(rs, rulefiles[i]);
	/* The built-in rules were checked when they were built. */
	int ncheck = rs->n;
	if (!nodef && !((check || compile) && rs->n > 0 && nrules == 0))
		errors += rules_add_builtin(rs, default_rules, default_rules_len);
	free(rulefiles);
	if ((check || compile) && ncheck == 0)
		ncheck = rs->n;
	errors += rules_compile(rs, ncheck);
	if (errors > 0) {
		warnx_("%d error%s in the rules", errors, errors == 1 ? "" : "s");
		status = 2;
		goto out_rules;
	}
	if (check) {
		int ns = 0;
		for (int i = 0; i < rs->n; i++)
			ns += rs->r[i].nsamples;
		fprintf(stderr, "goerrfilt: %d rules, %d samples: ok\n", rs->n, ns);
		status = 0;
		goto out_rules;
	}
	if (compile) {
		if (outpath == NULL)
			die("--compile-rules needs -o FILE");
		struct buf b = { 0 };
		rules_bundle(rs, &b);
		struct sink *s = sink_open(outpath);
		sink_write(s, b.p, b.len);
		buf_free(&b);
		status = sink_close(s) == 0 ? 0 : 2;
		goto out_rules;
	}
	if (literals) {
		for (int i = 0; i < pf_count(rs->pf); i++) {
			size_t n;
			int anchored;
			const char *l = pf_literal(rs->pf, i, &n, &anchored);
			if (anchored)
				putchar('^');
			fwrite(l, 1, n, stdout);
			putchar('\n');
		}
		status = ferror(stdout) || fflush(stdout) ? 2 : 0;
		goto out_rules;
	}

	if (fo.target != NULL && (outpath != NULL || a.fmt != FMT_FORWARD)) {
		warnx_("--forward sends -f forward to a collector: no -o, no other -f");
		status = 2;
		goto out_rules;
	}
	a.sink = sink_open(outpath);
	if ((a.fmt == FMT_MSGPACK || (a.fmt == FMT_FORWARD && fo.target == NULL)) &&
	    sink_is_tty(a.sink) && !force) {
		warnx_("refusing to write %s to a terminal (use -o FILE or --force)",
		    fmt_names[a.fmt]);
		sink_close(a.sink);
		status = 2;
		goto out_rules;
	}
	a.colour = a.fmt == FMT_TEXT && sink_is_tty(a.sink) &&
	    getenv("NO_COLOR") == NULL;

	fo.stats = stats;
	if (a.fmt == FMT_FORWARD && (a.fwd = fwdnet_open(&fo, a.sink)) == NULL) {
		sink_close(a.sink);
		status = 2;
		goto out_rules;
	}
	if (group)
		a.groups = group_new();
	if (eventspath != NULL)
		a.evsink = sink_open(eventspath);
	if (a.fmt >= FMT_RDJSONL)
		ci_env_init(&a.env, getenv("GITHUB_WORKSPACE"));
	a.env.events_path = eventspath;
	a.env.step_summary = getenv("GITHUB_STEP_SUMMARY");
	if (a.env.step_summary != NULL && a.env.step_summary[0] == '\0')
		a.env.step_summary = NULL;
	struct emit em = { emit_event, passthrough && !group ? emit_raw : NULL,
	    &a, a.fmt == FMT_JUNIT ? emit_result : NULL };
	struct uw *e = uw_new(rs, &em);
	if (prefix != NULL) {
		char err[256];
		prefix_rule.id = "(--prefix)";
		prefix_rule.ctx = CTX_PREFIX;
		prefix_rule.re = re_compile(prefix, strlen(prefix), err, sizeof(err));
		if (prefix_rule.re == NULL) {
			warnx_("--prefix: %s", err);
			if (a.fwd != NULL)
				fwdnet_close(a.fwd);
			uw_free(e);
			sink_close(a.sink);
			status = 2;
			goto out_rules;
		}
		uw_set_prefix(e, &prefix_rule);
	}
	struct in_opts io = { tee ? STDERR_FILENO : -1, idle_ms, idle_flush, &a,
	    out_waiting };
	int trouble = 0;
	if (decode) {
		for (int i = 0; i < (argc > 0 ? argc : 1); i++)
			trouble |= dec_run(argc > 0 ? argv[i] : "-", &em) != 0;
	} else if (argc == 0) {
		trouble |= in_run("-", e, &io) != 0;
	} else {
		for (int i = 0; i < argc; i++) {
			uw_new_input(e);
			a.src = strcmp(argv[i], "-") != 0 ? argv[i] : NULL;
			trouble |= in_run(argv[i], e, &io) != 0;
			/* A block does not continue into the next file. */
			uw_end(e);
			a.src = NULL;
		}
	}
	uw_end(e);
	if (stats) {
		struct eng_stats st;
		uw_stats(e, &st);
		fprintf(stderr, "goerrfilt: %llu lines, %llu candidates, "
		    "%llu regex calls, %llu events, %llu retry-limit hits\n",
		    (unsigned long long)st.lines,
		    (unsigned long long)st.candidates,
		    (unsigned long long)st.regex_calls,
		    (unsigned long long)st.events,
		    (unsigned long long)st.limit_hits);
	}
	uw_free(e);
	if (a.groups != NULL) {
		write_groups(&a);
		group_free(a.groups);
	}
	trouble |= write_report(&a) != 0;
	if (a.fwd != NULL)
		trouble |= fwdnet_close(a.fwd) != 0;
	evlist_free(&a.report);
	if (a.evsink != NULL)
		trouble |= sink_close(a.evsink) != 0;
	trouble |= sink_close(a.sink) != 0;
	status = trouble ? 2 : a.events > 0 ? 0 : 1;
out_rules:
	ci_env_free(&a.env);
	re_free(prefix_rule.re);
	buf_free(&a.out);
	buf_free(&a.evout);
	rules_free(rs);
	match_done();
	return status;
}
