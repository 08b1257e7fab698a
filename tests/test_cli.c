/* Tests of the herologo command line as a user runs it: exit statuses and error lines for
 * bad flags and files, and the files a headless run writes (metrics, dataset, grid
 * predictions, model), including predicting from a loaded model without training. */
#define _POSIX_C_SOURCE 200809L
#include <fcntl.h>
#include <stdbool.h>
#include <stdlib.h>
#include <string.h>
#include <signal.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "check.h"

static const char *g_exe;
static char g_dir[64];
static char g_err[8192];
static char g_out[8192];

static void slurp(const char *path, char *buf, size_t size) {
    FILE *f = fopen(path, "r");
    size_t n = f ? fread(buf, 1, size - 1, f) : 0;
    buf[n] = '\0';
    if (f) {
        fclose(f);
    }
}

/* Runs herologo with the NULL-terminated arguments; returns its exit status (or -1 when
 * it died of a signal) with its stdout and stderr in g_out and g_err. */
/* argv for herologo: the program, then the NULL-terminated arguments. */
static void build_argv(const char *const *args, const char *argv[32]) {
    argv[0] = g_exe;
    int n = 1;
    for (; args[n - 1] && n < 31; n++) {
        argv[n] = args[n - 1];
    }
    argv[n] = NULL;
}

static int run(const char *const *args) {
    char out_path[128], err_path[128];
    snprintf(out_path, sizeof out_path, "%s/stdout", g_dir);
    snprintf(err_path, sizeof err_path, "%s/stderr", g_dir);
    const char *argv[32];
    build_argv(args, argv);

    pid_t pid = fork();
    if (pid == 0) {
        int o = open(out_path, O_WRONLY | O_CREAT | O_TRUNC, 0644);
        int e = open(err_path, O_WRONLY | O_CREAT | O_TRUNC, 0644);
        dup2(o, 1);
        dup2(e, 2);
        execv(g_exe, (char *const *)argv);
        _exit(127);
    }
    int status = 0;
    waitpid(pid, &status, 0);
    slurp(out_path, g_out, sizeof g_out);
    slurp(err_path, g_err, sizeof g_err);
    return WIFEXITED(status) ? WEXITSTATUS(status) : -1;
}

/* Starts herologo, sends `sig` after `delay_ms`, and returns its exit status. */
static int run_signalled(const char *const *args, int sig, int delay_ms) {
    char err_path[128];
    snprintf(err_path, sizeof err_path, "%s/stderr", g_dir);
    const char *argv[32];
    build_argv(args, argv);
    pid_t pid = fork();
    if (pid == 0) {
        int e = open(err_path, O_WRONLY | O_CREAT | O_TRUNC, 0644);
        dup2(e, 2);
        execv(g_exe, (char *const *)argv);
        _exit(127);
    }
    struct timespec ts = {delay_ms / 1000, (long)(delay_ms % 1000) * 1000000L};
    nanosleep(&ts, NULL);
    kill(pid, sig);
    int status = 0;
    waitpid(pid, &status, 0);
    slurp(err_path, g_err, sizeof g_err);
    return WIFEXITED(status) ? WEXITSTATUS(status) : -1;
}

static int count_lines(const char *text) {
    int n = 0;
    for (const char *p = text; *p; p++) {
        n += *p == '\n';
    }
    return n;
}

static char *path_in(const char *name) {
    static char buf[8][160];
    static int next;
    char *p = buf[next++ % 8];
    snprintf(p, 160, "%s/%s", g_dir, name);
    return p;
}

/* A usage error: exit status 2 and exactly one line on stderr that names the flag. */
static void expect_usage_error(const char *const *args, const char *needle) {
    int rc = run(args);
    CHECK_MSG(rc == 2, "%s %s: exit %d", args[0], args[1] ? args[1] : "", rc);
    CHECK_MSG(count_lines(g_err) == 1 && strstr(g_err, needle), "stderr was: %s", g_err);
}

static void test_bad_flags(void) {
    expect_usage_error((const char *[]){"--headless", "--hidden", "0", NULL}, "--hidden");
    expect_usage_error((const char *[]){"--headless", "--hidden", "40,0", NULL}, "--hidden");
    expect_usage_error((const char *[]){"--headless", "--hidden", "1,2,3,4,5,6,7,8,9", NULL},
                       "--hidden");
    expect_usage_error((const char *[]){"--headless", "--hidden", "257", NULL}, "--hidden");
    expect_usage_error((const char *[]){"--headless", "--lr", "abc", NULL}, "--lr");
    expect_usage_error((const char *[]){"--headless", "--lr", "-1", NULL}, "--lr");
    expect_usage_error((const char *[]){"--headless", "--lr=nan", NULL}, "--lr");
    expect_usage_error((const char *[]){"--headless", "--epochs", "-5", NULL}, "--epochs");
    expect_usage_error((const char *[]){"--headless", "--epochs", "1e3", NULL}, "--epochs");
    expect_usage_error((const char *[]){"--headless", "--epochs", NULL}, "--epochs");
    expect_usage_error((const char *[]){"--headless", "--seed", "-1", NULL}, "--seed");
    expect_usage_error((const char *[]){"--headless", "--init", "0", NULL}, "--init");
    expect_usage_error((const char *[]){"--headless", "--activation", "softmax", NULL},
                       "--activation");
    expect_usage_error((const char *[]){"--headless", "--loss", "hinge", NULL}, "--loss");
    expect_usage_error((const char *[]){"--headless", "--optimizer", "sgd", NULL},
                       "--optimizer");
    expect_usage_error((const char *[]){"--headless", "--frobnicate", NULL}, "--frobnicate");
    expect_usage_error((const char *[]){"--headless", "stray", NULL}, "stray");
    expect_usage_error((const char *[]){"--headless", "--normalize=1", NULL}, "--normalize");
    expect_usage_error(
        (const char *[]){"--headless", "--load-model", "m", "--hidden", "3", NULL},
        "--hidden");

    /* A value that is really the next flag, and flags given where they do nothing. */
    expect_usage_error((const char *[]){"--headless", "--data", "--epochs", "0", NULL},
                       "--data: needs a value");
    expect_usage_error((const char *[]){"--headless", "--fps", "30", NULL}, "--fps");
    expect_usage_error((const char *[]){"--epochs", "10", NULL}, "--epochs");
    expect_usage_error((const char *[]){"--headless", "--overlays", NULL}, "--overlays");
    expect_usage_error((const char *[]){"--headless", "--out", "a.jpg", NULL}, ".png");
    expect_usage_error((const char *[]){"--headless", "--lr", "0x10", NULL}, "--lr");
    expect_usage_error((const char *[]){"--record", "a.mp4", "--size", "321x180", NULL},
                       "even");
    expect_usage_error((const char *[]){"--record", "a.mp4", "--epochs-per-frame", "max",
                                        NULL},
                       "--epochs-per-frame");
    expect_usage_error((const char *[]){"--output-dir", "/no/such/dir", NULL},
                       "--output-dir");

    CHECK(run((const char *[]){"--help", NULL}) == 0 && strstr(g_out, "--headless"));
    CHECK(run((const char *[]){"--version", NULL}) == 0 && strstr(g_out, "herologo"));
}

static void test_bad_files(void) {
    FILE *f = fopen(path_in("bad.csv"), "w");
    fputs("# x,y,label\n1,2,0\n3,4,7\n", f);
    fclose(f);
    int rc = run((const char *[]){"--headless", "--data", path_in("bad.csv"), NULL});
    CHECK_MSG(rc == 1 && count_lines(g_err) == 1 && strstr(g_err, "bad.csv:3:"),
              "exit %d, stderr: %s", rc, g_err);

    rc = run((const char *[]){"--headless", "--data", path_in("nope.csv"), NULL});
    CHECK_MSG(rc == 1 && strstr(g_err, "nope.csv"), "exit %d, stderr: %s", rc, g_err);

    rc = run((const char *[]){"--headless", "--load-model", path_in("bad.csv"), NULL});
    CHECK_MSG(rc == 1 && strstr(g_err, "bad.csv") && strstr(g_err, "model"),
              "exit %d, stderr: %s", rc, g_err);

    rc = run((const char *[]){"--headless", "--epochs", "10", "--metrics",
                              path_in("no/such/dir/m.json"), NULL});
    CHECK_MSG(rc == 1 && strstr(g_err, "m.json") && strstr(g_err, "cannot write"),
              "exit %d, stderr: %s", rc, g_err);
}

static bool json_has(const char *json, const char *key_value) {
    return strstr(json, key_value) != NULL;
}

static void test_outputs(void) {
    static char text[2 << 20];
    static char again[2 << 20];
    int rc = run((const char *[]){"--headless", "--epochs", "2000", "--seed", "3",
                                  "--metrics", path_in("m.json"), "--export-dataset",
                                  path_in("set.csv"), "--predict-grid", path_in("grid.csv"),
                                  "--save-model", path_in("net.model"), NULL});
    CHECK_MSG(rc == 0, "exit %d, stderr: %s", rc, g_err);
    CHECK(strstr(g_err, "train_accuracy=") != NULL);

    slurp(path_in("m.json"), text, sizeof text);
    const char *keys[] = {"\"epochs\": 2000", "\"seconds\":", "\"epochs_per_second\":",
                          "\"mse\": 0.", "\"loss\": 0.", "\"train_accuracy\": 0.",
                          "\"grid_accuracy\": 0.", "\"topology\": \"2-40-1\"",
                          "\"activation\": \"sigmoid\"", "\"optimizer\": \"gd\"",
                          "\"seed\": 3", "\"simd\": \"", "\"diverged\": false"};
    for (size_t i = 0; i < sizeof keys / sizeof keys[0]; i++) {
        CHECK_MSG(json_has(text, keys[i]), "metrics lack %s", keys[i]);
    }

    slurp(path_in("set.csv"), text, sizeof text);
    CHECK(count_lines(text) == 627 && strncmp(text, "-8,-4.5,0\n", 10) == 0);
    slurp(path_in("grid.csv"), text, sizeof text);
    CHECK(count_lines(text) == 161 * 161 && strncmp(text, "-8,-8,", 6) == 0);

    /* The loaded model predicts the same grid, bit for bit, without training. */
    rc = run((const char *[]){"--headless", "--load-model", path_in("net.model"), "--epochs",
                              "0", "--predict-grid", path_in("grid2.csv"), "--metrics",
                              path_in("m2.json"), NULL});
    CHECK_MSG(rc == 0, "exit %d, stderr: %s", rc, g_err);
    slurp(path_in("grid2.csv"), again, sizeof again);
    CHECK(strcmp(text, again) == 0);
    slurp(path_in("m2.json"), text, sizeof text);
    CHECK(json_has(text, "\"epochs\": 0") && json_has(text, "\"total_epochs\": 2000"));

    /* The exported set trains like any CSV; it has no true shape to agree with. */
    rc = run((const char *[]){"--headless", "--epochs", "50", "--data", path_in("set.csv"),
                              "--hidden", "8,4", "--activation", "tanh", "--optimizer",
                              "adam", "--metrics", path_in("m3.json"), NULL});
    CHECK_MSG(rc == 0, "exit %d, stderr: %s", rc, g_err);
    slurp(path_in("m3.json"), text, sizeof text);
    CHECK(json_has(text, "\"grid_accuracy\": null") &&
          json_has(text, "\"topology\": \"2-8-4-1\"") &&
          json_has(text, "\"learning_rate\": 0.01,"));
}

static bool same_file(const char *a, const char *b) {
    static char x[1 << 16], y[1 << 16];
    FILE *fa = fopen(a, "rb"), *fb = fopen(b, "rb");
    size_t na = fa ? fread(x, 1, sizeof x, fa) : 0, nb = fb ? fread(y, 1, sizeof y, fb) : 1;
    if (fa) {
        fclose(fa);
    }
    if (fb) {
        fclose(fb);
    }
    return fa && fb && na == nb && memcmp(x, y, na) == 0;
}

/* Resuming from a model file continues the run exactly, also when the optimiser it
 * already uses is named again. */
static void test_resume(void) {
    int rc = run((const char *[]){"--headless", "--epochs", "300", "--optimizer", "adam",
                                  "--save-model", path_in("a1.model"), NULL});
    rc |= run((const char *[]){"--headless", "--epochs", "300", "--optimizer", "adam",
                               "--load-model", path_in("a1.model"), "--save-model",
                               path_in("a2.model"), NULL});
    rc |= run((const char *[]){"--headless", "--epochs", "600", "--optimizer", "adam",
                               "--save-model", path_in("b.model"), NULL});
    CHECK_MSG(rc == 0 && same_file(path_in("a2.model"), path_in("b.model")),
              "300 + 300 epochs through a model file differ from 600 straight");
}

/* Ctrl+C stops a long run early, and it still reports and writes its files. */
static void test_interrupt(void) {
    static char text[1 << 16];
    int rc = run_signalled((const char *[]){"--headless", "--epochs", "2000000000", "--metrics",
                                            path_in("int.json"), NULL},
                           SIGINT, 1500);
    slurp(path_in("int.json"), text, sizeof text);
    CHECK_MSG(rc == 0 && strstr(g_err, "interrupted") && strstr(text, "\"interrupted\": true"),
              "exit %d, stderr: %s", rc, g_err);
}

int main(int argc, char **argv) {
    if (argc < 2) {
        fprintf(stderr, "usage: test_cli PATH-TO-HEROLOGO\n");
        return 2;
    }
    g_exe = argv[1];
    if (!check_temp_dir(g_dir, sizeof g_dir, "test-cli")) {
        return 1;
    }
    test_bad_flags();
    test_bad_files();
    test_outputs();
    test_interrupt();
    test_resume();

    char cmd[128];
    snprintf(cmd, sizeof cmd, "rm -rf %s", g_dir);
    if (system(cmd) != 0) {
        fprintf(stderr, "could not remove %s\n", g_dir);
    }
    return check_summary("test_cli");
}
