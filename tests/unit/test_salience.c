/* Tests of the framed/unframed entity model (src/frame/salience.c) and its
 * place in the frame stage: a model trained on hand-written articles, where the
 * actor the article is about is framed and a place named once in passing is not,
 * ranks a new article's actors the same way and writes "framed" into each role;
 * without the model no "framed" is written. Texts are written here. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "frame/frame.h"
#include "io/html.h"
#include "model/bundle.h"
#include "pipeline/stage.h"
#include "test.h"
#include "text/doc.h"

static const char *const actors[] = {"Borovia", "Kalmaria", "Tessaly", "Orvania", "Zentara", "Dravonia"};
static const char *const places[] = {"Lindau", "Marsten", "Quelle", "Rovigo", "Sandor", "Tulln"};

/* An article about actor a, with place p named once at the end. */
static void article(char *buf, size_t cap, const char *a, const char *p)
{
	snprintf(buf, cap,
		 "%s threatens its neighbours again.\n%s moved troops to the border. Officials of %s denied any plan. "
		 "Critics say %s lies about its aims. %s has done this before.\nThe report was filed from %s.\n",
		 a, a, a, a, a, p);
}

static int process(ns_doc *doc, const char *text)
{
	ns_text_opts to = NS_TEXT_OPTS_INIT;
	to.force_lang = "en";
	ns_doc_init(doc, text, strlen(text));
	int rc = ns_text_process(doc, &to);
	return rc < 0 ? rc : ns_entity_detect(doc, NULL); /* name shapes only */
}

/* index of the entity named `name` in doc's entity layer, or -1 */
static long entity_named(const ns_doc *doc, const char *name)
{
	const ns_entity_layer *L = ns_entity_layer_of(doc);
	for (size_t e = 0; L && e < L->nentities; e++)
		if (L->entities[e].name && strcmp(L->entities[e].name, name) == 0)
			return (long)e;
	return -1;
}

static ns_frame_model *train_salience(void)
{
	static const char *const names[2] = {NS_FRAME_SALIENCE_FRAMED, NS_FRAME_SALIENCE_UNFRAMED};
	ns_frame_example ex[16];
	size_t n = 0;
	char text[512];
	ns_frame_params p;
	ns_frame_params_init(&p);
	p.min_df = 1;
	memset(ex, 0, sizeof ex);
	for (size_t i = 0; i < 6; i++) {
		ns_doc doc;
		ns_frame_salience_ctx c;
		article(text, sizeof text, actors[i], places[i]);
		CHECK_INT(process(&doc, text), 0);
		CHECK_INT(ns_frame_salience_init(&c, &doc, NULL), 0);
		long a = entity_named(&doc, actors[i]), q = entity_named(&doc, places[i]);
		CHECK(a >= 0 && q >= 0);
		if (a >= 0 && q >= 0) {
			CHECK_INT(ns_frame_salience_features(&ex[n].bag, &c, (size_t)a), 0);
			CHECK(ex[n].bag.n >= 10);
			ex[n++].main = 0;
			CHECK_INT(ns_frame_salience_features(&ex[n].bag, &c, (size_t)q), 0);
			ex[n++].main = 1;
		}
		ns_frame_salience_free(&c);
		ns_doc_release(&doc);
	}
	ns_frame_model *m = NULL;
	CHECK_INT(ns_frame_train(&m, ex, n, names, 2, NULL, NULL, 0, &p, 1), 0);
	for (size_t i = 0; i < n; i++)
		ns_fbag_free(&ex[i].bag);
	return m;
}

/* A one-main-role model for the stage: every mention "Protagonist". */
static ns_frame_model *train_roles(void)
{
	static const char *const main_names[1] = {"Protagonist"};
	static const char *const fine_names[1] = {"Guardian"};
	static const int32_t fine_main[1] = {0};
	ns_frame_example ex[2];
	ns_frame_params p;
	ns_frame_params_init(&p);
	p.min_df = 1;
	memset(ex, 0, sizeof ex);
	for (int i = 0; i < 2; i++) {
		ns_fbag_add(&ex[i].bag, NS_FID(NS_FRAME_G_ID, 77u + (uint32_t)i), 0, 1);
		ex[i].fine[0] = 0;
		ex[i].nfine = 1;
	}
	ns_frame_model *m = NULL;
	CHECK_INT(ns_frame_train(&m, ex, 2, main_names, 1, fine_names, fine_main, 1, &p, 1), 0);
	for (int i = 0; i < 2; i++)
		ns_fbag_free(&ex[i].bag);
	return m;
}

NS_TEST(salience__ranks_the_actor_above_the_passing_place)
{
	ns_frame_model *sal = train_salience(), *roles = train_roles();
	if (!sal || !roles) {
		ns_frame_model_free(sal);
		ns_frame_model_free(roles);
		return;
	}
	char text[512];
	article(text, sizeof text, "Velmora", "Ostrava");
	ns_doc doc;
	CHECK_INT(process(&doc, text), 0);
	CHECK_INT(ns_frame_assign(&doc, roles, sal), 0);
	long a = entity_named(&doc, "Velmora"), q = entity_named(&doc, "Ostrava");
	CHECK(a >= 0 && q >= 0);
	const ns_entity_layer *L = ns_entity_layer_of(&doc);
	if (L && a >= 0 && q >= 0) {
		const ns_frame_role *ra = L->entities[a].role, *rq = L->entities[q].role;
		CHECK(ra != NULL && rq != NULL);
		if (ra && rq) {
			CHECK(ra->framed > 0.5);
			CHECK(rq->framed < 0.5);
			CHECK(ra->framed <= 1 && rq->framed >= 0);
		}
	}
	ns_buf js = NS_BUF_INIT;
	CHECK_INT(ns_entity_write_json(&js, &doc), 0);
	CHECK(js.ptr && strstr(js.ptr, "\"framed\":") != NULL);
	ns_buf_free(&js);
	/* the HTML report lists the framed actor first and mutes the place */
	ns_html_report *h = NULL;
	CHECK_INT(ns_html_report_new(&h), 0);
	CHECK_INT(ns_html_report_add(h, &doc), 0);
	CHECK_INT(ns_html_report_finish(h, &js), 0);
	const char *chips = js.ptr ? strstr(js.ptr, "<p class=\"ents\">") : NULL;
	const char *ca = chips ? strstr(chips, ">Velmora</mark>") : NULL, *cq = chips ? strstr(chips, ">Ostrava</mark>") : NULL;
	CHECK(ca != NULL && cq != NULL && ca < cq);
	CHECK(chips && strstr(chips, " named\">Ostrava</mark>") != NULL);
	CHECK(chips && strstr(chips, " · framed 0.") != NULL);
	ns_html_report_free(h);
	ns_buf_free(&js);
	ns_doc_release(&doc);

	/* without the salience model: roles, no "framed" */
	CHECK_INT(process(&doc, text), 0);
	CHECK_INT(ns_frame_assign(&doc, roles, NULL), 0);
	CHECK_INT(ns_entity_write_json(&js, &doc), 0);
	CHECK(js.ptr && strstr(js.ptr, "\"role\":{\"main\":\"Protagonist\"") != NULL);
	CHECK(js.ptr && strstr(js.ptr, "\"framed\"") == NULL);
	ns_buf_free(&js);
	ns_doc_release(&doc);
	ns_frame_model_free(sal);
	ns_frame_model_free(roles);
}

/* The features read only the entity layer: a document without one, or an
 * entity index out of range, adds nothing and is no error. */
NS_TEST(salience__no_entity_layer_is_no_error)
{
	ns_doc doc;
	ns_text_opts to = NS_TEXT_OPTS_INIT;
	ns_frame_salience_ctx c;
	ns_fbag bag = NS_FBAG_INIT;
	const char *text = "Nothing named here.";
	ns_doc_init(&doc, text, strlen(text));
	CHECK_INT(ns_text_process(&doc, &to), 0);
	CHECK_INT(ns_frame_salience_init(&c, &doc, NULL), 0);
	CHECK_INT(ns_frame_salience_features(&bag, &c, 0), 0);
	CHECK_INT(bag.n, 0);
	ns_frame_salience_free(&c);
	ns_doc_release(&doc);
	CHECK_INT(process(&doc, "Borovia spoke."), 0);
	CHECK_INT(ns_frame_salience_init(&c, &doc, NULL), 0);
	CHECK_INT(ns_frame_salience_features(&bag, &c, 1000), 0);
	CHECK_INT(bag.n, 0);
	ns_frame_salience_free(&c);
	ns_fbag_free(&bag);
	ns_doc_release(&doc);
}

/* The frame stage loads a bundle's salience section only when it is a
 * framed/unframed model with no fine roles; anything else is an error naming the
 * bundle and the section (the stage reads exactly two scores). */
extern const ns_stage ns_stage_frame; /* src/frame/stage.c (listed in pipeline/stages.c) */

NS_TEST(salience__bundle_section_validated)
{
	ns_frame_model *sal = train_salience(), *roles = train_roles();
	char path[] = "/tmp/ns-salience-XXXXXX";
	int fd = mkstemp(path);
	if (!sal || !roles || fd < 0) {
		ns_frame_model_free(sal);
		ns_frame_model_free(roles);
		if (fd >= 0)
			close(fd);
		return;
	}
	close(fd);
	ns_buf rs = NS_BUF_INIT, ss = NS_BUF_INIT;
	CHECK_INT(ns_frame_model_serialize(roles, &rs), 0);
	CHECK_INT(ns_frame_model_serialize(sal, &ss), 0);
	for (int k = 0; k < 2; k++) {
		ns_bundle_writer *w = NULL;
		ns_bundle *b = NULL;
		void *state = NULL;
		CHECK_INT(ns_bundle_writer_new(&w), 0);
		CHECK_INT(ns_bundle_writer_add(w, NS_FRAME_SECTION, rs.ptr, rs.size), 0);
		/* k = 1: a role model (with a fine role) where the salience model belongs */
		CHECK_INT(ns_bundle_writer_add(w, NS_FRAME_SALIENCE_SECTION, k ? rs.ptr : ss.ptr, k ? rs.size : ss.size), 0);
		CHECK_INT(ns_bundle_writer_write(w, path), 0);
		ns_bundle_writer_free(w);
		CHECK_INT(ns_bundle_open(&b, path), 0);
		if (!b)
			continue;
		int rc = ns_stage_frame.load(&state, b);
		if (k == 0) {
			CHECK_INT(rc, 0);
			CHECK(state != NULL);
		} else {
			CHECK_INT(rc, NS_EFORMAT);
			CHECK(state == NULL);
			CHECK(strstr(ns_error_last(), path) != NULL && strstr(ns_error_last(), "frame.salience") != NULL);
		}
		if (state)
			ns_stage_frame.unload(state);
		ns_bundle_close(b);
	}
	ns_buf_free(&rs);
	ns_buf_free(&ss);
	unlink(path);
	ns_frame_model_free(sal);
	ns_frame_model_free(roles);
}
