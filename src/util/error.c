/* Thread-local error message and the NS_E* convention (see error.h). */
#include <stdio.h>
#include <string.h>

#include "util.h"

#define NS_ERRMSG_MAX 512

static _Thread_local char errmsg[NS_ERRMSG_MAX];

NS_API const char *ns_error_last(void) { return errmsg; }

NS_API void ns_error_clear(void) { errmsg[0] = '\0'; }

int ns_error__vset(int code, const char *fmt, va_list ap)
{
	vsnprintf(errmsg, sizeof errmsg, fmt, ap);
	/* one line: newlines in messages would break file:line reporting */
	for (char *p = errmsg; *p; p++)
		if (*p == '\n' || *p == '\r')
			*p = ' ';
	return code;
}

int ns_error__set(int code, const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	ns_error__vset(code, fmt, ap);
	va_end(ap);
	return code;
}

int ns_error__wrap(int code, const char *fmt, ...)
{
	char prefix[NS_ERRMSG_MAX], old[NS_ERRMSG_MAX];
	va_list ap;
	memcpy(old, errmsg, sizeof old);
	va_start(ap, fmt);
	vsnprintf(prefix, sizeof prefix, fmt, ap);
	va_end(ap);
	size_t pl = strnlen(prefix, sizeof prefix - 3);
	memcpy(errmsg, prefix, pl);
	memcpy(errmsg + pl, ": ", 2);
	snprintf(errmsg + pl + 2, sizeof errmsg - pl - 2, "%s", old);
	return code;
}
