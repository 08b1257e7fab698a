#!/bin/sh
# Checks `herologo --record` and `herologo --headless --out` as a user runs them: the videos
# are read back with ffprobe and ffmpeg, the pictures with png_probe, and ffmpeg is made to
# go missing or die to see that the program fails in one clear line and keeps what it can.
# Usage: test_record.sh HEROLOGO PNG_PROBE. Prints PASS/FAIL per check, then "N passed, N failed".
set -eu

HEROLOGO=${1:?usage: test_record.sh HEROLOGO PNG_PROBE}
PROBE=${2:?usage: test_record.sh HEROLOGO PNG_PROBE}

# Recording needs no display; the offscreen driver gives a GL context without X.
SDL_VIDEODRIVER=offscreen
export SDL_VIDEODRIVER
# Each check chooses its ffmpeg itself; one inherited from the caller would change what runs.
unset HEROLOGO_FFMPEG

PASSED=0
FAILED=0
T0=$(date +%s)
W=$(mktemp -d)
BG_PID=""

# Runs on every exit, CTest's timeout kill included, so no recording keeps running.
# shellcheck disable=SC2317 # reached through the trap below
cleanup() {
    if [ -n "$BG_PID" ] && kill -0 "$BG_PID" 2>/dev/null; then
        kill -KILL "$BG_PID" 2>/dev/null || true
        wait "$BG_PID" 2>/dev/null || true
    fi
    rm -rf "$W"
}
trap cleanup EXIT
trap 'exit 130' INT
trap 'exit 143' TERM

pass() {
    PASSED=$((PASSED + 1))
    echo "PASS: $*"
}

# Shows the end of the program's stderr too, as that usually says why.
fail() {
    FAILED=$((FAILED + 1))
    echo "FAIL: $*"
    if [ -n "${ERR:-}" ] && [ -s "$ERR" ]; then
        tail -n 5 "$ERR" | sed 's/^/    | /'
    fi
}

# The tools that read the results back; without them every video check fails, never skips.
FFMPEG=$(command -v ffmpeg 2>/dev/null || true)
FFPROBE=$(command -v ffprobe 2>/dev/null || true)
if [ -z "$FFMPEG" ] || [ -z "$FFPROBE" ]; then
    ERR=""
    fail "ffmpeg and ffprobe must be on PATH (ffmpeg='$FFMPEG' ffprobe='$FFPROBE')"
fi

# Runs herologo with stderr kept in $ERR and the exit status in $RC, whatever it is.
run() {
    RC=0
    "$HEROLOGO" "$@" >"$W/stdout.txt" 2>"$ERR" || RC=$?
}

# The stream facts the checks compare, one key=value a line; empty when ffprobe fails.
probe() {
    [ -n "$FFPROBE" ] || return 0
    "$FFPROBE" -v error -count_frames -select_streams v:0 \
        -show_entries stream=codec_name,width,height,pix_fmt,nb_read_frames,r_frame_rate \
        -of default=nw=1 "$1" 2>/dev/null || true
}

# Frames ffprobe can actually decode (0 when none or unreadable): the test of "playable".
decoded_frames() {
    n=$(probe "$1" | sed -n 's/^nb_read_frames=\([0-9][0-9]*\)$/\1/p')
    echo "${n:-0}"
}

# A per-frame checksum list without its comment header, which names the input file.
frame_sums() {
    [ -n "$FFMPEG" ] || return 0
    "$FFMPEG" -v error -i "$1" -f framemd5 - 2>/dev/null | grep -v '^#' || true
}

# True when any leftover temporary file (video or ffmpeg log) is in the folder.
tmp_left() {
    for f in "$1"/*.tmp.*; do
        [ -e "$f" ] && return 0
    done
    return 1
}

count_lines() {
    grep -c "$1" "$2" || true
}

# Pixel "column row" of world point (x, y) in a WxH picture of the default view: x runs
# -8..8 across the width and the scale is equal, so y spans 8*H/W either side of 0.
pixel_of() {
    awk -v x="$1" -v y="$2" -v w="$3" -v h="$4" 'BEGIN {
        half = 8 * h / w
        c = int((x + 8) / 16 * w); r = int((half - y) / (2 * half) * h)
        if (c > w - 1) c = w - 1
        if (r > h - 1) r = h - 1
        print c, r }'
}

# Reads the colour at world points and checks each against a class: dark is the inside of
# the logo (every channel < 60), yellow the outside (R > 200, G > 150, B < 90).
check_colours() {
    png=$1 w=$2 h=$3 class=$4
    shift 4
    while [ $# -ge 2 ]; do
        x=$1 y=$2
        shift 2
        # pixel_of's "column row" is meant to split into two arguments.
        # shellcheck disable=SC2046
        rgb=$("$PROBE" "$png" $(pixel_of "$x" "$y" "$w" "$h") 2>&1) || rgb="probe error: $rgb"
        if echo "$rgb" | awk -v k="$class" '{
                ok = (k == "dark") ? ($1 < 60 && $2 < 60 && $3 < 60) \
                                   : ($1 > 200 && $2 > 150 && $3 < 90)
                exit !(NF == 3 && ok) }'; then
            pass "$(basename "$png") ${w}x$h: ($x, $y) is $class ($rgb)"
        else
            fail "$(basename "$png") ${w}x$h: ($x, $y) should be $class, got '$rgb'"
        fi
    done
}

# Waits up to $2 seconds for process $1 to end; false if it is still running.
gone_within() {
    i=0
    while kill -0 "$1" 2>/dev/null; do
        [ "$i" -ge "$(($2 * 5))" ] && return 1
        sleep 0.2
        i=$((i + 1))
    done
    return 0
}

# Waits until recording $BG_PID has really started (the line logged once ffmpeg runs), then
# $2 seconds more so that frames have gone out; false if it ends or never starts.
wait_recording() {
    i=0
    until grep -q 'recording file=' "$1" 2>/dev/null; do
        if [ "$i" -ge 150 ] || ! kill -0 "$BG_PID" 2>/dev/null; then
            return 1
        fi
        sleep 0.2
        i=$((i + 1))
    done
    sleep "$2"
}

# --- 1. a short recording has exactly the asked-for stream ---------------------------------
D=$W/c1
mkdir "$D"
ERR=$D/err.txt
run --record a.mp4 --frames 45 --size 320x180 --fps 30 --epochs-per-frame 64 --output-dir "$D"
if [ "$RC" -eq 0 ]; then pass "record 45 frames: exit 0"; else fail "record 45 frames: exit $RC, want 0"; fi
info=$(probe "$D/a.mp4")
for want in codec_name=h264 width=320 height=180 pix_fmt=yuv420p nb_read_frames=45 \
            r_frame_rate=30/1; do
    if printf '%s\n' "$info" | grep -qx "$want"; then
        pass "record 45 frames: $want"
    else
        fail "record 45 frames: want $want, ffprobe says: $(printf '%s' "$info" | tr '\n' ' ')"
    fi
done
if tmp_left "$D"; then
    fail "record 45 frames: temporary file left: $(ls "$D")"
else
    pass "record 45 frames: no *.tmp.* file left"
fi

# --- 2. --seconds is turned into frames at the chosen rate --------------------------------
D=$W/c2
mkdir "$D"
ERR=$D/err.txt
run --record s.mp4 --seconds 1 --fps 24 --size 320x180 --output-dir "$D"
n=$(decoded_frames "$D/s.mp4")
if [ "$RC" -eq 0 ] && [ "$n" -eq 24 ]; then
    pass "--seconds 1 --fps 24: 24 frames"
else
    fail "--seconds 1 --fps 24: exit $RC and $n frames, want exit 0 and 24"
fi

# --- 3. a video depends on the settings only, the HUD included -----------------------------
D=$W/c3
mkdir "$D"
ERR=$D/err.txt
for name in one two; do
    run --record "$name.mp4" --frames 30 --size 320x180 --fps 30 --output-dir "$D"
    frame_sums "$D/$name.mp4" >"$D/$name.md5"
done
run --record seed.mp4 --frames 30 --size 320x180 --fps 30 --seed 7 --output-dir "$D"
frame_sums "$D/seed.mp4" >"$D/seed.md5"
run --record bare.mp4 --frames 30 --size 320x180 --fps 30 --no-overlays --output-dir "$D"
frame_sums "$D/bare.mp4" >"$D/bare.md5"
lines=$(wc -l <"$D/one.md5")
if [ "$lines" -eq 30 ] && cmp -s "$D/one.md5" "$D/two.md5"; then
    pass "same settings twice: the 30 decoded frames are identical"
else
    fail "same settings twice: frames differ (or not 30 decoded: $lines)"
fi
if [ -s "$D/seed.md5" ] && ! cmp -s "$D/one.md5" "$D/seed.md5"; then
    pass "--seed 7: a different video"
else
    fail "--seed 7: same frames as seed 1 (or nothing decoded)"
fi
# Without this the identity above could come from a HUD that is not drawn at all.
if [ -s "$D/bare.md5" ] && ! cmp -s "$D/one.md5" "$D/bare.md5"; then
    pass "--no-overlays: differs from the default, so the HUD is in the compared frames"
else
    fail "--no-overlays: same frames as with overlays (or nothing decoded)"
fi

# --- 4. --headless --out draws the trained logo in the default view ------------------------
D=$W/c4
mkdir "$D"
ERR=$D/err.txt
# Probe points sit off the 0.5 grid and --no-points hides the training rings anyway.
run --headless --epochs 40000 --out logo.png --size 1280x720 --no-points --output-dir "$D"
if [ "$RC" -eq 0 ] && [ -s "$D/logo.png" ]; then
    pass "--out 1280x720: exit 0, logo.png written"
else
    fail "--out 1280x720: exit $RC, logo.png $( [ -s "$D/logo.png" ] && echo written || echo missing)"
fi
check_colours "$D/logo.png" 1280 720 dark 0 0 -5 0 5 0.5
check_colours "$D/logo.png" 1280 720 yellow 0 3.6 7.7 0 0 -3.8 -7.7 -4.2
run --headless --epochs 40000 --out square.png --size 1000x1000 --no-points --output-dir "$D"
if [ "$RC" -eq 0 ] && [ -s "$D/square.png" ]; then
    pass "--out 1000x1000: exit 0, square.png written"
else
    fail "--out 1000x1000: exit $RC"
fi
check_colours "$D/square.png" 1000 1000 dark 0 0
check_colours "$D/square.png" 1000 1000 yellow 0 6
run --headless --epochs 10 --out huge.png --size 9000x100 --output-dir "$D"
if [ "$RC" -eq 2 ] && [ ! -e "$D/huge.png" ]; then
    pass "--size 9000x100: exit 2, nothing written"
else
    fail "--size 9000x100: exit $RC, want 2"
fi

# --- 5. no ffmpeg: one error line, nothing left behind -------------------------------------
D=$W/c5
mkdir "$D" "$D/emptybin" "$D/out"
ERR=$D/err.txt
no_ffmpeg() {
    what=$1
    if [ "$RC" -eq 1 ] && [ "$(count_lines ERROR "$ERR")" -eq 1 ] &&
        grep ERROR "$ERR" | grep ffmpeg | grep -q "$2"; then
        pass "$what: exit 1, one ERROR line naming ffmpeg and $2"
    else
        fail "$what: exit $RC, $(count_lines ERROR "$ERR") ERROR lines; want exit 1 and one naming ffmpeg and $2"
    fi
    if [ -n "$(ls -A "$D/out")" ]; then
        fail "$what: files left behind: $(ls -A "$D/out")"
    else
        pass "$what: no mp4 or tmp file left"
    fi
}
RC=0
HEROLOGO_FFMPEG=/nonexistent/ffmpeg "$HEROLOGO" --record gone.mp4 --frames 5 --size 320x180 \
    --output-dir "$D/out" >/dev/null 2>"$ERR" || RC=$?
no_ffmpeg "HEROLOGO_FFMPEG=/nonexistent/ffmpeg" gone.mp4
RC=0
PATH=$D/emptybin "$HEROLOGO" --record nopath.mp4 --frames 5 --size 320x180 \
    --output-dir "$D/out" >/dev/null 2>"$ERR" || RC=$?
no_ffmpeg "PATH without ffmpeg" nopath.mp4

# --- 6. ffmpeg killed mid-way: one error, no SIGPIPE, the fragments written still play ----
D=$W/c6
mkdir "$D"
ERR=$D/err.txt
# Stands in for ffmpeg: runs the real one on this stdin, then kills it once two fragments
# are in its output (the last argument), so the kill lands mid-way however slow the machine
# (a sanitizer build, a busy CI host). The stand-in lets go of the pipe itself, or herologo
# would block writing to a reader that never reads instead of seeing the broken pipe. A
# background job would get /dev/null as stdin, hence the explicit <&3.
cat >"$D/ffmpeg" <<'EOF'
#!/bin/sh
for out; do :; done
exec 3<&0
"$REAL_FFMPEG" "$@" <&3 3<&- &
pid=$!
exec 0<&- 3<&-
i=0
while [ "$(grep -a -o moof "$out" 2>/dev/null | wc -l)" -lt 2 ] && [ "$i" -lt 300 ]; do
    sleep 0.1
    i=$((i + 1))
done
kill -KILL "$pid"
wait "$pid"
exit 1
EOF
chmod +x "$D/ffmpeg"
# Far more frames than reach two fragments, so the kill always lands mid-way.
TOTAL=3000
RC=0
REAL_FFMPEG=$FFMPEG HEROLOGO_FFMPEG=$D/ffmpeg "$HEROLOGO" --record cut.mp4 --frames "$TOTAL" \
    --fps 10 --size 320x180 --output-dir "$D" >/dev/null 2>"$ERR" || RC=$?
if [ "$RC" -eq 1 ]; then
    pass "ffmpeg killed: exit 1"
else
    fail "ffmpeg killed: exit $RC, want 1 (141 would be death by SIGPIPE)"
fi
if [ "$(count_lines ERROR "$ERR")" -eq 1 ] && grep ERROR "$ERR" | grep -q ffmpeg; then
    pass "ffmpeg killed: one ERROR line naming ffmpeg"
else
    fail "ffmpeg killed: $(count_lines ERROR "$ERR") ERROR lines, want one naming ffmpeg"
fi
n=$(decoded_frames "$D/cut.mp4")
if [ "$n" -gt 0 ] && [ "$n" -lt "$TOTAL" ]; then
    pass "ffmpeg killed: cut.mp4 kept and plays $n frames"
else
    fail "ffmpeg killed: cut.mp4 $( [ -e "$D/cut.mp4" ] && echo decodes "$n" frames || echo missing), want 1..$((TOTAL - 1))"
fi
if tmp_left "$D"; then
    fail "ffmpeg killed: temporary file left: $(ls "$D")"
else
    pass "ffmpeg killed: no *.tmp.* file left"
fi

# --- 7. a stop signal finishes the video and exits 0 with a warning ------------------------
# Checks one stop: the recording was started as $BG_PID writing $1 with stderr in $ERR.
stopped_ok() {
    what=$1 file=$2
    RC=0
    if gone_within "$BG_PID" 30; then
        wait "$BG_PID" || RC=$?
    else
        kill -KILL "$BG_PID" 2>/dev/null || true
        wait "$BG_PID" 2>/dev/null || true
        RC=timeout
    fi
    BG_PID=""
    if [ "$RC" = 0 ] && grep -q WARN "$ERR" && ! grep -q ERROR "$ERR"; then
        pass "$what: exit 0 with a WARN line"
    else
        fail "$what: exit $RC, $(count_lines WARN "$ERR") WARN and $(count_lines ERROR "$ERR") ERROR lines; want exit 0, a WARN, no ERROR"
    fi
    n=$(decoded_frames "$file")
    if [ "$n" -gt 0 ]; then
        pass "$what: the video plays $n frames"
    else
        fail "$what: the video $( [ -e "$file" ] && echo decodes no frames || echo is missing)"
    fi
}

D=$W/c7
mkdir "$D"
ERR=$D/term.txt
"$HEROLOGO" --record term.mp4 --frames 100000 --size 320x180 --output-dir "$D" \
    >/dev/null 2>"$ERR" &
BG_PID=$!
if wait_recording "$ERR" 2; then
    kill -s TERM "$BG_PID" 2>/dev/null || true
fi
stopped_ok "SIGTERM to herologo" "$D/term.mp4"

ERR=$D/int1.txt
"$HEROLOGO" --record int1.mp4 --frames 100000 --size 320x180 --output-dir "$D" \
    >/dev/null 2>"$ERR" &
BG_PID=$!
if wait_recording "$ERR" 1; then
    kill -s INT "$BG_PID" 2>/dev/null || true
fi
stopped_ok "SIGINT to herologo" "$D/int1.mp4"

# Ctrl-C in a terminal reaches the whole process group, so ffmpeg gets the SIGINT too. Its
# own session (setsid) makes herologo a group leader that the test can signal the same way.
ERR=$D/int.txt
if command -v setsid >/dev/null 2>&1; then
    setsid "$HEROLOGO" --record int.mp4 --frames 100000 --size 320x180 --output-dir "$D" \
        >/dev/null 2>"$ERR" &
    BG_PID=$!
    if wait_recording "$ERR" 1; then
        kill -s INT -- "-$BG_PID" 2>/dev/null || true
    fi
    stopped_ok "SIGINT to the process group (Ctrl-C)" "$D/int.mp4"
else
    fail "SIGINT to the process group: setsid not found"
fi

# --- 8. settings a recording cannot use are refused before anything starts -----------------
D=$W/c8
mkdir "$D"
ERR=$D/err.txt
run --record odd.mp4 --frames 5 --size 321x180 --output-dir "$D"
if [ "$RC" -eq 2 ] && [ ! -e "$D/odd.mp4" ] && ! tmp_left "$D"; then
    pass "--size 321x180 with --record: exit 2, nothing written"
else
    fail "--size 321x180 with --record: exit $RC, want 2"
fi
run --record max.mp4 --frames 5 --size 320x180 --epochs-per-frame max --output-dir "$D"
if [ "$RC" -eq 2 ]; then
    pass "--epochs-per-frame max with --record: exit 2"
else
    fail "--epochs-per-frame max with --record: exit $RC, want 2"
fi

# --- 9. no display and no driver named: a recording still needs no window -----------------
D=$W/c9
mkdir "$D"
ERR=$D/err.txt
RC=0
env -u SDL_VIDEODRIVER -u DISPLAY -u WAYLAND_DISPLAY "$HEROLOGO" --record nodisplay.mp4 \
    --frames 5 --size 320x180 --output-dir "$D" >/dev/null 2>"$ERR" || RC=$?
if [ "$RC" -eq 0 ] && probe "$D/nodisplay.mp4" | grep -q '^nb_read_frames=5$'; then
    pass "no display at all: the recording is made offscreen"
else
    fail "no display at all: exit $RC"
fi

echo "test_record: $(($(date +%s) - T0)) s"
echo "$PASSED passed, $FAILED failed"
[ "$FAILED" -eq 0 ]
