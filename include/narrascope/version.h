/* Library version. */
#ifndef NARRASCOPE_VERSION_H
#define NARRASCOPE_VERSION_H

#define NS_VERSION_STRING "0.1.0"
#define NS_VERSION_MAJOR 0
#define NS_VERSION_MINOR 1
#define NS_VERSION_PATCH 0

/* The version string of the library actually linked. Borrowed, static. */
const char *ns_version(void);

#endif
