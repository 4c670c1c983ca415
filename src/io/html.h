/* Self-contained HTML report over analysed documents: a collection summary
 * (narratives by count, entities by role, quotes and accusations, inline-SVG
 * charts) and each article with entity mentions highlighted by role colour,
 * narrative evidence sentences marked, and its quotes and accusations listed.
 *
 * DESIGN: the page uses no network and no external assets (inline CSS, inline
 * SVG, a few lines of inline script that only mark the page as loaded), so it
 * can be mailed or archived as one file. Documents are rendered as they are
 * added (ns_html_report_add copies what it needs), so the caller may release
 * each document right after adding it; the summary is written at finish. */
#ifndef NS_IO_HTML_H
#define NS_IO_HTML_H

#include "../text/doc.h"
#include "../util/util.h"

typedef struct ns_html_report ns_html_report;

/* Starts an empty report. Returns 0 or NS_ENOMEM. */
int ns_html_report_new(ns_html_report **out);
/* Renders one analysed document (text stage plus whatever layers ran: entities,
 * roles, narratives, claims, explanation). The document is only read. */
int ns_html_report_add(ns_html_report *rep, const ns_doc *doc);
/* Appends the whole page (summary first, then the articles) to out. The report
 * may not be added to afterwards. */
int ns_html_report_finish(ns_html_report *rep, ns_buf *out);
/* Frees the report; NULL is a no-op. */
void ns_html_report_free(ns_html_report *rep);

#endif
