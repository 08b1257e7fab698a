/* All-or-nothing file writing through mkstemp, fsync and rename. */
#define _POSIX_C_SOURCE 200809L
#include "common/afile.h"

#include <errno.h>
#include <fcntl.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

static void afile_release(afile *a) {
    free(a->tmp);
    free(a->path);
    a->tmp = a->path = NULL;
    a->f = NULL;
}

bool afile_open(afile *a, const char *path, char *err, size_t err_size) {
    size_t len = strlen(path);
    a->f = NULL;
    a->path = malloc(len + 1);
    a->tmp = malloc(len + 16);
    if (!a->path || !a->tmp) {
        snprintf(err, err_size, "%s: cannot write: out of memory", path);
        afile_release(a);
        return false;
    }
    memcpy(a->path, path, len + 1);
    /* mkstemp replaces the six X ending the name: "PATH.tmp." then six of them. */
    snprintf(a->tmp, len + 16, "%s.tmp.", path);
    memset(a->tmp + len + 5, 'X', 6);
    a->tmp[len + 11] = '\0';
    int fd = mkstemp(a->tmp);
    if (fd < 0) {
        snprintf(err, err_size, "%s: cannot write: %s", path, strerror(errno));
        afile_release(a);
        return false;
    }
    /* mkstemp creates 0600; give the result what a plain fopen would, under the umask. */
    mode_t mask = umask(0);
    umask(mask);
    if (fchmod(fd, 0666 & ~mask) != 0) {
        snprintf(err, err_size, "%s: cannot write: %s", path, strerror(errno));
        close(fd);
        unlink(a->tmp);
        afile_release(a);
        return false;
    }
    a->f = fdopen(fd, "wb");
    if (!a->f) {
        snprintf(err, err_size, "%s: cannot write: %s", path, strerror(errno));
        close(fd);
        unlink(a->tmp);
        afile_release(a);
        return false;
    }
    return true;
}

/* The folder a path's file lives in: "." for a bare name, "/" at the root. */
static void folder_of(const char *path, char *dir, size_t size) {
    snprintf(dir, size, "%s", path);
    char *slash = strrchr(dir, '/');
    if (!slash) {
        snprintf(dir, size, ".");
    } else if (slash == dir) {
        dir[1] = '\0';
    } else {
        *slash = '\0';
    }
}

bool afile_check_writable(const char *path, char *err, size_t err_size) {
    struct stat st;
    if (stat(path, &st) == 0 && S_ISDIR(st.st_mode)) {
        snprintf(err, err_size, "%s: cannot write: it is a folder", path);
        return false;
    }
    char dir[4096];
    folder_of(path, dir, sizeof dir);
    if (access(dir, W_OK) != 0) {
        snprintf(err, err_size, "%s: cannot write: %s", path, strerror(errno));
        return false;
    }
    return true;
}

/* Makes the rename itself durable: the folder's entry is data too. Best effort, since
 * some file systems refuse to sync a folder. */
static void sync_folder(const char *path) {
    char dir[4096];
    folder_of(path, dir, sizeof dir);
    int fd = open(dir, O_RDONLY);
    if (fd >= 0) {
        fsync(fd);
        close(fd);
    }
}

bool afile_commit(afile *a, char *err, size_t err_size) {
    bool ok = !ferror(a->f) && fflush(a->f) == 0 && fsync(fileno(a->f)) == 0;
    int saved = errno;
    if (fclose(a->f) != 0 && ok) {
        saved = errno;
        ok = false;
    }
    if (ok && rename(a->tmp, a->path) != 0) {
        saved = errno;
        ok = false;
    }
    if (ok) {
        sync_folder(a->path);
    }
    if (!ok) {
        snprintf(err, err_size, "%s: cannot write: %s", a->path,
                 saved ? strerror(saved) : "write error");
        unlink(a->tmp);
    }
    afile_release(a);
    return ok;
}

void afile_abort(afile *a) {
    if (a->f) {
        fclose(a->f);
        unlink(a->tmp);
    }
    afile_release(a);
}
