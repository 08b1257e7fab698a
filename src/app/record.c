/* Video recording through the ffmpeg program: raw RGBA frames go down a pipe, ffmpeg
 * encodes H.264 (yuv420p) into a fragmented MP4 under a temporary name that becomes the
 * final name when recording stops. Fragments make whatever was written playable even if
 * ffmpeg dies mid-way; a dead ffmpeg is one error, never a SIGPIPE. */
/* close_range is a GNU extension of the C library (glibc 2.34). */
#define _GNU_SOURCE
#include "app/record.h"

#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include "common/log.h"

struct app_recorder {
    char *path;     /* final name */
    char *tmp;      /* what ffmpeg writes */
    char *log_path; /* ffmpeg's stderr, for the error line */
    int fd;         /* write end of the pipe */
    pid_t pid;
    int w, h;
    long frames;
    bool dead;
};

/* The ffmpeg to run: HEROLOGO_FFMPEG, else the first `ffmpeg` on PATH. */
static bool find_ffmpeg(char *out, size_t size) {
    const char *forced = getenv("HEROLOGO_FFMPEG");
    if (forced && *forced) {
        snprintf(out, size, "%s", forced);
        return access(out, X_OK) == 0;
    }
    const char *path = getenv("PATH");
    char dirs[4096];
    snprintf(dirs, sizeof dirs, "%s", path ? path : "/usr/bin:/bin");
    for (char *save = NULL, *dir = strtok_r(dirs, ":", &save); dir;
         dir = strtok_r(NULL, ":", &save)) {
        snprintf(out, size, "%s/ffmpeg", *dir ? dir : ".");
        if (access(out, X_OK) == 0) {
            return true;
        }
    }
    return false;
}

static char *join(const char *a, const char *b) {
    size_t n = strlen(a) + strlen(b) + 1;
    char *s = malloc(n);
    if (s) {
        snprintf(s, n, "%s%s", a, b);
    }
    return s;
}

static void close_all(const int *fds, int n) {
    for (int k = 0; k < n; k++) {
        if (fds[k] >= 0) {
            close(fds[k]);
        }
    }
}

static void recorder_free(app_recorder *rec) {
    free(rec->path);
    free(rec->tmp);
    free(rec->log_path);
    free(rec);
}

/* ffmpeg's command line. Built before fork: the child of a program with GL and SDL
 * threads may only make async-signal-safe calls until it execs. */
typedef struct ffmpeg_args {
    const char *argv[48];
    char size[32], rate[16];
} ffmpeg_args;

static void build_args(ffmpeg_args *a, const app_recorder *rec, int fps, bool realtime) {
    snprintf(a->size, sizeof a->size, "%dx%d", rec->w, rec->h);
    snprintf(a->rate, sizeof a->rate, "%d", fps);
    const char **v = a->argv;
    int n = 0;
    const char *head[] = {"ffmpeg", "-hide_banner", "-loglevel", "error", "-y"};
    for (size_t k = 0; k < sizeof head / sizeof head[0]; k++) {
        v[n++] = head[k];
    }
    if (realtime) {
        /* Frames carry the time they arrived (an input rate would override it). */
        v[n++] = "-use_wallclock_as_timestamps";
        v[n++] = "1";
    } else {
        v[n++] = "-r";
        v[n++] = a->rate;
    }
    /* Rows arrive bottom-up from glReadPixels: vflip. A keyframe a second starts a new
     * fragment, so a cut-off file still plays up to the last fragment written. */
    const char *input[] = {"-f", "rawvideo", "-pix_fmt", "rgba", "-s", a->size,
                           "-i", "pipe:0", "-an", "-vf", "vflip", "-c:v", "libx264",
                           "-preset", "medium", "-crf", "18", "-pix_fmt", "yuv420p",
                           "-g", a->rate, "-movflags",
                           "+frag_keyframe+empty_moov+default_base_moof"};
    for (size_t k = 0; k < sizeof input / sizeof input[0]; k++) {
        v[n++] = input[k];
    }
    if (realtime) {
        /* A constant rate repeats or drops frames so the video plays at the speed the
         * window ran. */
        v[n++] = "-fps_mode";
        v[n++] = "cfr";
        v[n++] = "-r";
        v[n++] = a->rate;
    }
    v[n++] = "-f";
    v[n++] = "mp4";
    v[n++] = rec->tmp;
    v[n] = NULL;
}

/* Child side, async-signal-safe calls only: its own process group (Ctrl+C in the terminal
 * goes to herologo, which ends the video by closing the pipe), stdin from the pipe, stderr
 * to the log, SIGPIPE back to its default, no other inherited descriptor, then ffmpeg. */
static void exec_ffmpeg(const char *ffmpeg, const ffmpeg_args *a, int read_fd, int log_fd,
                        int null_fd) {
    setpgid(0, 0);
    dup2(read_fd, STDIN_FILENO);
    dup2(null_fd, STDOUT_FILENO);
    dup2(log_fd, STDERR_FILENO);
    struct sigaction dfl;
    memset(&dfl, 0, sizeof dfl);
    dfl.sa_handler = SIG_DFL;
    sigaction(SIGPIPE, &dfl, NULL);
    close_range(3, ~0u, 0);
    execv(ffmpeg, (char *const *)a->argv);
    _exit(127);
}

app_recorder *app_recorder_start(const char *path, int w, int h, int fps, bool realtime,
                                 char *err, size_t err_size) {
    char ffmpeg[1024];
    if (!find_ffmpeg(ffmpeg, sizeof ffmpeg)) {
        if (getenv("HEROLOGO_FFMPEG") && *getenv("HEROLOGO_FFMPEG")) {
            snprintf(err, err_size, "%s: cannot record: HEROLOGO_FFMPEG=%s is not an "
                     "executable program", path, ffmpeg);
        } else {
            snprintf(err, err_size, "%s: cannot record: the ffmpeg program was not found "
                     "(install the ffmpeg package)", path);
        }
        return NULL;
    }
    if (w % 2 || h % 2) {
        snprintf(err, err_size, "%s: cannot record %dx%d: H.264 needs an even width and "
                 "height", path, w, h);
        return NULL;
    }
    app_recorder *rec = calloc(1, sizeof *rec);
    if (!rec || !(rec->path = join(path, "")) || !(rec->tmp = join(path, ".tmp.mp4")) ||
        !(rec->log_path = join(path, ".tmp.log"))) {
        snprintf(err, err_size, "%s: cannot record: out of memory", path);
        if (rec) {
            recorder_free(rec);
        }
        return NULL;
    }
    rec->w = w;
    rec->h = h;
    /* A dead reader must turn writes into EPIPE errors, not kill the program. */
    signal(SIGPIPE, SIG_IGN);

    ffmpeg_args args;
    build_args(&args, rec, fps, realtime);
    int fds[2] = {-1, -1};
    int log_fd = open(rec->log_path, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0600);
    int null_fd = open("/dev/null", O_WRONLY | O_CLOEXEC);
    if (log_fd < 0 || null_fd < 0 || pipe(fds) != 0) {
        snprintf(err, err_size, "%s: cannot record: %s", path, strerror(errno));
        close_all((int[]){log_fd, null_fd, fds[0], fds[1]}, 4);
        unlink(rec->log_path);
        recorder_free(rec);
        return NULL;
    }
    fcntl(fds[1], F_SETFD, FD_CLOEXEC);
    rec->pid = fork();
    if (rec->pid == 0) {
        exec_ffmpeg(ffmpeg, &args, fds[0], log_fd, null_fd);
    }
    int saved = errno;
    close_all((int[]){log_fd, null_fd, fds[0]}, 3);
    if (rec->pid < 0) {
        snprintf(err, err_size, "%s: cannot start ffmpeg: %s", path, strerror(saved));
        close(fds[1]);
        unlink(rec->log_path);
        recorder_free(rec);
        return NULL;
    }
    rec->fd = fds[1];
    LOG_INFO("RECORD", "recording file=%s size=%dx%d fps=%d", path, w, h, fps);
    return rec;
}

/* The last line ffmpeg wrote to its log, for a one-line error. */
static void last_log_line(const app_recorder *rec, char *out, size_t size) {
    out[0] = '\0';
    FILE *f = fopen(rec->log_path, "r");
    char line[512];
    while (f && fgets(line, sizeof line, f)) {
        line[strcspn(line, "\r\n")] = '\0';
        if (line[0]) {
            snprintf(out, size, "%s", line);
        }
    }
    if (f) {
        fclose(f);
    }
}

bool app_recorder_write(app_recorder *rec, const unsigned char *rgba) {
    if (rec->dead) {
        return false;
    }
    size_t left = (size_t)rec->w * rec->h * 4;
    const unsigned char *p = rgba;
    while (left > 0) {
        ssize_t n = write(rec->fd, p, left);
        if (n < 0 && errno == EINTR) {
            continue;
        }
        if (n <= 0) {
            rec->dead = true;
            return false;
        }
        p += n;
        left -= (size_t)n;
    }
    rec->frames++;
    return true;
}

const char *app_recorder_path(const app_recorder *rec) {
    return rec->path;
}

/* Whether the file holds at least one movie fragment ("moof" box). With an empty moov up
 * front, a file killed before the encoder emitted its first fragment is not empty but
 * plays nothing; such a file is not worth keeping. */
static bool has_fragment(const char *path) {
    FILE *f = fopen(path, "rb");
    if (!f) {
        return false;
    }
    unsigned char buf[65536];
    size_t carry = 0, n;
    bool found = false;
    while (!found && (n = fread(buf + carry, 1, sizeof buf - carry, f)) > 0) {
        size_t len = carry + n;
        for (size_t k = 0; k + 4 <= len && !found; k++) {
            found = memcmp(buf + k, "moof", 4) == 0;
        }
        /* Keep the last three bytes: a box name may straddle two reads. */
        carry = len < 3 ? len : 3;
        memmove(buf, buf + len - carry, carry);
    }
    fclose(f);
    return found;
}

bool app_recorder_finish(app_recorder *rec, char *err, size_t err_size) {
    close(rec->fd);
    int status = 0;
    pid_t waited;
    while ((waited = waitpid(rec->pid, &status, 0)) < 0 && errno == EINTR) {
    }
    bool clean = !rec->dead && waited == rec->pid && WIFEXITED(status) &&
                 WEXITSTATUS(status) == 0;
    char why[512];
    last_log_line(rec, why, sizeof why);
    bool kept = has_fragment(rec->tmp) && rename(rec->tmp, rec->path) == 0;
    if (!kept) {
        unlink(rec->tmp);
    }
    unlink(rec->log_path);

    if (clean && kept) {
        LOG_INFO("RECORD", "saved file=%s frames_sent=%ld size=%dx%d", rec->path, rec->frames,
                 rec->w, rec->h);
    } else {
        const char *what = WIFEXITED(status) && WEXITSTATUS(status) == 127
                               ? "ffmpeg could not be started"
                           : WIFSIGNALED(status) ? "ffmpeg was killed"
                                                 : "ffmpeg failed";
        snprintf(err, err_size, "%s: %s after %ld frames%s%s; %s", rec->path, what,
                 rec->frames, why[0] ? ": " : "", why,
                 kept ? "what was recorded is kept" : "nothing playable was written");
    }
    recorder_free(rec);
    return clean && kept;
}
