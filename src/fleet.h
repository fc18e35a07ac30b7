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

/* Summarises every *.json in dir into out (text or JSON).  Results whose
 * time is more than max_age_days before now are listed as stale; files that
 * are not nattcheck results are listed, not fatal. */
fleet_status fleet_report(const char *dir, bool json, uint32_t max_age_days, strbuf *out,
	strbuf *err);
#endif
