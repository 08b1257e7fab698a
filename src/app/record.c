/* Video recording through the ffmpeg program: raw RGBA frames go down a pipe, ffmpeg
 * encodes H.264 (yuv420p) into a fragmented MP4 under a temporary name that becomes the
 * final name when recording stops. Fragments make whatever was written playable even if
 * ffmpeg dies mid-way; a dead ffmpeg is one error, never a SIGPIPE. */
#define _POSIX_C_SOURCE 200809L
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

static void recorder_free(app_recorder *rec) {
    free(rec->path);
    free(rec->tmp);
    free(rec->log_path);
    free(rec);
}

/* Child side: stdin from the pipe, stderr to the log, then exec ffmpeg. */
static void exec_ffmpeg(const app_recorder *rec, const char *ffmpeg, int read_fd, int fps,
                        bool realtime) {
    char size[32], rate[16];
    snprintf(size, sizeof size, "%dx%d", rec->w, rec->h);
    snprintf(rate, sizeof rate, "%d", fps);
    /* Its own process group: Ctrl+C in the terminal goes to herologo, which then ends the
     * video by closing the pipe, instead of ffmpeg dying halfway through its last frame. */
    setpgid(0, 0);
    dup2(read_fd, STDIN_FILENO);
    int log_fd = open(rec->log_path, O_WRONLY | O_CREAT | O_TRUNC, 0600);
    int null_fd = open("/dev/null", O_WRONLY);
    if (log_fd >= 0) {
        dup2(log_fd, STDERR_FILENO);
    }
    if (null_fd >= 0) {
        dup2(null_fd, STDOUT_FILENO);
    }
    /* Rows arrive bottom-up from glReadPixels: vflip. A keyframe a second starts a new
     * fragment, so a cut-off file still plays up to the last second written. */
    const char *args[48];
    int n = 0;
    const char *head[] = {"ffmpeg", "-hide_banner", "-loglevel", "error", "-y"};
    for (size_t k = 0; k < sizeof head / sizeof head[0]; k++) {
        args[n++] = head[k];
    }
    if (realtime) {
        args[n++] = "-use_wallclock_as_timestamps";
        args[n++] = "1";
    }
    const char *input[] = {"-f", "rawvideo", "-pix_fmt", "rgba", "-s", size, "-r", rate,
                           "-i", "pipe:0", "-an", "-vf", "vflip", "-c:v", "libx264",
                           "-preset", "medium", "-crf", "18", "-pix_fmt", "yuv420p",
                           "-g", rate, "-movflags",
                           "+frag_keyframe+empty_moov+default_base_moof"};
    for (size_t k = 0; k < sizeof input / sizeof input[0]; k++) {
        args[n++] = input[k];
    }
    if (realtime) {
        /* Frames carry the time they arrived; a constant rate repeats or drops frames so
         * the video plays at the speed the window ran. */
        args[n++] = "-fps_mode";
        args[n++] = "cfr";
        args[n++] = "-r";
        args[n++] = rate;
    }
    args[n++] = "-f";
    args[n++] = "mp4";
    args[n++] = rec->tmp;
    args[n] = NULL;
    execv(ffmpeg, (char *const *)args);
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

    int fds[2];
    if (pipe(fds) != 0) {
        snprintf(err, err_size, "%s: cannot record: %s", path, strerror(errno));
        recorder_free(rec);
        return NULL;
    }
    fcntl(fds[1], F_SETFD, FD_CLOEXEC);
    rec->pid = fork();
    if (rec->pid == 0) {
        close(fds[1]);
        exec_ffmpeg(rec, ffmpeg, fds[0], fps, realtime);
    }
    close(fds[0]);
    if (rec->pid < 0) {
        snprintf(err, err_size, "%s: cannot start ffmpeg: %s", path, strerror(errno));
        close(fds[1]);
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

long app_recorder_frames(const app_recorder *rec) {
    return rec->frames;
}

bool app_recorder_alive(const app_recorder *rec) {
    return !rec->dead;
}

const char *app_recorder_path(const app_recorder *rec) {
    return rec->path;
}

static long file_size(const char *path) {
    struct stat st;
    return stat(path, &st) == 0 ? (long)st.st_size : -1;
}

bool app_recorder_finish(app_recorder *rec, char *err, size_t err_size) {
    close(rec->fd);
    int status = 0;
    while (waitpid(rec->pid, &status, 0) < 0 && errno == EINTR) {
    }
    bool clean = !rec->dead && WIFEXITED(status) && WEXITSTATUS(status) == 0;
    char why[512];
    last_log_line(rec, why, sizeof why);
    bool kept = file_size(rec->tmp) > 0 && rename(rec->tmp, rec->path) == 0;
    if (!kept) {
        unlink(rec->tmp);
    }
    unlink(rec->log_path);

    if (clean && kept) {
        LOG_INFO("RECORD", "saved file=%s frames=%ld size=%dx%d", rec->path, rec->frames,
                 rec->w, rec->h);
    } else {
        const char *what = WIFEXITED(status) && WEXITSTATUS(status) == 127
                               ? "ffmpeg could not be started"
                           : WIFSIGNALED(status) ? "ffmpeg was killed"
                                                 : "ffmpeg failed";
        snprintf(err, err_size, "%s: %s after %ld frames%s%s; %s", rec->path, what,
                 rec->frames, why[0] ? ": " : "", why,
                 kept ? "what was recorded is kept" : "nothing was written");
    }
    recorder_free(rec);
    return clean && kept;
}
