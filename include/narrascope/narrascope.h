/* narrascope: multilingual news-narrative analysis. Include this one header.
 *
 *   ns_model *m = NULL;
 *   if (ns_model_open(&m, "models/default.nsm") < 0) fail(ns_error_last());
 *   ns_analyze_opts o = NS_ANALYZE_OPTS_INIT;
 *   ns_analysis *a = NULL;
 *   if (ns_analyze(&a, m, text, len, &o) == 0) {
 *       char *json; size_t n;
 *       if (ns_analysis_write_json(a, NS_JSON_PRETTY, &json, &n) == 0) { use(json); free(json); }
 *   }
 *   ns_analysis_free(a);
 *   ns_model_free(m);
 */
#ifndef NARRASCOPE_H
#define NARRASCOPE_H

#include "narrascope/version.h"
#include "narrascope/error.h"
#include "narrascope/model.h"
#include "narrascope/analyze.h"

#endif
