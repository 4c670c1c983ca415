/* ns_analyze: runs the text stage and then every model stage on one document,
 * and writes the analysis as the JSON object documented in README.md ("Output").
 *
 * DESIGN: the input is copied (and repaired when it is not valid UTF-8) so the
 * analysis owns everything it points at and the caller may reuse its buffer.
 * Repair replaces each invalid byte by one U+FFFD, so code-point offsets equal
 * those of the input as the user sees it. Stage JSON members follow the text
 * members in stage order, so the schema only grows at the end. */
#include <stdlib.h>
#include <string.h>

#include "pipeline.h"

const ns_doc *ns_pipeline__doc(const ns_analysis *a)
{
	return a ? &a->doc : NULL;
}

const char *ns_pipeline__clean_kind(int kind)
{
	switch (kind) {
	case NS_CLEAN_SHARE: return "share";
	case NS_CLEAN_COPYRIGHT: return "copyright";
	case NS_CLEAN_TIMESTAMP: return "timestamp";
	case NS_CLEAN_BLANK: return "blank";
	case NS_CLEAN_METADATA: return "metadata";
	default: return "other";
	}
}

NS_API void ns_analysis_free(ns_analysis *a)
{
	if (!a)
		return;
	ns_doc_release(&a->doc);
	free(a->text);
	free(a);
}

NS_API const char *ns_analysis_lang(const ns_analysis *a)
{
	return a ? a->doc.lang : "und";
}

/* Copies text into a new valid UTF-8 string; *nbad gets the repaired byte count. */
static int copy_text(char **out, size_t *outlen, size_t *nbad, const char *text, size_t len)
{
	const char *nul = len ? memchr(text, '\0', len) : NULL;
	if (nul)
		return ns_error__set(NS_EBINARY, "NUL byte at byte offset %zu", (size_t)(nul - text));
	return ns_utf8_repair(out, outlen, nbad, text ? text : "", len);
}

NS_API int ns_analyze(ns_analysis **out, const ns_model *model, const char *text, size_t len,
		      const ns_analyze_opts *opts)
{
	ns_analyze_opts dflt = NS_ANALYZE_OPTS_INIT;
	ns_analysis *a = NULL;
	int rc = 0;
	if (!out)
		return ns_error__set(NS_EINVAL, "ns_analyze: no output pointer");
	*out = NULL;
	if (!opts)
		opts = &dflt;
	if (opts->version != NS_ANALYZE_OPTS_VERSION)
		return ns_error__set(NS_EINVAL, "ns_analyze: options version %u not supported", opts->version);
	if (!text && len)
		return ns_error__set(NS_EINVAL, "ns_analyze: no text");
	if (opts->max_bytes && len > opts->max_bytes)
		return ns_error__set(NS_ELIMIT, "text is %zu bytes, over the limit of %zu bytes", len, opts->max_bytes);
	a = ns_calloc(1, sizeof *a);
	if (!a)
		return NS_ENOMEM;
	a->model = model;
	size_t tlen = 0, nbad = 0;
	if ((rc = copy_text(&a->text, &tlen, &nbad, text, len)) < 0)
		goto cleanup;
	ns_doc_init(&a->doc, a->text, tlen);
	a->doc.nrepaired = nbad;
	ns_doc *doc = &a->doc;
	if ((opts->id && !(doc->id = ns_arena_strndup(&doc->arena, opts->id, strlen(opts->id)))) ||
	    (opts->source && !(doc->source = ns_arena_strndup(&doc->arena, opts->source, strlen(opts->source)))) ||
	    (opts->date && !(doc->date = ns_arena_strndup(&doc->arena, opts->date, strlen(opts->date))))) {
		rc = NS_ENOMEM;
		goto cleanup;
	}
	if (nbad)
		ns_doc_warn(doc, "repaired %zu invalid UTF-8 byte%s with U+FFFD", nbad, nbad == 1 ? "" : "s");
	ns_text_opts topts = NS_TEXT_OPTS_INIT;
	topts.clean = opts->clean;
	topts.force_lang = opts->lang;
	if ((rc = ns_text_process(doc, &topts)) < 0)
		goto cleanup;
	if (model) {
		for (size_t i = 0; i < ns_nstages; i++) {
			const ns_stage *st = ns_stages[i];
			if (!model->states[i] || !st->run)
				continue;
			if ((rc = st->run(doc, model->states[i], model->states)) < 0) {
				ns_error__wrap(rc, "stage %s", st->name);
				goto cleanup;
			}
		}
	}
	*out = a;
	a = NULL;
cleanup:
	ns_analysis_free(a);
	return rc;
}

static void put_span_list_sentences(ns_buf *b, const ns_doc *doc)
{
	ns_buf_puts(b, ",\"sentences\":[");
	for (size_t i = 0; i < doc->nsentences; i++)
		ns_buf_printf(b, "%s{\"start\":%u,\"end\":%u}", i ? "," : "", doc->sentences[i].start,
			      doc->sentences[i].end);
	ns_buf_putc(b, ']');
}

static void put_cleaned(ns_buf *b, const ns_doc *doc)
{
	ns_buf_puts(b, ",\"cleaned\":[");
	for (size_t i = 0; i < doc->ncleaned; i++)
		ns_buf_printf(b, "%s{\"start\":%u,\"end\":%u,\"kind\":\"%s\"}", i ? "," : "", doc->cleaned[i].start,
			      doc->cleaned[i].end, ns_pipeline__clean_kind(doc->cleaned[i].kind));
	ns_buf_putc(b, ']');
}

static void put_opt_str(ns_buf *b, const char *key, const char *v)
{
	if (!v)
		return;
	ns_buf_printf(b, ",\"%s\":", key);
	ns_buf_json_str(b, v, strlen(v));
}

NS_API int ns_analysis_write_json(const ns_analysis *a, unsigned flags, char **out, size_t *len)
{
	ns_buf b = NS_BUF_INIT, pretty = NS_BUF_INIT;
	int rc = 0;
	if (!out)
		return ns_error__set(NS_EINVAL, "ns_analysis_write_json: no output pointer");
	*out = NULL;
	if (len)
		*len = 0;
	if (!a)
		return ns_error__set(NS_EINVAL, "ns_analysis_write_json: no analysis");
	const ns_doc *doc = &a->doc;
	ns_buf_puts(&b, "{\"id\":");
	if (doc->id)
		ns_buf_json_str(&b, doc->id, strlen(doc->id));
	else
		ns_buf_puts(&b, "null");
	put_opt_str(&b, "source", doc->source);
	put_opt_str(&b, "date", doc->date);
	ns_buf_puts(&b, ",\"lang\":");
	ns_buf_json_str(&b, doc->lang, strlen(doc->lang));
	ns_buf_puts(&b, ",\"lang_confidence\":");
	ns_buf_json_num(&b, doc->lang_confidence, 3);
	ns_buf_printf(&b, ",\"chars\":%zu,\"paragraphs\":%zu", doc->nchars, doc->nparagraphs);
	put_span_list_sentences(&b, doc);
	ns_buf_printf(&b, ",\"tokens\":%zu", doc->ntokens);
	put_cleaned(&b, doc);
	ns_buf_puts(&b, ",\"warnings\":[");
	for (size_t i = 0; i < doc->nwarnings; i++) {
		if (i)
			ns_buf_putc(&b, ',');
		ns_buf_json_str(&b, doc->warnings[i], strlen(doc->warnings[i]));
	}
	ns_buf_putc(&b, ']');
	if (a->model) {
		for (size_t i = 0; i < ns_nstages; i++) {
			const ns_stage *st = ns_stages[i];
			if (!a->model->states[i] || !st->write_json)
				continue;
			if ((rc = st->write_json(&b, doc, a->model->states[i])) < 0) {
				ns_error__wrap(rc, "stage %s", st->name);
				goto cleanup;
			}
		}
	}
	ns_buf_putc(&b, '}');
	if (ns_buf_failed(&b)) {
		rc = NS_ENOMEM;
		goto cleanup;
	}
	if (flags & NS_JSON_PRETTY) {
		if ((rc = ns_pipeline__json_pretty(&pretty, b.ptr, b.size, 0)) < 0)
			goto cleanup;
		*out = ns_buf_detach(&pretty, len);
	} else {
		*out = ns_buf_detach(&b, len);
	}
cleanup:
	ns_buf_free(&b);
	ns_buf_free(&pretty);
	return rc;
}
