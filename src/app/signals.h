/* Stopping on SIGINT and SIGTERM the same way in every mode: the first signal asks the
 * run to finish cleanly (report, finalise the video, close the window); a second one ends
 * the program at once, the usual way. */
#ifndef HEROLOGO_APP_SIGNALS_H
#define HEROLOGO_APP_SIGNALS_H

void app_signals_install(void);

/* The signal that asked to stop, or 0. */
int app_signals_stop_requested(void);

#endif
