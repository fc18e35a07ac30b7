/* app.h - the program: wmain (win/main.c) converts argv to UTF-8 and calls
 * app_main, which returns the process exit code (decide.h's exit_code). */
#ifndef NATTCHECK_APP_H
#define NATTCHECK_APP_H
int app_main(int argc, char **argv);
#endif
