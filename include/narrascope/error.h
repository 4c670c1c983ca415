/* Error codes and the per-thread error message.
 *
 * Every function of the library that can fail returns 0 or one of the negative
 * NS_E* codes below and leaves a one-line, impersonal message that names the
 * input and the place in a thread-local slot read by ns_error_last(). */
#ifndef NARRASCOPE_ERROR_H
#define NARRASCOPE_ERROR_H

#ifdef __cplusplus
extern "C" {
#endif

#define NS_OK 0
#define NS_ENOMEM (-1)   /* allocation failed or a size overflowed */
#define NS_EINVAL (-2)   /* invalid argument or option */
#define NS_EIO (-3)      /* read/write/open failure */
#define NS_EFORMAT (-4)  /* malformed input (file:line: reason) */
#define NS_ELIMIT (-5)   /* input exceeds a configured limit */
#define NS_EVERSION (-6) /* file written by a newer format version */
#define NS_ENOTFOUND (-7)
#define NS_EBINARY (-8)  /* binary data or NUL bytes where text was expected */

/* The last message set on this thread; never NULL (empty when none). Borrowed. */
const char *ns_error_last(void);
/* Clears the message of this thread. */
void ns_error_clear(void);

#ifdef __cplusplus
}
#endif
#endif
