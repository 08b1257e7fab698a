/* Tests of common/: the logger's threshold and sink, the seeded generator, aligned
 * allocation and all-or-nothing file writing. */
#define _POSIX_C_SOURCE 200809L
#include <dirent.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "check.h"
#include "common/afile.h"
#include "common/log.h"
#include "common/mem.h"
#include "common/rng.h"

typedef struct captured {
    int count;
    char last[256];
} captured;

static void capture_sink(log_level level, const char *tag, const char *msg, void *user) {
    captured *c = user;
    c->count++;
    snprintf(c->last, sizeof c->last, "%s %s: %s", log_level_name(level), tag, msg);
}

static void test_log(void) {
    captured c = {0};
    log_set_sink(capture_sink, &c);
    log_set_level(LOG_LEVEL_INFO);
    LOG_DEBUG("T", "hidden");
    CHECK(c.count == 0);
    LOG_INFO("NN", "topology=%s", "2-41-1");
    CHECK(c.count == 1 && strcmp(c.last, "INFO NN: topology=2-41-1") == 0);
    log_set_level(LOG_LEVEL_WARN);
    LOG_INFO("NN", "dropped");
    LOG_ERROR("FILE", "x.csv:3: bad");
    CHECK(c.count == 2 && strcmp(c.last, "ERROR FILE: x.csv:3: bad") == 0);
    log_set_sink(NULL, NULL);
    log_set_level(LOG_LEVEL_INFO);
}

static void test_rng(void) {
    rng_state a, b;
    rng_seed(&a, 42);
    rng_seed(&b, 42);
    bool same = true, in_range = true;
    double sum = 0.0;
    for (int i = 0; i < 100000; i++) {
        same = same && rng_next(&a) == rng_next(&b);
        float v = rng_symmetric(&a, 0.2f);
        in_range = in_range && v > -0.2f && v < 0.2f;
        sum += v;
        rng_next(&b);
    }
    CHECK(same);
    CHECK(in_range);
    CHECK_NEAR(sum / 100000.0, 0.0, 0.003);
    rng_seed(&b, 43);
    rng_seed(&a, 42);
    CHECK(rng_next(&a) != rng_next(&b));
    /* The stream is fixed by the seed forever: a changed generator breaks old seeds. */
    rng_seed(&a, 1);
    uint64_t first = rng_next(&a);
    rng_seed(&a, 1);
    CHECK(first == rng_next(&a));
    double u = rng_uniform(&a);
    CHECK(u >= 0.0 && u < 1.0);
    CHECK(rng_fresh_seed() < 1000000u);
}

static void test_mem(void) {
    for (size_t n = 1; n < 300; n += 37) {
        float *p = mem_alloc_floats(n);
        CHECK(p != NULL && ((uintptr_t)p % MEM_ALIGN) == 0);
        bool zero = true;
        for (size_t i = 0; p && i < n; i++) {
            zero = zero && p[i] == 0.0f;
        }
        CHECK(zero);
        mem_free(p);
    }
    log_set_level(LOG_LEVEL_NONE);
    CHECK(mem_alloc_floats(SIZE_MAX / 2) == NULL);
    log_set_level(LOG_LEVEL_INFO);
}

static int count_entries(const char *dir) {
    DIR *d = opendir(dir);
    int n = 0;
    for (struct dirent *e; d && (e = readdir(d));) {
        n += e->d_name[0] != '.';
    }
    if (d) {
        closedir(d);
    }
    return n;
}

static void read_text(const char *path, char *buf, size_t size) {
    FILE *f = fopen(path, "r");
    size_t n = f ? fread(buf, 1, size - 1, f) : 0;
    buf[n] = '\0';
    if (f) {
        fclose(f);
    }
}

static void test_afile(void) {
    char dir[64];
    CHECK(check_temp_dir(dir, sizeof dir, "test-common") != NULL);
    char path[128], err[256], text[64];
    snprintf(path, sizeof path, "%s/out.txt", dir);

    afile a;
    CHECK(afile_open(&a, path, err, sizeof err));
    fputs("first", a.f);
    CHECK(access(path, F_OK) != 0); /* nothing at the final name until commit */
    CHECK(afile_commit(&a, err, sizeof err));
    read_text(path, text, sizeof text);
    CHECK(strcmp(text, "first") == 0);

    /* An aborted rewrite leaves the old file whole and no temporary behind. */
    CHECK(afile_open(&a, path, err, sizeof err));
    fputs("second, half written", a.f);
    afile_abort(&a);
    read_text(path, text, sizeof text);
    CHECK(strcmp(text, "first") == 0);
    CHECK(count_entries(dir) == 1);

    struct stat st;
    CHECK(stat(path, &st) == 0 && (st.st_mode & 0777) == 0644);

    snprintf(path, sizeof path, "%s/missing/out.txt", dir);
    CHECK(!afile_open(&a, path, err, sizeof err));
    CHECK(strstr(err, path) != NULL && strstr(err, "cannot write") != NULL);

    /* Checked before long work: a folder or a missing folder is refused with the name. */
    CHECK(!afile_check_writable(dir, err, sizeof err) && strstr(err, "it is a folder"));
    CHECK(!afile_check_writable(path, err, sizeof err) && strstr(err, "missing/out.txt"));
    snprintf(path, sizeof path, "%s/out.txt", dir);
    CHECK(afile_check_writable(path, err, sizeof err));
    unlink(path);
    rmdir(dir);
}

int main(void) {
    test_log();
    test_rng();
    test_mem();
    test_afile();
    return check_summary("test_common");
}
