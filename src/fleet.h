/* fleet.h - results a fleet can collect: the run's timestamp, and `report`,
 * the summary of a folder of --log result files. */
#ifndef NATTCHECK_FLEET_H
#define NATTCHECK_FLEET_H

#include <stdbool.h>
#include <stdint.h>

#include "strbuf.h"

#define FLEET_MAX_FILE (256u * 1024u)
#define FLEET_DEFAULT_MAX_AGE_DAYS 7u

/* FILETIME (100 ns since 1601, UTC) -> "2026-11-24T11:39:21Z". */
void fleet_time_iso(uint64_t filetime, char out[32]);
/* "2026-11-24T11:39:21Z" -> FILETIME; false if not in that exact form. */
bool fleet_time_parse(const char *iso, uint64_t *filetime);

/* What became of a report; app.c maps it to an exit code. */
typedef enum fleet_status {
	FLEET_OK = 0,
	FLEET_NO_FOLDER,   /* the folder does not exist (the user's input) */
	FLEET_DENIED,      /* not allowed to list it */
	FLEET_FAILED,      /* anything else, said in err */
} fleet_status;

typedef enum fleet_format { FLEET_TEXT, FLEET_JSON, FLEET_CSV } fleet_format;

#define FLEET_DEFAULT_HOSTS_SHOWN 20u
#define FLEET_MAX_HOSTS_SHOWN 100000u

typedef struct fleet_opts {
	fleet_format format;
	uint32_t max_age_days;   /* older results are stale */
	uint32_t hosts_shown;    /* text: names listed per group, the rest counted */
} fleet_opts;

/* Summarises every *.json in dir into out.  Text: counts per verdict, then
 * the hosts that need action grouped by (verdict, advice), stale results
 * and unreadable files likewise, each group naming its first hosts_shown;
 * 80 columns whatever the fleet's size.  JSON: one document (the schema's
 * report shape).  CSV (RFC 4180, UTF-8 with BOM, CRLF): one row per host
 * and server.  Each file is parsed, the few fields the output needs are
 * kept, and the document is freed; a file that does not parse is read once
 * more (a writer may have been replacing it) before it counts as damaged.
 * Files that are not results are listed, not fatal.  With 1000 files or
 * more and stderr a console, a progress line there. */
fleet_status fleet_report(const char *dir, const fleet_opts *o, strbuf *out, strbuf *err);
#endif
