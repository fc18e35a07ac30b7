/* ui.h - the window for the person at the machine: when it is shown, and
 * what it says (the run in plain words, the Fix button's command). */
#ifndef NATTCHECK_UI_H
#define NATTCHECK_UI_H

#include <stdbool.h>

#include "cli.h"
#include "platform.h"
#include "report.h"
#include "strbuf.h"

/* A window only where a person can answer it (interactive), and only when
 * asked (--window) or double-clicked (no arguments at all, on a console of
 * its own).  Never for anything a script starts. */
bool ui_wanted(const cli *opt, bool console_own, bool interactive);

typedef struct ui_content {
	strbuf title, headline, body;
	const char *fix_args[4];   /* "fix", SERVER, "--auth", "psk"|"cert" */
	size_t nfix;
	char fix_server[256];
} ui_content;

void ui_init(ui_content *u);
void ui_free(ui_content *u);
/* From a finished run (check, or its usage/system error). */
void ui_build(const run_result *r, ui_content *u);
/* The line after the Fix run ended with exit code rc (-1: it did not run:
 * cancelled at the UAC prompt, or could not start). */
const char *ui_fix_said(int rc);
#endif
