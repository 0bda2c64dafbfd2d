/*
 * rules.c - rule files and bundles in, a compiled and checked rule set out.
 *
 * Reading only splits text into rules and directives; compiling interprets
 * the directives.  The bundle stores directives as read, so a rule compiled
 * from a bundle is the same as one compiled from its file, and errors still
 * point at the original file and line.
 */
#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "anchors.h"
#include "gate.h"
#include "gotest.h"
#include "mpk.h"
#include "mrd.h"
#include "prefilter.h"
#include "rules.h"

#define BUNDLE_MAGIC "goerrfilt-rules"
#define BUNDLE_VERSION 3

static const char *const ctx_names[CTX_N] = {
	"line", "cont", "cmd", "frame", "prefix"
};

struct ruleset *
rules_new(void)
{
	struct ruleset *rs = xcalloc(1, sizeof(*rs));

	rs->lit_hash = rs->lit_esc = -1;
	return rs;
}

static int
report(const char *file, int line, int col, const char *fmt, ...)
    __attribute__((format(printf, 4, 5)));

static int
report(const char *file, int line, int col, const char *fmt, ...)
{
	va_list ap;

	fprintf(stderr, "%s:%d:%d: ", file, line, col);
	va_start(ap, fmt);
	vfprintf(stderr, fmt, ap);
	va_end(ap);
	fputc('\n', stderr);
	return 1;
}

static struct rule *
new_rule(struct ruleset *rs, const char *id, const char *file, int line)
{
	if (rs->n == rs->cap) {
		rs->cap = rs->cap ? rs->cap * 2 : 64;
		rs->r = xrealloc(rs->r, (size_t)rs->cap * sizeof(*rs->r));
	}
	struct rule *r = &rs->r[rs->n++];
	memset(r, 0, sizeof(*r));
	r->id = id;
	r->file = file;
	r->line = line;
	return r;
}

static void
add_dir(struct rule *r, const char *kw, const char *val, int line, int col)
{
	if (r->ndir == r->dcap) {
		r->dcap = r->dcap ? r->dcap * 2 : 16;
		r->dir = xrealloc(r->dir, (size_t)r->dcap * sizeof(*r->dir));
	}
	r->dir[r->ndir++] = (struct directive){ kw, val, line, col };
}

static int
is_blank(int c)
{
	return c == ' ' || c == '\t';
}

int
rules_add_text(struct ruleset *rs, const char *name, const char *text,
    size_t len)
{
	const char *file = arena_strndup(&rs->strings, name, strlen(name));
	char *s = arena_strndup(&rs->strings, text, len);

	struct rule *cur = NULL;
	int errors = 0, lineno = 0;
	char *p = s, *end = s + len;

	while (p < end) {
		char *nl = memchr(p, '\n', (size_t)(end - p));
		char *e = nl ? nl : end;
		lineno++;
		*e = '\0';
		if (e > p && e[-1] == '\r')
			*--e = '\0';
		while (e > p && is_blank(e[-1]))
			*--e = '\0';
		char *q = p;
		while (is_blank(*q))
			q++;
		if (*q == '\0' || *q == '#')
			goto next;
		if (q == p) {
			if (strncmp(p, "rule", 4) != 0 || !is_blank(p[4])) {
				errors += report(file, lineno, 1,
				    "expected 'rule ID' at the start of a line");
				cur = NULL;
				goto next;
			}
			q = p + 4;
			while (is_blank(*q))
				q++;
			for (char *t = q; *t; t++)
				if (is_blank(*t)) {
					errors += report(file, lineno,
					    (int)(t - p) + 1,
					    "rule id may not contain white space");
					break;
				}
			cur = new_rule(rs, q, file, lineno);
			rs->nsrc++;
			goto next;
		}
		if (cur == NULL) {
			errors += report(file, lineno, (int)(q - p) + 1,
			    "directive outside a rule");
			goto next;
		}
		char *kw = q;
		while (*q && !is_blank(*q))
			q++;
		if (*q)
			*q++ = '\0';
		while (is_blank(*q))
			q++;
		/*
		 * A value in double quotes is taken verbatim between them, so a
		 * literal or sample can end in white space.
		 */
		size_t vl = strlen(q);
		if (vl >= 2 && q[0] == '"' && q[vl - 1] == '"' &&
		    strcmp(kw, "match") != 0 && strcmp(kw, "absorb") != 0) {
			q[vl - 1] = '\0';
			q++;
		}
		add_dir(cur, kw, q, lineno, (int)(q - p) + 1);
		rs->nsrc++;
next:
		p = nl ? nl + 1 : end;
	}
	return errors;
}

int
rules_add_file(struct ruleset *rs, const char *path)
{
	FILE *f = fopen(path, "rb");
	struct buf b = { 0 };
	char tmp[65536];
	size_t n;

	if (f == NULL) {
		warnx_("%s: %s", path, strerror(errno));
		return 1;
	}
	while ((n = fread(tmp, 1, sizeof(tmp), f)) > 0)
		buf_add(&b, tmp, n);
	int err = ferror(f);
	fclose(f);
	if (err) {
		warnx_("%s: read error", path);
		buf_free(&b);
		return 1;
	}
	if (b.len >= strlen(BUNDLE_MAGIC) + 2 &&
	    memmem(b.p, b.len < 32 ? b.len : 32, BUNDLE_MAGIC,
	    strlen(BUNDLE_MAGIC)) != NULL) {
		int e = rules_add_bundle(rs, path, b.p, b.len);
		buf_free(&b);
		return e;
	}
	int e = rules_add_text(rs, path, b.p ? b.p : "", b.len);
	buf_free(&b);
	return e;
}

/* --- bundle ------------------------------------------------------------ */

/*
 * A bundle's strings carry their NUL, so that the built-in bundle's rules
 * can point into it instead of copying 10,000 strings at every start.
 */
static void
bput_str(struct buf *b, const char *s)
{
	mpk_put_str(b, s, strlen(s) + 1);
}

void
rules_bundle(const struct ruleset *rs, struct buf *out)
{
	struct buf pl = { 0 };

	mpk_put_array(&pl, (uint32_t)rs->n);
	for (int i = 0; i < rs->n; i++) {
		const struct rule *r = &rs->r[i];
		mpk_put_array(&pl, 4);
		bput_str(&pl, r->id);
		bput_str(&pl, r->file);
		mpk_put_uint(&pl, (uint64_t)r->line);
		mpk_put_array(&pl, (uint32_t)r->ndir);
		for (int j = 0; j < r->ndir; j++) {
			const struct directive *d = &r->dir[j];
			mpk_put_array(&pl, 4);
			bput_str(&pl, d->kw);
			bput_str(&pl, d->val);
			mpk_put_uint(&pl, (uint64_t)d->line);
			mpk_put_uint(&pl, (uint64_t)d->col);
		}
	}
	/*
	 * A compiled rule set also carries its prefilter database, so that
	 * start-up need not compile it again.
	 */
	struct buf blob = { 0 };
	int have_blob = rs->pf != NULL && pf_export(rs->pf, &blob) == 0;
	uint64_t sum = hash_fnv1a64(FNV64_INIT, pl.p, pl.len);
	if (have_blob)
		sum = hash_fnv1a64(sum, blob.p, blob.len);
	mpk_put_array(out, have_blob ? 5 : 4);
	mpk_put_str(out, BUNDLE_MAGIC, strlen(BUNDLE_MAGIC));
	mpk_put_uint(out, BUNDLE_VERSION);
	mpk_put_uint(out, sum);
	mpk_put_bin(out, pl.p, pl.len);
	if (have_blob)
		mpk_put_bin(out, blob.p, blob.len);
	buf_free(&pl);
	buf_free(&blob);
}

/*
 * A string of the bundle: in place when the bundle outlives the rule set
 * (the built-in one), otherwise copied to the rule set's arena.
 */
static const char *
bstr(struct ruleset *rs, struct mrd *m, int inplace)
{
	const char *p;
	size_t n;

	if (mrd_str(m, &p, &n) != 0 || n == 0 || p[n - 1] != '\0') {
		if (m->err == MRD_OK)
			mrd_fail(m, "string without its NUL");
		return "";
	}
	if (inplace && memchr(p, '\0', n - 1) == NULL)
		return p;
	return arena_strndup(&rs->strings, p, strnlen(p, n - 1));
}

static int
buint(struct mrd *m)
{
	uint64_t v;

	if (mrd_uint(m, &v) != 0)
		return 0;
	if (v > 1000000000) {
		mrd_fail(m, "number out of range");
		return 0;
	}
	return (int)v;
}

/* An array of exactly n elements. */
static void
barray(struct mrd *m, uint32_t want)
{
	uint32_t n;

	if (mrd_array(m, &n) == 0 && n != want)
		mrd_fail(m, "array of %u, want %u", (unsigned)n, (unsigned)want);
}

static int add_bundle(struct ruleset *rs, const char *name, const void *data,
    size_t len, int builtin);

int
rules_add_bundle(struct ruleset *rs, const char *name, const void *data,
    size_t len)
{
	return add_bundle(rs, name, data, len, 0);
}

int
rules_add_builtin(struct ruleset *rs, const void *data, size_t len)
{
	return add_bundle(rs, "(default rules)", data, len, 1);
}

/*
 * Read with the bounded cursor, not msgpack-c's unpacker: a bundle file
 * is input like any other, and the cursor builds no object tree (the
 * built-in bundle's 10,000 directives were most of start-up).
 */
static int
add_bundle(struct ruleset *rs, const char *name, const void *data, size_t len,
    int builtin)
{
	struct mrd m, pm;
	const char *magic, *pl, *blob = NULL;
	size_t mlen, pllen, bloblen = 0;
	int64_t ver;
	uint64_t sum;
	uint32_t n, nr;
	const int lo = rs->n;

	mrd_init(&m, data, len, 0);
	if (mrd_array(&m, &n) != 0 || (n != 4 && n != 5) ||
	    mrd_str(&m, &magic, &mlen) != 0 || mlen != strlen(BUNDLE_MAGIC) ||
	    memcmp(magic, BUNDLE_MAGIC, mlen) != 0 || mrd_int(&m, &ver) != 0) {
		warnx_("%s: not a goerrfilt rule bundle", name);
		return 1;
	}
	if (ver != BUNDLE_VERSION) {
		warnx_("%s: rule bundle version %lld, this goerrfilt reads %d",
		    name, (long long)ver, BUNDLE_VERSION);
		return 1;
	}
	if (mrd_uint(&m, &sum) != 0) {
		warnx_("%s: not a goerrfilt rule bundle", name);
		return 1;
	}
	if (mrd_raw(&m, &pl, &pllen) != 0 ||
	    (n == 5 && mrd_raw(&m, &blob, &bloblen) != 0)) {
		warnx_("%s: not a goerrfilt rule bundle", name);
		return 1;
	}
	if (!builtin) {
		uint64_t got = hash_fnv1a64(FNV64_INIT, pl, pllen);
		if (blob != NULL)
			got = hash_fnv1a64(got, blob, bloblen);
		if (got != sum) {
			warnx_("%s: rule bundle checksum mismatch", name);
			return 1;
		}
	}
	mrd_init(&pm, pl, pllen, 0);
	if (mrd_array(&pm, &nr) != 0)
		nr = 0;
	/* A count no bigger than the payload can hold: one array is 1 byte. */
	if (nr > 0 && nr <= pllen && rs->cap < rs->n + (int)nr) {
		rs->cap = rs->n + (int)nr;
		rs->r = xrealloc(rs->r, (size_t)rs->cap * sizeof(*rs->r));
	}
	for (uint32_t i = 0; pm.err == MRD_OK && i < nr; i++) {
		uint32_t nd;
		barray(&pm, 4);
		const char *id = bstr(rs, &pm, builtin);
		const char *file = bstr(rs, &pm, builtin);
		int line = buint(&pm);
		if (mrd_array(&pm, &nd) != 0)
			break;
		struct rule *r = new_rule(rs, id, file, line);
		rs->nsrc++;
		if (nd > 0 && nd <= pllen) {
			r->dcap = (int)nd;
			r->dir = xmalloc(nd * sizeof(*r->dir));
		}
		for (uint32_t j = 0; pm.err == MRD_OK && j < nd; j++) {
			barray(&pm, 4);
			const char *kw = bstr(rs, &pm, builtin);
			const char *val = bstr(rs, &pm, builtin);
			int l = buint(&pm);
			int c = buint(&pm);
			if (pm.err != MRD_OK)
				break;
			add_dir(r, kw, val, l, c);
			rs->nsrc++;
		}
	}
	if (pm.err == MRD_OK && pm.pos != pm.len)
		mrd_fail(&pm, "bytes after the rules");
	if (pm.err != MRD_OK) {
		warnx_("%s: malformed rule bundle", name);
		return 1;
	}
	/*
	 * The prefilter database covers this bundle's literals: rules_compile
	 * numbers them first, so that other rules' literals only add to it.
	 * The built-in bundle's wins; otherwise the first bundle's.
	 */
	if (blob != NULL && (builtin || rs->pre == NULL)) {
		rs->pre = builtin ? blob : arena_strndup(&rs->strings, blob, bloblen);
		rs->prelen = bloblen;
		rs->pre_lo = lo;
		rs->pre_hi = rs->n;
	}
	return 0;
}

/* --- compiling ------------------------------------------------------------ */

struct names_arg {
	struct rule *r;
	const struct directive *d;
	int errors;
};

static int
name_cb(const char *name, size_t len, int group, void *arg)
{
	struct names_arg *a = arg;

	if (group >= RE_MAXCAP)
		return 0;
	if (len > 0 && name[0] == '_')
		return 0;
	int f = field_lookup(name, len);
	if (f < 0 || f == F_RULE || f == F_FINGERPRINT || f == F_CMD) {
		a->errors += report(a->r->file, a->d->line, a->d->col,
		    "group name '%.*s' is not an event field", (int)len, name);
		return 0;
	}
	a->r->capfield[group] = (signed char)f;
	return 0;
}

/*
 * The next "key=value" of a list at *pp.  Returns 1 with the key and value
 * set, 0 at the end, -1 for a token without '=' (skipped).  A msg value
 * may hold blanks when msg_rest is set: it takes the rest of the line.
 */
static int
next_pair(const char **pp, const char **k, size_t *klen, const char **v,
    size_t *vlen, int msg_rest)
{
	const char *p = *pp;

	while (is_blank(*p))
		p++;
	if (!*p) {
		*pp = p;
		return 0;
	}
	*k = p;
	while (*p && *p != '=' && !is_blank(*p))
		p++;
	if (*p != '=') {
		while (*p && !is_blank(*p))
			p++;
		*pp = p;
		return -1;
	}
	*klen = (size_t)(p - *k);
	*v = ++p;
	if (msg_rest && field_lookup(*k, *klen) == F_MSG)
		p += strlen(p);
	else
		while (*p && !is_blank(*p))
			p++;
	*vlen = (size_t)(p - *v);
	*pp = p;
	return 1;
}

/* Parses "k=v k=v" into (field, value) pairs; returns errors. */
static int
parse_pairs(struct ruleset *rs, const struct rule *r, const struct directive *d,
    int (*fn)(struct ruleset *, struct rule *, int, const char *, size_t,
    const struct directive *, int), struct rule *target)
{
	const char *p = d->val, *k, *v;
	size_t kl, vl;
	int errors = 0, rc;

	while ((rc = next_pair(&p, &k, &kl, &v, &vl, 0)) != 0) {
		int col = d->col + (int)(k - d->val);
		if (rc < 0) {
			errors += report(r->file, d->line, col,
			    "expected key=value");
			continue;
		}
		int f = field_lookup(k, kl);
		if (f < 0) {
			errors += report(r->file, d->line, col,
			    "unknown field '%.*s'", (int)kl, k);
			continue;
		}
		errors += fn(rs, target, f, v, vl, d, col);
	}
	return errors;
}

static int
set_cb(struct ruleset *rs, struct rule *r, int f, const char *v, size_t n,
    const struct directive *d, int col)
{
	const char *s = arena_strndup(&rs->strings, v, n);

	if (!vocab_ok(f, s))
		return report(r->file, d->line, col, "'%s' is not a known %s",
		    s, field_names[f]);
	if ((field_is_int(f) && strspn(s, "0123456789") != n) ||
	    (field_is_num(f) && (n == 0 || strspn(s, "0123456789.") != n)))
		return report(r->file, d->line, col, "%s must be a number",
		    field_names[f]);
	r->set[f] = s;
	return 0;
}

static int
when_cb(struct ruleset *rs, struct rule *r, int f, const char *v, size_t n,
    const struct directive *d, int col)
{
	(void)d;
	(void)col;
	r->when = xrealloc(r->when, (size_t)(r->nwhen + 1) * sizeof(*r->when));
	struct cond *c = &r->when[r->nwhen++];
	c->field = f;
	c->absent = n == 1 && v[0] == '-';
	c->prefix = n > 0 && v[n - 1] == '*';
	c->len = c->prefix ? n - 1 : n;
	c->value = arena_strndup(&rs->strings, v, c->len);
	return 0;
}

static void
add_sample(struct rule *r, const char *text, int line, int reject)
{
	r->samples = xrealloc(r->samples,
	    (size_t)(r->nsamples + 1) * sizeof(*r->samples));
	r->samples[r->nsamples++] = (struct sample){ text, line, reject, NULL, 0 };
}

static int
compile_pattern(struct rule *r)
{
	const struct directive *d = &r->dir[r->match_dir];
	char err[512];

	r->lazy = 0;
	r->re = re_compile(d->val, strlen(d->val), err, sizeof(err));
	if (r->re == NULL)
		return report(r->file, d->line, d->col, "%s", err);
	struct names_arg a = { r, d, 0 };
	re_names(r->re, name_cb, &a);
	return a.errors;
}

int
rule_ready(const struct rule *r)
{
	/*
	 * The built-in rules were compiled and checked when the binary was
	 * built; at run time each regex is compiled when a line first needs
	 * it, so start-up does not pay for the hundreds that never fire.
	 */
	if (r->lazy)
		compile_pattern((struct rule *)r);
	return r->re != NULL;
}

struct re *
rule_absorb(const struct rule *r, int i)
{
	if (r->absorb[i] == NULL && r->absorb_dir[i] != NULL) {
		char err[512];
		const char *pat = r->absorb_dir[i]->val;
		/* Tried once: a pattern that fails stays NULL. */
		r->absorb[i] = re_compile(pat, strlen(pat), err, sizeof(err));
		r->absorb_dir[i] = NULL;
	}
	return r->absorb[i];
}

static int
compile_rule(struct ruleset *rs, struct rule *r, int lazy)
{
	int errors = 0, nctx = 0, nmatch = 0;
	char err[512];

	r->ctx = -1;
	memset(r->capfield, -1, sizeof(r->capfield));
	for (int i = 0; i < r->ndir; i++) {
		const struct directive *d = &r->dir[i];
		const char *kw = d->kw;
		if (strcmp(kw, "context") == 0) {
			nctx++;
			for (int c = 0; c < CTX_N; c++)
				if (strcmp(d->val, ctx_names[c]) == 0)
					r->ctx = c;
			if (r->ctx < 0)
				errors += report(r->file, d->line, d->col,
				    "unknown context '%s' (line, cont, cmd, frame, prefix)",
				    d->val);
		} else if (strcmp(kw, "literal") == 0) {
			const char *lit = d->val;
			int anchored = lit[0] == '^';
			lit += anchored;
			size_t n = strlen(lit);
			if (n < 2) {
				errors += report(r->file, d->line, d->col,
				    "literal must be at least 2 bytes");
				continue;
			}
			r->lits = xrealloc(r->lits,
			    (size_t)(r->nlits + 1) * sizeof(int));
			r->lits[r->nlits++] = pf_add(rs->pf, lit, n, anchored);
		} else if (strcmp(kw, "match") == 0) {
			if (nmatch++) {
				errors += report(r->file, d->line, d->col,
				    "more than one match");
				continue;
			}
			r->match_dir = i;
			r->gate = (unsigned char)gate_of(d->val);
			if (lazy) {
				r->lazy = 1;
				continue;
			}
			errors += compile_pattern(r);
		} else if (strcmp(kw, "set") == 0) {
			errors += parse_pairs(rs, r, d, set_cb, r);
		} else if (strcmp(kw, "when") == 0) {
			errors += parse_pairs(rs, r, d, when_cb, r);
		} else if (strcmp(kw, "require") == 0) {
			if (strlen(d->val) == 0) {
				errors += report(r->file, d->line, d->col,
				    "require needs a string");
				continue;
			}
			r->require = xrealloc(r->require,
			    (size_t)(r->nrequire + 1) * sizeof(*r->require));
			r->require[r->nrequire++] = d->val;
		} else if (strcmp(kw, "hint") == 0) {
			r->set[F_HINT] = d->val;
		} else if (strcmp(kw, "absorb") == 0) {
			r->absorb = xrealloc(r->absorb,
			    (size_t)(r->nabsorb + 1) * sizeof(*r->absorb));
			r->absorb_dir = xrealloc(r->absorb_dir,
			    (size_t)(r->nabsorb + 1) * sizeof(*r->absorb_dir));
			r->absorb[r->nabsorb] = NULL;
			r->absorb_dir[r->nabsorb++] = d;
			if (lazy)
				continue;
			r->absorb[r->nabsorb - 1] = re_compile(d->val,
			    strlen(d->val), err, sizeof(err));
			if (r->absorb[r->nabsorb - 1] == NULL)
				errors += report(r->file, d->line, d->col, "%s", err);
		} else if (strcmp(kw, "flag") == 0) {
			if (strcmp(d->val, "tentative") == 0)
				r->flags |= RF_TENTATIVE;
			else if (strcmp(d->val, "close") == 0)
				r->flags |= RF_CLOSE;
			else if (strcmp(d->val, "block") == 0)
				r->flags |= RF_BLOCK;
			else if (strcmp(d->val, "summary") == 0)
				r->flags |= RF_SUMMARY;
			else
				errors += report(r->file, d->line, d->col,
				    "unknown flag '%s' (tentative, close, block, "
				    "summary)", d->val);
		} else if (strcmp(kw, "sample") == 0) {
			add_sample(r, d->val, d->line, 0);
		} else if (strcmp(kw, "reject") == 0) {
			add_sample(r, d->val, d->line, 1);
		} else if (strcmp(kw, "expect") == 0) {
			if (r->nsamples == 0 || r->samples[r->nsamples - 1].reject ||
			    r->samples[r->nsamples - 1].expect != NULL) {
				errors += report(r->file, d->line, d->col,
				    "expect must follow a sample");
				continue;
			}
			r->samples[r->nsamples - 1].expect = d->val;
			r->samples[r->nsamples - 1].expect_line = d->line;
		} else {
			errors += report(r->file, d->line, 1,
			    "unknown directive '%s'", kw);
		}
	}
	if (nctx != 1)
		errors += report(r->file, r->line, 1,
		    "rule %s needs exactly one context", r->id);
	if (nmatch == 0)
		errors += report(r->file, r->line, 1, "rule %s has no match",
		    r->id);
	if ((r->ctx == CTX_LINE || r->ctx == CTX_CMD) && r->nlits == 0)
		errors += report(r->file, r->line, 1,
		    "rule %s has no literal: it would cost a regex call on every line",
		    r->id);
	int nsamp = 0;
	for (int i = 0; i < r->nsamples; i++)
		nsamp += !r->samples[i].reject;
	if (nsamp == 0)
		errors += report(r->file, r->line, 1, "rule %s has no sample",
		    r->id);
	return errors;
}

int
rule_gate(const struct rule *r, const char *s, size_t len)
{
	return r->gate == GATE_NONE || gate_pass((enum gate)r->gate, s, len);
}

int
rule_match(const struct rule *r, const char *s, size_t len,
    struct fieldval vals[F_NFIELDS])
{
	struct re_caps caps;

	if (!rule_gate(r, s, len))
		return RE_NOMATCH;
	/*
	 * Plain substrings the line must hold: checked before the regex is
	 * compiled or run, so that hundreds of rules sharing one literal cost
	 * a memmem each on the lines that hold it.
	 */
	for (int i = 0; i < r->nrequire; i++)
		if (memmem(s, len, r->require[i], strlen(r->require[i])) == NULL)
			return RE_NOMATCH;
	if (!rule_ready(r))
		return RE_NOMATCH;
	int rc = re_search(r->re, s, len, &caps);

	if (rc != RE_MATCH)
		return rc;
	for (int f = 0; f < F_NFIELDS; f++) {
		vals[f].p = r->set[f];
		vals[f].len = r->set[f] ? strlen(r->set[f]) : 0;
	}
	vals[F_RULE].p = r->id;
	vals[F_RULE].len = strlen(r->id);
	vals[F_MSG].p = s;
	vals[F_MSG].len = len;
	for (int g = 1; g < caps.n; g++) {
		int f = r->capfield[g];
		if (f < 0 || caps.beg[g] < 0)
			continue;
		vals[f].p = s + caps.beg[g];
		vals[f].len = (size_t)(caps.end[g] - caps.beg[g]);
	}
	return RE_MATCH;
}

int
rules_when(const struct rule *r, const struct fieldval *fields)
{
	for (int i = 0; i < r->nwhen; i++) {
		const struct cond *c = &r->when[i];
		const struct fieldval *v = &fields[c->field];
		if (c->absent) {
			if (v->p != NULL)
				return 0;
			continue;
		}
		if (v->p == NULL)
			return 0;
		if (c->prefix ? v->len < c->len : v->len != c->len)
			return 0;
		if (memcmp(v->p, c->value, c->len) != 0)
			return 0;
	}
	return 1;
}

static int
lits_hit(const struct rule *r, const uint64_t *hits)
{
	for (int i = 0; i < r->nlits; i++)
		if (hits[r->lits[i] >> 6] >> (r->lits[i] & 63) & 1)
			return 1;
	return 0;
}

/* Compares expect "k=v k=v" with the values a sample yielded. */
static int
check_expect(const struct rule *r, const struct sample *s,
    const struct fieldval *vals)
{
	const char *p = s->expect, *k, *v;
	size_t kl, n;
	int errors = 0, rc;

	while ((rc = next_pair(&p, &k, &kl, &v, &n, 1)) != 0) {
		if (rc < 0) {
			errors += report(r->file, s->expect_line, 1,
			    "expected key=value");
			continue;
		}
		int f = field_lookup(k, kl);
		if (f < 0) {
			errors += report(r->file, s->expect_line, 1,
			    "unknown field '%.*s'", (int)kl, k);
			continue;
		}
		if (vals[f].p == NULL || vals[f].len != n ||
		    memcmp(vals[f].p, v, n) != 0)
			errors += report(r->file, s->expect_line, 1,
			    "rule %s: sample gives %s=%.*s, expected %.*s",
			    r->id, field_names[f],
			    vals[f].p ? (int)vals[f].len : 6,
			    vals[f].p ? vals[f].p : "(none)", (int)n, v);
	}
	return errors;
}

static int
check_samples(struct ruleset *rs, int idx, uint64_t *hits, size_t words)
{
	struct pf_matches tmp = { 0 };
	struct rule *r = &rs->r[idx];
	struct fieldval ctx[F_NFIELDS], vals[F_NFIELDS];
	int errors = 0;

	/* The sample runs in the context the rule's own conditions name. */
	memset(ctx, 0, sizeof(ctx));
	for (int i = 0; i < r->nwhen; i++) {
		ctx[r->when[i].field].p = r->when[i].value;
		ctx[r->when[i].field].len = r->when[i].len;
	}
	for (int i = 0; i < r->nsamples; i++) {
		const struct sample *s = &r->samples[i];
		size_t len = strlen(s->text);
		memset(hits, 0, words * sizeof(*hits));
		pf_hits(rs->pf, s->text, len, hits, &tmp);
		int rc = rule_match(r, s->text, len, vals);
		if (rc == RE_LIMIT) {
			errors += report(r->file, s->line, 1,
			    "rule %s: retry limit exceeded on this sample", r->id);
			continue;
		}
		if (s->reject) {
			if (rc == RE_MATCH && (r->nlits == 0 || lits_hit(r, hits)))
				errors += report(r->file, s->line, 1,
				    "rule %s matches this reject line", r->id);
			continue;
		}
		if (rc != RE_MATCH) {
			errors += report(r->file, s->line, 1,
			    "rule %s does not match its sample", r->id);
			continue;
		}
		if (r->nlits > 0 && !lits_hit(r, hits)) {
			errors += report(r->file, s->line, 1,
			    "rule %s: sample holds none of the rule's literals",
			    r->id);
			continue;
		}
		if (s->expect != NULL)
			errors += check_expect(r, s, vals);
		/* Prefixes are voted on, not taken in order: nothing to steal. */
		for (int j = 0; j < idx && r->ctx != CTX_PREFIX; j++) {
			const struct rule *e = &rs->r[j];
			if (e->ctx != r->ctx || !rule_ready(e))
				continue;
			if (e->nlits > 0 && !lits_hit(e, hits))
				continue;
			if (!rules_when(e, ctx))
				continue;
			struct fieldval ev[F_NFIELDS];
			if (rule_match(e, s->text, len, ev) == RE_MATCH) {
				errors += report(r->file, s->line, 1,
				    "rule %s: sample is taken by earlier rule %s (%s:%d)",
				    r->id, e->id, e->file, e->line);
				break;
			}
		}
	}
	pf_matches_free(&tmp);
	return errors;
}

int
rules_compile(struct ruleset *rs, int check)
{
	int errors = 0;

	rs->pf = pf_new();
	if (rs->pre != NULL)
		pf_prebuilt(rs->pf, rs->pre, rs->prelen);
	rs->lit_hash = pf_add(rs->pf, "# ", 2, 1);
	rs->lit_esc = pf_add(rs->pf, "\x1b[", 2, 0);
	/* go test's framing lines, which the test tracker reads (gotest.h). */
	int test_ids[16], ntest = 0;
	for (int k = 0; gt_lits[k].s != NULL && ntest < 16; k++)
		test_ids[ntest++] = pf_add(rs->pf, gt_lits[k].s,
		    strlen(gt_lits[k].s), 1);
	rs->lit_anchor = xcalloc(NANCHORS, sizeof(*rs->lit_anchor));
	for (int k = 0; k < NANCHORS; k++)
		rs->lit_anchor[k] = pf_add(rs->pf, anchor_lits[k].s,
		    strlen(anchor_lits[k].s), anchor_lits[k].anchored);
	/*
	 * Rule ids by hash, open addressing (a bundle has ~900 rules): dup[i]
	 * is the earlier rule with rule i's id, or -1.
	 */
	size_t cap = 16;
	while (cap < (size_t)rs->n * 2)
		cap *= 2;
	int *seen = xmalloc(cap * sizeof(*seen));
	int *dup = xmalloc((size_t)(rs->n ? rs->n : 1) * sizeof(*dup));
	for (size_t k = 0; k < cap; k++)
		seen[k] = -1;
	for (int i = 0; i < rs->n; i++) {
		const char *id = rs->r[i].id;
		size_t k = hash_fnv1a64(FNV64_INIT, id, strlen(id)) & (cap - 1);
		while (seen[k] >= 0 && strcmp(rs->r[seen[k]].id, id) != 0)
			k = (k + 1) & (cap - 1);
		dup[i] = seen[k];
		if (seen[k] < 0)
			seen[k] = i;
	}
	free(seen);
	/*
	 * The prebuilt database's rules first: their literals then get the
	 * ids they had when it was built, and other rules' literals come
	 * after them.  Errors come in rule order within each part.
	 */
	for (int pass = 0; pass < 2; pass++)
		for (int i = 0; i < rs->n; i++) {
			if ((i >= rs->pre_lo && i < rs->pre_hi) != (pass == 0))
				continue;
			if (dup[i] >= 0)
				errors += report(rs->r[i].file, rs->r[i].line, 1,
				    "rule %s is defined again (first at %s:%d)",
				    rs->r[i].id, rs->r[dup[i]].file,
				    rs->r[dup[i]].line);
			errors += compile_rule(rs, &rs->r[i], i >= check);
		}
	free(dup);
	pf_build(rs->pf);
	/*
	 * Literal -> rules, so that a line is tried only against the rules
	 * whose literals it holds, not against every rule.
	 */
	int nl = pf_count(rs->pf);
	rs->lit_rules = xcalloc((size_t)nl, sizeof(*rs->lit_rules));
	rs->nlit_rules = xcalloc((size_t)nl, sizeof(*rs->nlit_rules));
	rs->cmd_lits = xcalloc(pf_words(rs->pf) ? pf_words(rs->pf) : 1,
	    sizeof(*rs->cmd_lits));
	rs->test_lits = xcalloc(pf_words(rs->pf) ? pf_words(rs->pf) : 1,
	    sizeof(*rs->test_lits));
	for (int k = 0; k < ntest; k++)
		rs->test_lits[test_ids[k] >> 6] |= 1ULL << (test_ids[k] & 63);
	for (int i = 0; i < rs->n; i++) {
		const struct rule *r = &rs->r[i];
		for (int k = 0; k < r->nlits; k++) {
			int id = r->lits[k];
			if (r->ctx == CTX_CMD)
				rs->cmd_lits[id >> 6] |= 1ULL << (id & 63);
			if (r->ctx != CTX_LINE)
				continue;
			int m = rs->nlit_rules[id];
			if (m > 0 && rs->lit_rules[id][m - 1] == i)
				continue;
			rs->lit_rules[id] = xrealloc(rs->lit_rules[id],
			    (size_t)(m + 1) * sizeof(int));
			rs->lit_rules[id][m] = i;
			rs->nlit_rules[id] = m + 1;
		}
	}
	/* A cont line or a stack is tried against its context's rules only. */
	for (int c = 0; c < CTX_N; c++) {
		rs->ctx_rules[c] = xmalloc((size_t)(rs->n ? rs->n : 1) * sizeof(int));
		rs->nctx_rules[c] = 0;
	}
	for (int i = 0; i < rs->n; i++) {
		const int c = rs->r[i].ctx;
		/* An unknown context is an error reported above. */
		if (c >= 0 && c < CTX_N)
			rs->ctx_rules[c][rs->nctx_rules[c]++] = i;
	}
	/* Literals only the unwrap stage looks for cost the classifier nothing. */
	rs->lit_used = xcalloc((size_t)(nl ? nl : 1), 1);
	for (int i = 0; i < rs->n; i++)
		for (int k = 0; k < rs->r[i].nlits; k++)
			rs->lit_used[rs->r[i].lits[k]] = 1;
	rs->lit_used[rs->lit_hash] = rs->lit_used[rs->lit_esc] = 1;
	for (int k = 0; k < ntest; k++)
		rs->lit_used[test_ids[k]] = 1;
	if (check > 0 && errors == 0) {
		size_t words = pf_words(rs->pf);
		uint64_t *hits = xcalloc(words, sizeof(*hits));
		for (int i = 0; i < rs->n && i < check; i++)
			errors += check_samples(rs, i, hits, words);
		free(hits);
	}
	return errors;
}

void
rules_free(struct ruleset *rs)
{
	if (rs == NULL)
		return;
	for (int i = 0; i < rs->n; i++) {
		struct rule *r = &rs->r[i];
		re_free(r->re);
		for (int j = 0; j < r->nabsorb; j++)
			re_free(r->absorb[j]);
		free(r->absorb);
		free(r->absorb_dir);
		free(r->lits);
		free(r->require);
		free(r->when);
		free(r->samples);
		free(r->dir);
	}
	free(rs->r);
	if (rs->lit_rules != NULL)
		for (int i = 0; i < pf_count(rs->pf); i++)
			free(rs->lit_rules[i]);
	free(rs->lit_rules);
	free(rs->nlit_rules);
	for (int c = 0; c < CTX_N; c++)
		free(rs->ctx_rules[c]);
	free(rs->cmd_lits);
	free(rs->test_lits);
	free(rs->lit_anchor);
	free(rs->lit_used);
	pf_free(rs->pf);
	arena_free(&rs->strings);
	free(rs);
}
