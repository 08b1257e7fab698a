/* Files written all-or-nothing: data goes to a temporary name in the same folder and is
 * renamed into place only once it is complete and on disk, so a failure or a crash never
 * leaves half a file where the user expects their result. */
#ifndef HEROLOGO_COMMON_AFILE_H
#define HEROLOGO_COMMON_AFILE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdio.h>

typedef struct afile {
    FILE *f;    /* write through this */
    char *tmp;  /* the temporary name */
    char *path; /* the final name */
} afile;

/* Opens a temporary file beside `path`. On failure err gets "PATH: cannot write: why". */
bool afile_open(afile *a, const char *path, char *err, size_t err_size);

/* Flushes, syncs and closes the file, then renames it to its final name. On any failure
 * the temporary file is removed and err says why. Always releases `a`. */
bool afile_commit(afile *a, char *err, size_t err_size);

/* Whether a file could be written at `path` (its folder exists and is writable, and it
 * is not a folder itself), checked before long work so a typo costs nothing. On failure
 * err gets "PATH: cannot write: why". */
bool afile_check_writable(const char *path, char *err, size_t err_size);

/* Drops the temporary file (after an error while writing). */
void afile_abort(afile *a);

#endif
