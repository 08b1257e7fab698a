/* Pixel probe for the end-to-end test: prints the colour of chosen pixels of a PNG.
 * Usage: png_probe FILE X Y [X Y ...]; one "R G B" line per coordinate, in order.
 * The shell script judges the colours; this tool only reads them, so it stays tiny.
 * Exit status 2 on any error (bad arguments, unreadable file, point outside the image). */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>

#include <stb_image.h>

/* Parses a whole decimal argument; strtol alone would accept "12abc". */
static int parse_coord(const char *s, long *out) {
    char *end = NULL;
    errno = 0;
    long v = strtol(s, &end, 10);
    if (errno != 0 || end == s || *end != '\0') {
        return 0;
    }
    *out = v;
    return 1;
}

int main(int argc, char **argv) {
    if (argc < 4 || (argc - 2) % 2 != 0) {
        fprintf(stderr, "usage: %s FILE X Y [X Y ...]\n", argv[0]);
        return 2;
    }

    int w = 0, h = 0, n = 0;
    /* Three channels asked for, so RGBA and grey files index the same way. */
    unsigned char *px = stbi_load(argv[1], &w, &h, &n, 3);
    if (!px) {
        fprintf(stderr, "png_probe: cannot load %s: %s\n", argv[1], stbi_failure_reason());
        return 2;
    }

    int status = 0;
    for (int i = 2; i + 1 < argc; i += 2) {
        long x = 0, y = 0;
        if (!parse_coord(argv[i], &x) || !parse_coord(argv[i + 1], &y)) {
            fprintf(stderr, "png_probe: bad coordinate '%s %s'\n", argv[i], argv[i + 1]);
            status = 2;
            break;
        }
        if (x < 0 || y < 0 || x >= w || y >= h) {
            fprintf(stderr, "png_probe: %ld,%ld is outside the %dx%d image\n", x, y, w, h);
            status = 2;
            break;
        }
        const unsigned char *p = px + ((size_t)y * (size_t)w + (size_t)x) * 3;
        printf("%d %d %d\n", p[0], p[1], p[2]);
    }

    stbi_image_free(px);
    return status;
}
