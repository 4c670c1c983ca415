/* narrascope model: not available yet (being built under issue 3). */
#include <stdio.h>

#include "cli.h"

static const ns_cmd_spec spec = {
	"model", "[options]", "Not available in this version (being built under issue 3).", NULL, NULL,
};

int ns_cmd_model(int argc, char **argv)
{
	char **pos;
	int npos;
	int r = ns_cli_parse(&spec, argc, argv, &pos, &npos);
	if (r != 0)
		return r > 0 ? NS_EXIT_OK : NS_EXIT_USAGE;
	return ns_cli_not_yet("model", "being built under issue 3");
}
