/* herologo: a small neural network learns the Batman logo. main parses the command line
 * and hands over to the headless run or the live view; it owns the exit status. */
#include <signal.h>

#include "app/options.h"
#include "app/live.h"
#include "app/offscreen.h"
#include "app/session.h"

int main(int argc, char **argv) {
    /* A closed stdout or stderr (`| head`) must make writes fail, not end the run and lose
     * its files; ffmpeg's pipe relies on the same. */
    signal(SIGPIPE, SIG_IGN);
    app_options opt;
    switch (app_parse_args(argc, argv, &opt)) {
    case APP_PARSE_EXIT_OK:
        return 0;
    case APP_PARSE_ERROR:
        return 2;
    default:
        break;
    }
    if (opt.headless) {
        return app_run_headless(&opt);
    }
    if (opt.record_path) {
        return app_run_record(&opt);
    }
    return app_run_live(&opt);
}
