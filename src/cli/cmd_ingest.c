/* narrascope ingest: not available yet (planned; no issue has scheduled it yet). */
#include <stdio.h>

#include "cli.h"

static const ns_cmd_spec spec = {
	"ingest", "[options]", "Not available in this version (planned; no issue has scheduled it yet).", NULL, NULL,
};

int ns_cmd_ingest(int argc, char **argv)
{
	char **pos;
	int npos;
	int r = ns_cli_parse(&spec, argc, argv, &pos, &npos);
	if (r != 0)
		return r > 0 ? NS_EXIT_OK : NS_EXIT_USAGE;
	return ns_cli_not_yet("ingest", "planned; no issue has scheduled it yet");
}
