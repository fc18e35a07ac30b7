/* version.h - the one version number: --version, the exe resources, the MSI
 * and the release file names all come from here (build.mk parses it). */
#ifndef NATTCHECK_VERSION_H
#define NATTCHECK_VERSION_H
#define NATTCHECK_VERSION_MAJOR 1
#define NATTCHECK_VERSION_MINOR 0
#define NATTCHECK_VERSION_PATCH 0
#define NATTCHECK_STR2(x) #x
#define NATTCHECK_STR(x) NATTCHECK_STR2(x)
#define NATTCHECK_VERSION NATTCHECK_STR(NATTCHECK_VERSION_MAJOR) "." \
	NATTCHECK_STR(NATTCHECK_VERSION_MINOR) "." NATTCHECK_STR(NATTCHECK_VERSION_PATCH)
#endif
