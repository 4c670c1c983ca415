/* Shared-task corpus reader: language folders with raw-documents/ *.txt and the
 * subtask-1/2/3 annotation files, and the alignment of every entity mention to
 * the article text (exact offsets, CRLF-counted offsets, nearest occurrence).
 *
 * DESIGN: documents are read in sorted order (language folder, then file name) so
 * the corpus order is deterministic whatever the file system returns. Annotation
 * files go through the shared TSV readers (src/io/tsv.c), so the corpus and
 * `narrascope eval` accept exactly the same syntax. Per-document offset tables
 * (code point -> byte, newlines before a code point) are built once per document
 * and freed after its mentions are aligned. */
#include <dirent.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/stat.h>

#include "io/taskdata.h"
#include "io/tsv.h"
#include "util/util.h"

#define NEAR_WINDOW 300
#define DEFAULT_MAX_DOC (10u << 20)

struct ns_taskdata {
	ns_task_doc *docs;
	size_t ndocs, docs_cap;
	ns_task_lang_stats *langs;
	size_t nlangs, langs_cap;
	ns_strmap *ids;  /* id -> first document index */
	char **warnings;
	size_t nwarnings, warnings_cap;
};

typedef struct {
	ns_taskdata *td;
	ns_task_lang_stats *st;
	const ns_taskdata_opts *o;
	int rc;
} loader;

/* Records a warning, or with opts.strict turns it into the error. */
static int warn(loader *L, const char *fmt, ...) NS_PRINTF(2, 3);
static int warn(loader *L, const char *fmt, ...)
{
	va_list ap;
	ns_buf b = NS_BUF_INIT;
	va_start(ap, fmt);
	char tmp[1024];
	vsnprintf(tmp, sizeof tmp, fmt, ap);
	va_end(ap);
	if (L->o->strict)
		return ns_error__set(NS_EFORMAT, "%s", tmp);
	ns_buf_puts(&b, tmp);
	if (ns_buf_failed(&b) || NS_GROW(L->td->warnings, L->td->warnings_cap, L->td->nwarnings + 1) < 0) {
		ns_buf_free(&b);
		return NS_ENOMEM;
	}
	L->td->warnings[L->td->nwarnings++] = ns_buf_detach(&b, NULL);
	if (L->st)
		L->st->warnings++;
	return 0;
}

/* TSV on_skip callback (lenient mode): a skipped line is a warning. */
static void on_skip(void *payload, const char *msg)
{
	loader *L = payload;
	if (L->rc == 0)
		L->rc = warn(L, "%s (line skipped)", msg);
}

static void free_strv(char **v, size_t n)
{
	for (size_t i = 0; i < n; i++)
		free(v[i]);
	free(v);
}

static void doc_free(ns_task_doc *d)
{
	free(d->id);
	free(d->lang);
	free(d->path);
	free(d->text);
	free_strv(d->coarse, d->ncoarse);
	free_strv(d->fine, d->nfine);
	if (d->expl) {
		free(d->expl->narrative);
		free(d->expl->subnarrative);
		free(d->expl->text);
		free(d->expl);
	}
	for (size_t i = 0; i < d->nmentions; i++) {
		ns_task_mention *m = &d->mentions[i];
		free(m->mention);
		free(m->key);
		free(m->main_role);
		free_strv(m->fine_roles, m->nfine_roles);
	}
	free(d->mentions);
}

void ns_taskdata_free(ns_taskdata *td)
{
	if (!td)
		return;
	for (size_t i = 0; i < td->ndocs; i++)
		doc_free(&td->docs[i]);
	free(td->docs);
	for (size_t i = 0; i < td->nlangs; i++)
		free((char *)td->langs[i].lang);
	free(td->langs);
	ns_strmap_free(td->ids);
	free_strv(td->warnings, td->nwarnings);
	free(td);
}

/* ---- directory helpers ---- */

static int cmp_str(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

static bool is_dir(const char *path)
{
	struct stat st;
	return stat(path, &st) == 0 && S_ISDIR(st.st_mode);
}

static bool is_file(const char *path)
{
	struct stat st;
	return stat(path, &st) == 0 && S_ISREG(st.st_mode);
}

static char *join(const char *a, const char *b)
{
	ns_buf p = NS_BUF_INIT;
	ns_buf_printf(&p, "%s/%s", a, b);
	if (ns_buf_failed(&p)) {
		ns_buf_free(&p);
		return NULL;
	}
	return ns_buf_detach(&p, NULL);
}

/* Sorted entry names of dir: subdirectories (want_dirs) or regular *.txt files. */
static int list_dir(char ***out, size_t *n, const char *dir, bool want_dirs)
{
	size_t cap = 0;
	int rc = 0;
	*out = NULL;
	*n = 0;
	DIR *dh = opendir(dir);
	if (!dh)
		return ns_error__set(NS_EIO, "%s: cannot open directory", dir);
	struct dirent *de;
	while ((de = readdir(dh))) {
		const char *nm = de->d_name;
		size_t l = strlen(nm);
		if (nm[0] == '.')
			continue;
		char *full = join(dir, nm);
		if (!full) {
			rc = NS_ENOMEM;
			break;
		}
		bool ok = want_dirs ? is_dir(full) : (l > 4 && strcmp(nm + l - 4, ".txt") == 0 && is_file(full));
		free(full);
		if (!ok)
			continue;
		if (NS_GROW(*out, cap, *n + 1) < 0 || !((*out)[*n] = ns_strdup(nm))) {
			rc = NS_ENOMEM;
			break;
		}
		(*n)++;
	}
	closedir(dh);
	if (rc < 0) {
		free_strv(*out, *n);
		*out = NULL;
		*n = 0;
		return rc;
	}
	if (*n)
		qsort(*out, *n, sizeof **out, cmp_str);
	return 0;
}

/* The documents folder of a language dir, or NULL when there is none. */
static char *docs_dir(const char *langdir)
{
	static const char *const names[] = {"raw-documents", "subtask-2-documents", "subtask-3-documents",
					    "subtask-1-documents"};
	for (size_t i = 0; i < sizeof names / sizeof *names; i++) {
		char *p = join(langdir, names[i]);
		if (p && is_dir(p))
			return p;
		free(p);
	}
	return NULL;
}

/* ---- alignment ---- */

/* Offset tables of one document: cp2b[q] = byte offset of code point q (q <= ncp),
 * nl[q] = number of '\n' among code points [0, q). */
typedef struct {
	size_t *cp2b;
	size_t *nl;
	size_t ncp;
} offsets;

static int offsets_build(offsets *o, const char *text, size_t len)
{
	size_t ncp = ns_utf8_count(text, len), q = 0, nl = 0;
	o->ncp = ncp;
	o->cp2b = ns_reallocarray(NULL, ncp + 1, sizeof(size_t));
	o->nl = ns_reallocarray(NULL, ncp + 1, sizeof(size_t));
	if (!o->cp2b || !o->nl)
		return NS_ENOMEM;
	for (size_t b = 0; b < len;) {
		uint32_t cp;
		bool bad;
		o->cp2b[q] = b;
		o->nl[q] = nl;
		b += ns_utf8_decode(text + b, len - b, &cp, &bad);
		if (cp == '\n')
			nl++;
		q++;
	}
	o->cp2b[q] = len;
	o->nl[q] = nl;
	return 0;
}

static void offsets_free(offsets *o)
{
	free(o->cp2b);
	free(o->nl);
}

/* Code point q with q + nl[q] == p (CRLF-counted position), or -1. */
static int64_t crlf_inverse(const offsets *o, int64_t p)
{
	size_t lo = 0, hi = o->ncp;
	while (lo <= hi) {
		size_t mid = lo + (hi - lo) / 2;
		int64_t v = (int64_t)(mid + o->nl[mid]);
		if (v == p)
			return (int64_t)mid;
		if (v < p)
			lo = mid + 1;
		else if (mid == 0)
			break;
		else
			hi = mid - 1;
	}
	return -1;
}

static bool span_is(const char *text, const offsets *o, int64_t s, int64_t e, const char *k, size_t kl)
{
	if (s < 0 || e < s || (size_t)e > o->ncp)
		return false;
	size_t bs = o->cp2b[s], be = o->cp2b[e];
	return be - bs == kl && memcmp(text + bs, k, kl) == 0;
}

/* Code point index of byte offset b (b is at a code point boundary). */
static int64_t byte_to_cp(const offsets *o, size_t b)
{
	size_t lo = 0, hi = o->ncp;
	while (lo < hi) {
		size_t mid = lo + (hi - lo) / 2;
		if (o->cp2b[mid] < b)
			lo = mid + 1;
		else
			hi = mid;
	}
	return (int64_t)lo;
}

/* Code point of a hit at byte h, or -1 when h is inside a code point. */
static int64_t hit_cp(const offsets *o, size_t h)
{
	int64_t q = byte_to_cp(o, h);
	return o->cp2b[q] == h ? q : -1;
}

/* Last occurrence of k starting in text[from, to), or NULL. */
static const char *last_hit(const char *text, size_t from, size_t to, const char *k, size_t kl, const offsets *o)
{
	const char *last = NULL;
	size_t len = o->cp2b[o->ncp], end = to + kl - 1 < len ? to + kl - 1 : len;
	for (size_t p = from; p < to && p < end;) {
		const char *hit = memmem(text + p, end - p, k, kl);
		if (!hit || (size_t)(hit - text) >= to)
			break;
		if (hit_cp(o, (size_t)(hit - text)) >= 0)
			last = hit;
		p = (size_t)(hit - text) + 1;
	}
	return last;
}

/* Nearest occurrence of k, by distance of its start to the file start offset;
 * ties go to the earlier occurrence. Returns the code point or -1. Searches
 * outwards from the offset (forwards to the first hit, backwards in doubling
 * windows), so its cost follows the distance, not the document's length. */
static int64_t nearest(const char *text, size_t len, const offsets *o, const char *k, size_t kl,
		       int64_t start, int64_t *dist)
{
	*dist = 0;
	if (!kl || kl > len)
		return -1;
	int64_t sc = start < 0 ? 0 : start > (int64_t)o->ncp ? (int64_t)o->ncp : start;
	size_t b0 = o->cp2b[sc];
	int64_t after = -1, before = -1;
	for (size_t p = b0; p + kl <= len;) { /* first hit at or after the offset */
		const char *hit = memmem(text + p, len - p, k, kl);
		if (!hit)
			break;
		if ((after = hit_cp(o, (size_t)(hit - text))) >= 0)
			break;
		p = (size_t)(hit - text) + 1;
	}
	/* the last hit before it, in windows [lo, hi) of doubling size */
	for (size_t w = 256, hi = b0; hi > 0; w *= 2) {
		size_t lo = hi > w ? hi - w : 0;
		const char *h = last_hit(text, lo, hi, k, kl, o);
		if (h) {
			before = hit_cp(o, (size_t)(h - text));
			break;
		}
		/* a hit before lo is further than sc - cp(lo) >= the hit after's */
		if (after >= 0 && sc - byte_to_cp(o, lo) >= after - sc)
			break;
		hi = lo;
	}
	int64_t db = before >= 0 ? sc - before : 0, da = after >= 0 ? after - sc : 0;
	if (before >= 0 && (after < 0 || db <= da)) {
		*dist = start > before ? start - before : before - start;
		return before;
	}
	if (after >= 0)
		*dist = after > start ? after - start : start - after;
	return after;
}

/* Tries exact, then CRLF-counted offsets, then the nearest occurrence; each step
 * accepts the key (quotes removed) or the mention as written (alt, may be NULL). */
static ns_align_kind align_with(const char *text, size_t len, const offsets *o, ns_strmap *absent,
				const char *key, size_t kl, const char *alt, size_t al, int64_t start, int64_t end_incl,
				int64_t *cs, int64_t *ce)
{
	const char *ks[2] = {key, alt};
	size_t kls[2] = {kl, alt ? al : 0};
	size_t nk = alt && (al != kl || memcmp(alt, key, kl) != 0) ? 2 : 1;
	for (size_t i = 0; i < nk; i++)
		if (kls[i] && span_is(text, o, start, end_incl + 1, ks[i], kls[i])) {
			*cs = start;
			*ce = end_incl + 1;
			return NS_ALIGN_EXACT;
		}
	int64_t qs = crlf_inverse(o, start), qe = crlf_inverse(o, end_incl + 1);
	for (size_t i = 0; i < nk; i++)
		if (kls[i] && qs >= 0 && qe >= 0 && span_is(text, o, qs, qe, ks[i], kls[i])) {
			*cs = qs;
			*ce = qe;
			return NS_ALIGN_CRLF;
		}
	int64_t best = -1, best_d = 0;
	size_t best_len = 0;
	for (size_t i = 0; i < nk; i++) {
		/* a string absent from the text is searched for once per document */
		if (absent && kls[i] && ns_strmap_get(absent, ks[i], kls[i], NULL))
			continue;
		int64_t d, q = nearest(text, len, o, ks[i], kls[i], start, &d);
		bool ins;
		if (q < 0 && absent && kls[i])
			ns_strmap_put(absent, ks[i], kls[i], 0, &ins); /* out of memory: searched again */
		if (q >= 0 && (best < 0 || d < best_d)) {
			best = q;
			best_d = d;
			best_len = kls[i];
		}
	}
	if (best < 0)
		return NS_ALIGN_NONE;
	*cs = best;
	*ce = byte_to_cp(o, o->cp2b[best] + best_len);
	return NS_ALIGN_NEAREST;
}

struct ns_taskdata_aligner {
	const char *text;
	size_t len;
	offsets o;
	ns_strmap *absent; /* strings searched for and not found */
};

int ns_taskdata_aligner_new(ns_taskdata_aligner **out, const char *text, size_t len)
{
	ns_taskdata_aligner *a = ns_calloc(1, sizeof *a);
	*out = NULL;
	if (!a)
		return NS_ENOMEM;
	a->text = text;
	a->len = len;
	if (offsets_build(&a->o, text, len) < 0 || ns_strmap_new(&a->absent) < 0) {
		ns_taskdata_aligner_free(a);
		return NS_ENOMEM;
	}
	*out = a;
	return 0;
}

void ns_taskdata_aligner_free(ns_taskdata_aligner *a)
{
	if (!a)
		return;
	offsets_free(&a->o);
	ns_strmap_free(a->absent);
	free(a);
}

ns_align_kind ns_taskdata_aligner_align(ns_taskdata_aligner *a, const char *key, size_t keylen, int64_t start,
					int64_t end_incl, int64_t *cp_start, int64_t *cp_end, size_t *b_start,
					size_t *b_end)
{
	ns_align_kind k = align_with(a->text, a->len, &a->o, a->absent, key, keylen, NULL, 0, start, end_incl,
				     cp_start, cp_end);
	if (k != NS_ALIGN_NONE) {
		*b_start = a->o.cp2b[*cp_start];
		*b_end = a->o.cp2b[*cp_end];
	}
	return k;
}

ns_align_kind ns_taskdata_align(const char *text, size_t len, const char *key, size_t keylen,
				int64_t start, int64_t end_incl, int64_t *cp_start, int64_t *cp_end,
				size_t *b_start, size_t *b_end)
{
	ns_taskdata_aligner *a = NULL;
	if (ns_taskdata_aligner_new(&a, text, len) < 0)
		return NS_ALIGN_NONE;
	ns_align_kind k = ns_taskdata_aligner_align(a, key, keylen, start, end_incl, cp_start, cp_end, b_start, b_end);
	ns_taskdata_aligner_free(a);
	return k;
}

static int align_doc(loader *L, ns_task_doc *d, const char *st1_path)
{
	offsets o = {0};
	int rc = offsets_build(&o, d->text, d->len);
	for (size_t i = 0; rc == 0 && i < d->nmentions; i++) {
		ns_task_mention *m = &d->mentions[i];
		int64_t cs = -1, ce = -1;
		ns_align_kind k = align_with(d->text, d->len, &o, NULL, m->key, strlen(m->key), m->mention,
					     strlen(m->mention), m->file_start, m->file_end, &cs, &ce);
		m->align = k;
		m->start = m->end = -1;
		switch (k) {
		case NS_ALIGN_EXACT: L->st->exact++; break;
		case NS_ALIGN_CRLF: L->st->crlf++; break;
		case NS_ALIGN_NEAREST:
			L->st->nearest++;
			if (cs - m->file_start > NEAR_WINDOW || m->file_start - cs > NEAR_WINDOW)
				L->st->nearest_far++;
			break;
		case NS_ALIGN_NONE:
			L->st->failed++;
			rc = warn(L, "%s:%d: mention '%s' does not occur in %s", st1_path, m->line, m->mention, d->id);
			break;
		}
		if (k != NS_ALIGN_NONE) {
			m->start = cs;
			m->end = ce;
			m->byte_start = o.cp2b[cs];
			m->byte_end = o.cp2b[ce];
		}
	}
	offsets_free(&o);
	return rc;
}

/* ---- loading ---- */

static int load_doc(loader *L, const char *lang, const char *dir, const char *name)
{
	ns_taskdata *td = L->td;
	char *path = join(dir, name), *raw = NULL;
	size_t len = 0, limit = L->o->max_doc_bytes ? L->o->max_doc_bytes : DEFAULT_MAX_DOC;
	int rc;
	if (!path)
		return NS_ENOMEM;
	rc = ns_file_read(&raw, &len, path, limit);
	if (rc == NS_ELIMIT || rc == NS_EIO) {
		rc = warn(L, "%s (document skipped)", ns_error_last());
		goto cleanup;
	}
	if (rc < 0)
		goto cleanup;
	if (memchr(raw, '\0', len)) {
		rc = warn(L, "%s: NUL byte in document (document skipped)", path);
		goto cleanup;
	}
	if ((rc = NS_GROW(td->docs, td->docs_cap, td->ndocs + 1)) < 0)
		goto cleanup;
	ns_task_doc *d = &td->docs[td->ndocs];
	memset(d, 0, sizeof *d);
	d->id = ns_strdup(name);
	d->lang = ns_strdup(lang);
	d->path = path;
	path = NULL;
	td->ndocs++; /* from here doc_free releases d on failure */
	if (!d->id || !d->lang) {
		rc = NS_ENOMEM;
		goto cleanup;
	}
	if ((rc = ns_utf8_repair(&d->text, &d->len, &d->nrepaired, raw, len)) < 0)
		goto cleanup;
	d->ncp = ns_utf8_count(d->text, d->len);
	L->st->docs++;
	if (len == 0 && (rc = warn(L, "%s: empty document", d->path)) < 0)
		goto cleanup;
	if (d->nrepaired && (rc = warn(L, "%s: %zu invalid UTF-8 bytes repaired to U+FFFD", d->path,
				       d->nrepaired)) < 0)
		goto cleanup;
	bool inserted;
	int32_t *slot = ns_strmap_put(td->ids, d->id, strlen(d->id), (int32_t)(td->ndocs - 1), &inserted);
	if (!slot) {
		rc = NS_ENOMEM;
		goto cleanup;
	}
	if (!inserted)
		rc = warn(L, "%s: duplicate article id '%s' (also in %s); lookups by id find the first",
			  d->path, d->id, td->docs[*slot].path);
cleanup:
	free(path);
	free(raw);
	return rc;
}

/* Document index of id within the current language (first..ndocs), or -1. */
static int64_t find_in_lang(const ns_taskdata *td, size_t first, const char *id)
{
	int32_t v;
	if (ns_strmap_get(td->ids, id, strlen(id), &v) && (size_t)v >= first)
		return v;
	for (size_t i = first; i < td->ndocs; i++) /* duplicate id across languages */
		if (strcmp(td->docs[i].id, id) == 0)
			return (int64_t)i;
	return -1;
}

static int take_strv(char ***dst, size_t *ndst, char **src, size_t nsrc)
{
	/* union keeping order; src strings are copied */
	size_t cap = *ndst;
	for (size_t i = 0; i < nsrc; i++) {
		bool dup = false;
		for (size_t k = 0; k < *ndst && !dup; k++)
			dup = strcmp((*dst)[k], src[i]) == 0;
		if (dup)
			continue;
		if (NS_GROW(*dst, cap, *ndst + 1) < 0 || !((*dst)[*ndst] = ns_strdup(src[i])))
			return NS_ENOMEM;
		(*ndst)++;
	}
	return 0;
}

/* What an annotation table read gave (rc), else the loader's sticky error, else 0
 * after warning about an empty table (n rows). */
static int table_start(loader *L, int rc, size_t n, const char *path)
{
	if (rc < 0 || (rc = L->rc) < 0)
		return rc;
	if (n == 0)
		return warn(L, "%s: no annotation lines", path);
	return 0;
}

/* The index of document `id` among those from `first`, or -1 after *rc = the
 * warning that the line is skipped. */
static int64_t row_doc(loader *L, size_t first, const char *path, int line, const char *id, int *rc)
{
	int64_t di = find_in_lang(L->td, first, id);
	if (di < 0)
		*rc = warn(L, "%s:%d: unknown article '%s' (no such document; line skipped)", path, line, id);
	return di;
}

static int load_st1(loader *L, size_t first, const char *path, ns_tsv_opts *to)
{
	ns_tsv_roles *t = NULL;
	int rc = ns_tsv_read_roles(&t, path, to);
	if ((rc = table_start(L, rc, rc < 0 ? 0 : t->n, path)) < 0)
		goto cleanup;
	size_t *caps = ns_calloc(L->td->ndocs - first + 1, sizeof(size_t));
	if (!caps) {
		rc = NS_ENOMEM;
		goto cleanup;
	}
	for (size_t i = 0; i < t->n && rc == 0; i++) {
		ns_tsv_role_row *r = &t->rows[i];
		int64_t di = row_doc(L, first, path, r->line, r->article_id, &rc);
		if (di < 0)
			continue;
		ns_task_doc *d = &L->td->docs[di];
		if ((rc = NS_GROW(d->mentions, caps[di - (int64_t)first], d->nmentions + 1)) < 0)
			break;
		ns_task_mention *m = &d->mentions[d->nmentions++];
		memset(m, 0, sizeof *m);
		/* move the strings out of the row */
		m->mention = r->mention, r->mention = NULL;
		m->key = r->key, r->key = NULL;
		m->main_role = r->main_role, r->main_role = NULL;
		m->fine_roles = r->fine_roles, r->fine_roles = NULL;
		m->nfine_roles = r->nfine_roles, r->nfine_roles = 0;
		m->file_start = r->start;
		m->file_end = r->end;
		m->line = r->line;
		m->start = m->end = -1;
		L->st->mentions++;
	}
	free(caps);
	for (size_t di = first; di < L->td->ndocs && rc == 0; di++)
		rc = align_doc(L, &L->td->docs[di], path);
cleanup:
	ns_tsv_roles_free(t);
	return rc;
}

static int load_st2(loader *L, size_t first, const char *path, ns_tsv_opts *to)
{
	ns_tsv_narrs *t = NULL;
	int rc = ns_tsv_read_narrs(&t, path, to);
	if ((rc = table_start(L, rc, rc < 0 ? 0 : t->n, path)) < 0)
		goto cleanup;
	for (size_t i = 0; i < t->n && rc == 0; i++) {
		ns_tsv_narr_row *r = &t->rows[i];
		int64_t di = row_doc(L, first, path, r->line, r->article_id, &rc);
		if (di < 0)
			continue;
		ns_task_doc *d = &L->td->docs[di];
		if (d->has_narratives &&
		    (rc = warn(L, "%s:%d: second line for '%s'; labels merged", path, r->line, r->article_id)) < 0)
			break;
		d->has_narratives = true;
		L->st->narr_lines++;
		if ((rc = take_strv(&d->coarse, &d->ncoarse, r->coarse, r->ncoarse)) < 0 ||
		    (rc = take_strv(&d->fine, &d->nfine, r->fine, r->nfine)) < 0)
			break;
	}
cleanup:
	ns_tsv_narrs_free(t);
	return rc;
}

static int load_st3(loader *L, size_t first, const char *path, ns_tsv_opts *to)
{
	ns_tsv_expls *t = NULL;
	int rc = ns_tsv_read_expls(&t, path, to);
	if ((rc = table_start(L, rc, rc < 0 ? 0 : t->n, path)) < 0)
		goto cleanup;
	for (size_t i = 0; i < t->n && rc == 0; i++) {
		ns_tsv_expl_row *r = &t->rows[i];
		int64_t di = row_doc(L, first, path, r->line, r->article_id, &rc);
		if (di < 0)
			continue;
		ns_task_doc *d = &L->td->docs[di];
		if (d->expl) {
			rc = warn(L, "%s:%d: second explanation for '%s'; the first is kept", path, r->line,
				  r->article_id);
			continue;
		}
		if (!(d->expl = ns_calloc(1, sizeof *d->expl))) {
			rc = NS_ENOMEM;
			break;
		}
		d->expl->narrative = r->narrative, r->narrative = NULL;
		d->expl->subnarrative = r->subnarrative, r->subnarrative = NULL;
		d->expl->text = r->text, r->text = NULL;
		L->st->expl_lines++;
	}
cleanup:
	ns_tsv_expls_free(t);
	return rc;
}

static int load_lang(loader *L, const char *langdir, const char *lang)
{
	ns_taskdata *td = L->td;
	char *ddir = docs_dir(langdir), **names = NULL, *p = NULL;
	size_t nnames = 0, first = td->ndocs;
	int rc = 0;
	if (!ddir)
		return ns_error__set(NS_ENOTFOUND, "%s: no raw-documents folder", langdir);
	if ((rc = NS_GROW(td->langs, td->langs_cap, td->nlangs + 1)) < 0)
		goto cleanup;
	L->st = &td->langs[td->nlangs++];
	memset(L->st, 0, sizeof *L->st);
	char *lcopy = ns_strdup(lang);
	if (!(L->st->lang = lcopy)) {
		rc = NS_ENOMEM;
		goto cleanup;
	}
	if ((rc = list_dir(&names, &nnames, ddir, false)) < 0)
		goto cleanup;
	if (nnames == 0 && (rc = warn(L, "%s: no *.txt documents", ddir)) < 0)
		goto cleanup;
	for (size_t i = 0; i < nnames && rc == 0; i++)
		rc = load_doc(L, lang, ddir, names[i]);
	if (rc < 0)
		goto cleanup;

	ns_tsv_opts to = NS_TSV_OPTS_INIT;
	to.taxonomy = L->o->taxonomy;
	to.allow_no_roles = 1;
	to.max_bytes = 1u << 30;
	if (L->o->lenient) {
		to.on_skip = on_skip;
		to.payload = L;
	}
	static const char *const st1_names[] = {"subtask-1-annotations.txt", "subtask-1-entity-mentions.txt"};
	for (size_t k = 0; k < 2 && !L->st->has_st1 && rc == 0; k++) {
		free(p);
		if (!(p = join(langdir, st1_names[k]))) {
			rc = NS_ENOMEM;
			goto cleanup;
		}
		if (is_file(p)) {
			L->st->has_st1 = true;
			rc = load_st1(L, first, p, &to);
		}
	}
	if (rc < 0)
		goto cleanup;
	free(p);
	if (!(p = join(langdir, "subtask-2-annotations.txt"))) {
		rc = NS_ENOMEM;
		goto cleanup;
	}
	if (is_file(p)) {
		L->st->has_st2 = true;
		if ((rc = load_st2(L, first, p, &to)) < 0)
			goto cleanup;
	}
	free(p);
	if (!(p = join(langdir, "subtask-3-annotations.txt"))) {
		rc = NS_ENOMEM;
		goto cleanup;
	}
	if (is_file(p)) {
		L->st->has_st3 = true;
		if ((rc = load_st3(L, first, p, &to)) < 0)
			goto cleanup;
	}
cleanup:
	free(p);
	free(ddir);
	free_strv(names, nnames);
	return rc;
}

static const char *base_name(const char *path, char *buf, size_t cap)
{
	size_t n = strlen(path);
	while (n > 1 && path[n - 1] == '/')
		n--;
	size_t s = n;
	while (s > 0 && path[s - 1] != '/')
		s--;
	snprintf(buf, cap, "%.*s", (int)(n - s), path + s);
	return buf;
}

int ns_taskdata_load(ns_taskdata **out, const char *dir, const ns_taskdata_opts *opts)
{
	ns_taskdata_opts dflt = NS_TASKDATA_OPTS_INIT;
	loader L = {NULL, NULL, opts ? opts : &dflt, 0};
	char **langs = NULL, *ddir = NULL;
	size_t nlangs = 0;
	int rc = 0;
	*out = NULL;
	if (!(L.td = ns_calloc(1, sizeof *L.td)) || ns_strmap_new(&L.td->ids) < 0) {
		rc = NS_ENOMEM;
		goto cleanup;
	}
	if (!is_dir(dir)) {
		rc = ns_error__set(NS_EIO, "%s: not a directory", dir);
		goto cleanup;
	}
	if ((ddir = docs_dir(dir))) { /* dir is itself one language */
		char lang[256];
		base_name(dir, lang, sizeof lang);
		rc = load_lang(&L, dir, lang);
		goto cleanup;
	}
	if ((rc = list_dir(&langs, &nlangs, dir, true)) < 0)
		goto cleanup;
	size_t used = 0;
	for (size_t i = 0; i < nlangs && rc == 0; i++) {
		char *ld = join(dir, langs[i]), *dd = ld ? docs_dir(ld) : NULL;
		if (!ld) {
			rc = NS_ENOMEM;
			break;
		}
		if (dd && (!L.o->only_lang || strcasecmp(L.o->only_lang, langs[i]) == 0)) {
			rc = load_lang(&L, ld, langs[i]);
			used++;
		}
		free(dd);
		free(ld);
	}
	if (rc == 0 && used == 0)
		rc = ns_error__set(NS_ENOTFOUND, "%s: no <LANG>/raw-documents folder%s%s", dir,
				   L.o->only_lang ? " for language " : "", L.o->only_lang ? L.o->only_lang : "");
cleanup:
	free(ddir);
	free_strv(langs, nlangs);
	if (rc < 0) {
		ns_taskdata_free(L.td);
		return rc;
	}
	*out = L.td;
	return 0;
}

size_t ns_taskdata_ndocs(const ns_taskdata *td) { return td->ndocs; }
const ns_task_doc *ns_taskdata_doc(const ns_taskdata *td, size_t i) { return i < td->ndocs ? &td->docs[i] : NULL; }

int64_t ns_taskdata_find(const ns_taskdata *td, const char *id)
{
	int32_t v;
	return ns_strmap_get(td->ids, id, strlen(id), &v) ? v : -1;
}

size_t ns_taskdata_nlangs(const ns_taskdata *td) { return td->nlangs; }
const ns_task_lang_stats *ns_taskdata_lang(const ns_taskdata *td, size_t i)
{
	return i < td->nlangs ? &td->langs[i] : NULL;
}

ns_task_lang_stats ns_taskdata_total(const ns_taskdata *td)
{
	ns_task_lang_stats t;
	memset(&t, 0, sizeof t);
	t.lang = "ALL";
	for (size_t i = 0; i < td->nlangs; i++) {
		const ns_task_lang_stats *s = &td->langs[i];
		t.docs += s->docs;
		t.mentions += s->mentions;
		t.exact += s->exact;
		t.crlf += s->crlf;
		t.nearest += s->nearest;
		t.nearest_far += s->nearest_far;
		t.failed += s->failed;
		t.narr_lines += s->narr_lines;
		t.expl_lines += s->expl_lines;
		t.warnings += s->warnings;
		t.has_st1 |= s->has_st1;
		t.has_st2 |= s->has_st2;
		t.has_st3 |= s->has_st3;
	}
	return t;
}

size_t ns_taskdata_nwarnings(const ns_taskdata *td) { return td->nwarnings; }
const char *ns_taskdata_warning(const ns_taskdata *td, size_t i)
{
	return i < td->nwarnings ? td->warnings[i] : NULL;
}
