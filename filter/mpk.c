/*
 * mpk.c - msgpack through msgpack-c (see mpk.h).
 */
#include <stdlib.h>
#include <string.h>

#include <msgpack.h>

#include "group.h"
#include "json.h"
#include "mpk.h"

static int
buf_write_cb(void *data, const char *p, size_t n)
{
	buf_add(data, p, n);
	return 0;
}

static void
pk_init(msgpack_packer *pk, struct buf *out)
{
	msgpack_packer_init(pk, out, buf_write_cb);
}

/* Strings go out as valid UTF-8, exactly as the JSON writer sanitises them. */
static void
pk_text(msgpack_packer *pk, const char *s, size_t len, struct buf *tmp)
{
	tmp->len = 0;
	utf8_sanitize(tmp, s, len);
	msgpack_pack_str(pk, tmp->len);
	msgpack_pack_str_body(pk, tmp->p ? tmp->p : "", tmp->len);
}

static void
pk_key(msgpack_packer *pk, const char *k)
{
	size_t n = strlen(k);

	msgpack_pack_str(pk, n);
	msgpack_pack_str_body(pk, k, n);
}

/* What every record starts with: v, seq, lines. */
static void
pk_head(msgpack_packer *pk, uint64_t seq, uint64_t first, uint64_t last)
{
	pk_key(pk, "v");
	msgpack_pack_int(pk, EV_SCHEMA_VERSION);
	pk_key(pk, "seq");
	msgpack_pack_uint64(pk, seq);
	pk_key(pk, "lines");
	msgpack_pack_array(pk, 2);
	msgpack_pack_uint64(pk, first);
	msgpack_pack_uint64(pk, last);
}

static void
pk_frames(msgpack_packer *pk, const struct frame *fr, int n, struct buf *tmp)
{
	msgpack_pack_array(pk, (size_t)n);
	for (int i = 0; i < n; i++) {
		int nk = 2 + (fr[i].file != NULL) + (fr[i].line > 0) +
		    (fr[i].module != NULL);
		msgpack_pack_map(pk, (size_t)nk);
		pk_key(pk, "func");
		pk_text(pk, fr[i].func, strlen(fr[i].func), tmp);
		if (fr[i].file != NULL) {
			pk_key(pk, "file");
			pk_text(pk, fr[i].file, strlen(fr[i].file), tmp);
		}
		if (fr[i].line > 0) {
			pk_key(pk, "line");
			msgpack_pack_int64(pk, fr[i].line);
		}
		pk_key(pk, "origin");
		pk_text(pk, fr[i].origin, strlen(fr[i].origin), tmp);
		if (fr[i].module != NULL) {
			pk_key(pk, "module");
			pk_text(pk, fr[i].module, strlen(fr[i].module), tmp);
		}
	}
}

/* A map of n string pairs (attrs, labels) under key; none: no key. */
static void
pk_pairs(msgpack_packer *pk, const char *key, const char *const *k,
    const char *const *v, int n, struct buf *tmp)
{
	if (n <= 0)
		return;
	pk_key(pk, key);
	msgpack_pack_map(pk, (size_t)n);
	for (int i = 0; i < n; i++) {
		pk_text(pk, k[i], strlen(k[i]), tmp);
		pk_text(pk, v[i], strlen(v[i]), tmp);
	}
}

void
mpk_event(struct buf *out, const struct event *ev)
{
	msgpack_packer pk;
	struct buf tmp = { 0 };
	int n = 3;

	for (int i = 0; i < F_NFIELDS; i++)
		n += ev->f[i] != NULL;
	n += ev->noutput > 0;
	n += ev->output_omitted > 0;
	n += ev->nattr > 0;
	n += ev->nlabel > 0;
	n += ev->recovered >= 0;
	n += ev->nstack > 0;
	n += ev->ngr > 0;
	n += ev->ngoroutines > 0;
	pk_init(&pk, out);
	msgpack_pack_map(&pk, (size_t)n);
	pk_head(&pk, ev->seq, ev->first, ev->last);
	for (int i = 0; i < F_NFIELDS; i++) {
		const char *s = ev->f[i];
		if (s == NULL)
			continue;
		pk_key(&pk, field_names[i]);
		if (field_is_int(i))
			msgpack_pack_int64(&pk, strtoll(s, NULL, 10));
		else if (field_is_num(i))
			msgpack_pack_double(&pk, strtod(s, NULL));
		else
			pk_text(&pk, s, strlen(s), &tmp);
	}
	if (ev->noutput > 0) {
		pk_key(&pk, "output");
		msgpack_pack_array(&pk, (size_t)ev->noutput);
		for (int i = 0; i < ev->noutput; i++)
			pk_text(&pk, ev->output[i], strlen(ev->output[i]), &tmp);
	}
	if (ev->output_omitted > 0) {
		pk_key(&pk, "output_omitted");
		msgpack_pack_int64(&pk, ev->output_omitted);
	}
	pk_pairs(&pk, "attrs", ev->attr_k, ev->attr_v, ev->nattr, &tmp);
	pk_pairs(&pk, "labels", ev->label_k, ev->label_v, ev->nlabel, &tmp);
	if (ev->recovered >= 0) {
		pk_key(&pk, "recovered");
		if (ev->recovered)
			msgpack_pack_true(&pk);
		else
			msgpack_pack_false(&pk);
	}
	if (ev->nstack > 0) {
		pk_key(&pk, "stack");
		pk_frames(&pk, ev->stack, ev->nstack, &tmp);
	}
	if (ev->ngoroutines > 0) {
		pk_key(&pk, "goroutine_count");
		msgpack_pack_int(&pk, ev->ngoroutines);
	}
	if (ev->ngr > 0) {
		pk_key(&pk, "goroutines");
		msgpack_pack_array(&pk, (size_t)ev->ngr);
		for (int i = 0; i < ev->ngr; i++) {
			const struct bucket *b = &ev->gr[i];
			msgpack_pack_map(&pk, 3 + (b->wait_min >= 0));
			pk_key(&pk, "count");
			msgpack_pack_int64(&pk, b->count);
			pk_key(&pk, "state");
			pk_text(&pk, b->state, strlen(b->state), &tmp);
			if (b->wait_min >= 0) {
				pk_key(&pk, "wait_min");
				msgpack_pack_int64(&pk, b->wait_min);
			}
			pk_key(&pk, "stack");
			pk_frames(&pk, b->stack, b->nstack, &tmp);
		}
	}
	buf_free(&tmp);
}

void
mpk_rawline(struct buf *out, uint64_t seq, const struct rawline *rl)
{
	msgpack_packer pk;
	struct buf tmp = { 0 };

	pk_init(&pk, out);
	msgpack_pack_map(&pk, 4);
	pk_head(&pk, seq, rl->lineno, rl->lineno);
	pk_key(&pk, "text");
	pk_text(&pk, rl->text, rl->len, &tmp);
	buf_free(&tmp);
}

void
mpk_group(struct buf *out, uint64_t seq, const struct group *g)
{
	msgpack_packer pk;
	struct buf tmp = { 0 };
	const char *keys[] = { "group", "class", "kind", "phase", "rule", "msg",
	    "pkg", "file", "func" };
	const char *vals[] = { g->fingerprint, g->class_, g->kind, g->phase,
	    g->rule, g->msg, g->pkg, g->file, g->func };
	int n = 5;

	for (size_t i = 0; i < sizeof(vals) / sizeof(vals[0]); i++)
		n += vals[i] != NULL;
	pk_init(&pk, out);
	msgpack_pack_map(&pk, (size_t)n);
	pk_key(&pk, "v");
	msgpack_pack_int(&pk, EV_SCHEMA_VERSION);
	pk_key(&pk, "seq");
	msgpack_pack_uint64(&pk, seq);
	pk_key(&pk, "count");
	msgpack_pack_uint64(&pk, g->count);
	for (size_t i = 0; i < sizeof(vals) / sizeof(vals[0]); i++) {
		if (vals[i] == NULL)
			continue;
		pk_key(&pk, keys[i]);
		pk_text(&pk, vals[i], strlen(vals[i]), &tmp);
	}
	pk_key(&pk, "first_line");
	msgpack_pack_uint64(&pk, g->first_line);
	pk_key(&pk, "last_line");
	msgpack_pack_uint64(&pk, g->last_line);
	buf_free(&tmp);
}

void
mpk_put_array(struct buf *out, uint32_t n)
{
	msgpack_packer pk;

	pk_init(&pk, out);
	msgpack_pack_array(&pk, n);
}

void
mpk_put_str(struct buf *out, const char *s, size_t len)
{
	msgpack_packer pk;

	pk_init(&pk, out);
	msgpack_pack_str(&pk, len);
	msgpack_pack_str_body(&pk, s, len);
}

void
mpk_put_uint(struct buf *out, uint64_t v)
{
	msgpack_packer pk;

	pk_init(&pk, out);
	msgpack_pack_uint64(&pk, v);
}

void
mpk_put_bin(struct buf *out, const void *p, size_t len)
{
	msgpack_packer pk;

	pk_init(&pk, out);
	msgpack_pack_bin(&pk, len);
	msgpack_pack_bin_body(&pk, p, len);
}

void
mpk_put_map(struct buf *out, uint32_t n)
{
	msgpack_packer pk;

	pk_init(&pk, out);
	msgpack_pack_map(&pk, n);
}

void
mpk_put_ext(struct buf *out, int8_t type, const void *p, size_t len)
{
	msgpack_packer pk;

	pk_init(&pk, out);
	msgpack_pack_ext(&pk, len, type);
	msgpack_pack_ext_body(&pk, p, len);
}
