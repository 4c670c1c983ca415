/* Library version string. */
#include "narrascope/version.h"
#include "util.h"

NS_API const char *ns_version(void) { return NS_VERSION_STRING; }
