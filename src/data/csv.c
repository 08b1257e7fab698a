/* The original data format: one point a line, `x,y,label`, no header. The reader is lenient
 * about layout (commas or blanks, comments, CRLF, a UTF-8 byte order mark) and strict about
 * content; every failure becomes one "FILE:LINE: what (found 'text')" message. The writer
 * goes through common/afile so that `path` is never left half written.
 * Numbers are read and printed with strtod and printf, so the C locale is assumed. */
#include "data/data.h"

#include <assert.h>
#include <ctype.h>
#include <errno.h>
#include <float.h>
#include <limits.h>
#include <math.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "common/afile.h"

/* Longest line accepted, line ending excluded; a longer one is an error, not a crash. */
#define CSV_MAX_LINE 4096
/* How much of an offending text an error message quotes, so the message stays short. */
#define CSV_QUOTE_MAX 40
#define CSV_FIELDS 3
/* Half a float step above FLT_MAX: doubles from here on round to infinity as floats. */
#define CSV_FLOAT_LIMIT ((double)FLT_MAX + 0x1p103)

typedef struct csv_point {
    float x, y, label;
} csv_point;

typedef struct csv_field {
    const char *text;
    size_t len;
} csv_field;

/* State of one load: the open file, where we are in it, the points read so far. */
typedef struct csv_reader {
    const char *path;
    FILE *fp;
    int line_no;
    char line[CSV_MAX_LINE + 1];
    csv_point *points;
    int n, cap;
    char *err;
    size_t err_size;
    bool header_seen;
} csv_reader;

static void csv_error(char *err, size_t err_size, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));

static void csv_error(char *err, size_t err_size, const char *fmt, ...) {
    if (!err || err_size == 0) {
        return;
    }
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(err, err_size, fmt, ap);
    va_end(ap);
}

/* Copies at most CSV_QUOTE_MAX characters of `text` into `out` for an error message, with
 * control characters shown as '?' so that the message stays on one line. */
static void csv_quote(char out[CSV_QUOTE_MAX + 4], const char *text, size_t len) {
    size_t shown = len < CSV_QUOTE_MAX ? len : CSV_QUOTE_MAX;
    for (size_t i = 0; i < shown; i++) {
        unsigned char c = (unsigned char)text[i];
        out[i] = c < 0x20 || c == 0x7f ? '?' : (char)c;
    }
    if (shown < len) {
        memcpy(out + shown, "...", 3);
        shown += 3;
    }
    out[shown] = '\0';
}

/* Blank characters separate fields; '\r' is one of them so CRLF endings need no care. */
static bool csv_is_blank(char c) {
    return c == ' ' || c == '\t' || c == '\r' || c == '\v' || c == '\f';
}

static const char *csv_skip_blanks(const char *s) {
    while (csv_is_blank(*s)) {
        s++;
    }
    return s;
}

/* Reads the next line, ending excluded, into r->line. Returns 1 for a line, 0 at the end of
 * the file and -1 on failure with the message written. */
static int csv_read_line(csv_reader *r) {
    char shown[CSV_QUOTE_MAX + 4];
    size_t len = 0;
    bool any = false;
    int c;
    r->line_no++;
    while ((c = getc(r->fp)) != EOF && c != '\n') {
        any = true;
        if (c == '\0') {
            csv_error(r->err, r->err_size, "%s:%d: NUL byte, not a text file", r->path,
                      r->line_no);
            return -1;
        }
        if (len == CSV_MAX_LINE) {
            csv_quote(shown, r->line, len);
            csv_error(r->err, r->err_size, "%s:%d: line longer than %d characters (found '%s')",
                      r->path, r->line_no, CSV_MAX_LINE, shown);
            return -1;
        }
        r->line[len++] = (char)c;
    }
    if (ferror(r->fp)) {
        csv_error(r->err, r->err_size, "%s:%d: cannot read: %s", r->path, r->line_no,
                  strerror(errno));
        return -1;
    }
    if (c == EOF && !any) {
        r->line_no--;
        return 0;
    }
    r->line[len] = '\0';
    return 1;
}

/* Splits `line` into fields at commas or runs of blanks, stopping at '#'. Returns the
 * number of fields (only the first CSV_FIELDS are stored), or -1 for an empty field. */
static int csv_split(const char *line, csv_field fields[CSV_FIELDS]) {
    const char *s = csv_skip_blanks(line);
    int n = 0;
    if (*s == '\0' || *s == '#') {
        return 0;
    }
    for (;;) {
        const char *start = s;
        while (*s != '\0' && *s != '#' && *s != ',' && !csv_is_blank(*s)) {
            s++;
        }
        size_t len = (size_t)(s - start);
        s = csv_skip_blanks(s);
        bool comma = *s == ',';
        if (comma) {
            s = csv_skip_blanks(s + 1);
        }

        /* A leading, doubled or trailing comma leaves a field with nothing in it. */
        bool at_end = *s == '\0' || *s == '#';
        if (len == 0 || (comma && at_end)) {
            return -1;
        }
        if (n < CSV_FIELDS) {
            fields[n] = (csv_field){start, len};
        }
        n++;
        if (at_end) {
            return n;
        }
    }
}

/* Parses a whole field as a finite number that fits a float. Returns NULL on success, or
 * what is wrong with it. */
static const char *csv_number(csv_field f, double *value) {
    char *end;
    double v = strtod(f.text, &end);
    if (end != f.text + f.len) {
        return "is not a number";
    }
    if (!isfinite(v)) {
        return "is not a finite number";
    }
    if (fabs(v) >= CSV_FLOAT_LIMIT) {
        return "is too large for a float";
    }
    *value = v;
    return NULL;
}

static bool csv_push(csv_reader *r, csv_point p) {
    if (r->n == r->cap) {
        int cap = r->cap == 0 ? 256 : (r->cap <= INT_MAX / 2 ? r->cap * 2 : INT_MAX);
        csv_point *grown = NULL;
        if (r->n < INT_MAX) {
            grown = realloc(r->points, (size_t)cap * sizeof(*grown));
        }
        if (!grown) {
            csv_error(r->err, r->err_size, "%s:%d: too many points, out of memory", r->path,
                      r->line_no);
            return false;
        }
        r->points = grown;
        r->cap = cap;
    }
    r->points[r->n++] = p;
    return true;
}

/* A header line such as "x,y,label": three fields that all start with a letter. */
static bool csv_is_header(const csv_field fields[CSV_FIELDS]) {
    for (int k = 0; k < CSV_FIELDS; k++) {
        if (fields[k].len == 0 || !isalpha((unsigned char)fields[k].text[0])) {
            return false;
        }
    }
    return true;
}

/* Parses r->line and appends its point, if it has one. False on failure, message written. */
static bool csv_parse_line(csv_reader *r) {
    static const char *const names[CSV_FIELDS] = {"x", "y", "label"};
    char shown[CSV_QUOTE_MAX + 4];
    const char *line = r->line;
    csv_field fields[CSV_FIELDS];
    double v[CSV_FIELDS];

    /* Editors on Windows may open the file with a UTF-8 byte order mark. */
    if (r->line_no == 1 && strncmp(line, "\xef\xbb\xbf", 3) == 0) {
        line += 3;
    }
    int n = csv_split(line, fields);
    if (n == 0) {
        return true;
    }
    if (n != CSV_FIELDS) {
        const char *trimmed = csv_skip_blanks(line);
        csv_quote(shown, trimmed, strlen(trimmed));
        if (n < 0) {
            csv_error(r->err, r->err_size, "%s:%d: empty field (found '%s')", r->path,
                      r->line_no, shown);
        } else {
            csv_error(r->err, r->err_size,
                      "%s:%d: expected 3 fields x,y,label, got %d (found '%s')", r->path,
                      r->line_no, n, shown);
        }
        return false;
    }

    /* A header is welcome before the first point; anywhere else it is an error like any
     * other text. */
    if (r->n == 0 && !r->header_seen && csv_is_header(fields)) {
        r->header_seen = true;
        return true;
    }
    for (int k = 0; k < CSV_FIELDS; k++) {
        const char *problem = csv_number(fields[k], &v[k]);
        if (!problem && k == 2 && v[k] != 0.0 && v[k] != 1.0) {
            problem = "must be 0 or 1";
        }
        if (problem) {
            csv_quote(shown, fields[k].text, fields[k].len);
            csv_error(r->err, r->err_size, "%s:%d: %s %s (found '%s')", r->path, r->line_no,
                      names[k], problem, shown);
            return false;
        }
    }
    return csv_push(r, (csv_point){(float)v[0], (float)v[1], (float)v[2]});
}

/* Moves the points read into a fresh set. */
static bool csv_finish(csv_reader *r, data_set *out) {
    if (r->n == 0) {
        csv_error(r->err, r->err_size, "%s:%d: no data points in the file", r->path,
                  r->line_no > 0 ? r->line_no : 1);
        return false;
    }
    data_set set;
    if (!data_set_alloc(&set, r->n)) {
        csv_error(r->err, r->err_size, "%s: out of memory for %d points", r->path, r->n);
        return false;
    }
    for (int i = 0; i < r->n; i++) {
        set.x[i] = r->points[i].x;
        set.y[i] = r->points[i].y;
        set.label[i] = r->points[i].label;
    }
    set.has_shape = false;
    *out = set;
    return true;
}

bool data_csv_load(const char *path, data_set *out, char *err, size_t err_size) {
    assert(path && out);
    csv_reader *r = calloc(1, sizeof(*r));
    if (!r) {
        csv_error(err, err_size, "%s: cannot read: out of memory", path);
        return false;
    }
    r->path = path;
    r->err = err;
    r->err_size = err_size;
    r->fp = fopen(path, "rb");
    if (!r->fp) {
        csv_error(err, err_size, "%s: cannot open: %s", path, strerror(errno));
        free(r);
        return false;
    }

    bool ok = true;
    int got;
    while (ok && (got = csv_read_line(r)) != 0) {
        ok = got > 0 && csv_parse_line(r);
    }
    if (ok) {
        ok = csv_finish(r, out);
    }

    fclose(r->fp);
    free(r->points);
    free(r);
    return ok;
}

/* Refuses what the reader would reject (no points, NaN, other labels), so that every file
 * written loads back. */
static bool csv_check_set(const char *path, const data_set *set, char *err, size_t err_size) {
    if (set->n <= 0 || !set->x || !set->y || !set->label) {
        csv_error(err, err_size, "%s: cannot write: the set has no points", path);
        return false;
    }
    for (int i = 0; i < set->n; i++) {
        if (!isfinite(set->x[i]) || !isfinite(set->y[i])) {
            csv_error(err, err_size, "%s: cannot write: point %d has a non-finite coordinate",
                      path, i);
            return false;
        }
        if (set->label[i] != 0.0f && set->label[i] != 1.0f) {
            csv_error(err, err_size, "%s: cannot write: point %d has label %g, not 0 or 1",
                      path, i, (double)set->label[i]);
            return false;
        }
    }
    return true;
}

bool data_csv_save(const char *path, const data_set *set, char *err, size_t err_size) {
    assert(path && set);
    if (!csv_check_set(path, set, err, err_size)) {
        return false;
    }
    afile file;
    if (!afile_open(&file, path, err, err_size)) {
        return false;
    }
    for (int i = 0; i < set->n; i++) {
        /* Nine significant digits bring every float back bit for bit. */
        if (fprintf(file.f, "%.9g,%.9g,%d\n", (double)set->x[i], (double)set->y[i],
                    set->label[i] != 0.0f) < 0) {
            break;
        }
    }
    /* A failed fprintf leaves the stream's error flag set, which the commit reports. */
    return afile_commit(&file, err, err_size);
}
