#!/bin/sh
# End-to-end test of the live window, run as a person would: a private Xvfb display, the real
# program, key presses through xdotool, screenshots through ffmpeg's x11grab, and the pixels
# read back with png_probe. Usage: e2e_live.sh HEROLOGO PNG_PROBE. It prints PASS or FAIL per
# check and "N passed, N failed"; missing tools are failures, never a silent skip.
set -eu

HEROLOGO=${1:?usage: e2e_live.sh HEROLOGO PNG_PROBE}
PROBE=${2:?usage: e2e_live.sh HEROLOGO PNG_PROBE}

# Pixels of the default view (x -8..8 over 1280 columns, y 4.5..-4.5 over 720 rows) for
# world points well inside the trained logo and well outside it; the corners sit 4 px in
# so that a one-pixel border or rounding cannot decide the result.
INSIDE_PX="640 360  240 360  1040 320"
OUTSIDE_PX="640 72  1256 360  640 664  4 4  1275 4  4 715  1275 715"

PASSED=0
FAILED=0
XVFB_PID=""
APP_PID=""
WID=""
LOGS=""
T0=$(date +%s)
WORK=$(mktemp -d)

pass() {
    PASSED=$((PASSED + 1))
    echo "PASS: $*"
}

fail() {
    FAILED=$((FAILED + 1))
    echo "FAIL: $*"
}

elapsed() {
    echo $(($(date +%s) - T0))
}

# Runs on every exit, including Ctrl-C and CTest's timeout kill, so no Xvfb or window is
# left behind. The files stay on failure because the screenshots explain most failures.
# shellcheck disable=SC2317 # reached through the trap below, which shellcheck cannot see
cleanup() {
    if [ -n "$APP_PID" ] && kill -0 "$APP_PID" 2>/dev/null; then
        kill -KILL "$APP_PID" 2>/dev/null || true
        wait "$APP_PID" 2>/dev/null || true
    fi
    if [ -n "$XVFB_PID" ]; then
        kill "$XVFB_PID" 2>/dev/null || true
        wait "$XVFB_PID" 2>/dev/null || true
    fi
    if [ "$FAILED" -eq 0 ] && [ -z "${HEROLOGO_E2E_KEEP:-}" ]; then
        rm -rf "$WORK"
    else
        echo "e2e: logs and screenshots kept in $WORK"
    fi
}
trap cleanup EXIT
trap 'exit 130' INT
trap 'exit 143' TERM

finish() {
    if [ "$FAILED" -gt 0 ]; then
        for log in $LOGS; do
            echo "---- last lines of $log ----"
            tail -n 25 "$log" || true
        done
    fi
    echo "e2e: took $(elapsed) s"
    echo "$PASSED passed, $FAILED failed"
    if [ "$FAILED" -gt 0 ]; then
        exit 1
    fi
    exit 0
}

# ---- tools and display ------------------------------------------------------------------

check_tools() {
    ok=0
    for tool in Xvfb xdotool ffmpeg timeout; do
        if ! command -v "$tool" >/dev/null 2>&1; then
            fail "$tool is not installed (needed to drive the window)"
            ok=1
        fi
    done
    for bin in "$HEROLOGO" "$PROBE"; do
        if [ ! -x "$bin" ]; then
            fail "$bin is not an executable"
            ok=1
        fi
    done
    return $ok
}

# Takes the first free display from :97 up. A lock file or socket means someone else's
# server; Xvfb dying at once means we lost a race for that number, so the next one is tried.
start_xvfb() {
    n=97
    while [ "$n" -le 120 ]; do
        if [ ! -e "/tmp/.X$n-lock" ] && [ ! -e "/tmp/.X11-unix/X$n" ]; then
            Xvfb ":$n" -screen 0 1920x1080x24 -nolisten tcp -noreset \
                >"$WORK/xvfb.log" 2>&1 &
            XVFB_PID=$!
            tries=0
            while [ "$tries" -lt 100 ] && kill -0 "$XVFB_PID" 2>/dev/null; do
                if DISPLAY=":$n" xdotool getdisplaygeometry >/dev/null 2>&1; then
                    DISPLAY=":$n"
                    export DISPLAY
                    return 0
                fi
                sleep 0.1
                tries=$((tries + 1))
            done
            kill "$XVFB_PID" 2>/dev/null || true
            wait "$XVFB_PID" 2>/dev/null || true
            XVFB_PID=""
        fi
        n=$((n + 1))
    done
    return 1
}

# ---- the program ------------------------------------------------------------------------

# start_app LOG ARGS...: the live window in the background, its output to LOG. The video
# driver is named because a test environment may have set SDL's offscreen driver globally.
start_app() {
    log=$1
    shift
    LOGS="$LOGS $log"
    SDL_VIDEODRIVER=x11 "$HEROLOGO" "$@" >"$log" 2>&1 </dev/null &
    APP_PID=$!
}

# Polls rather than sleeps: the window appears in well under a second on a quiet machine but
# can take many seconds on two busy cores with software GL. Fails fast if the program died.
wait_window() {
    WID=""
    tries=0
    while [ "$tries" -lt 200 ]; do
        if ! kill -0 "$APP_PID" 2>/dev/null; then
            return 1
        fi
        WID=$(xdotool search --onlyvisible --name '^herologo$' 2>/dev/null | head -n 1) ||
            WID=""
        if [ -n "$WID" ]; then
            timeout 5 xdotool windowfocus --sync "$WID" >/dev/null 2>&1 || true
            return 0
        fi
        sleep 0.1
        tries=$((tries + 1))
    done
    return 1
}

# Why no window came: the program's own exit tells more than a timeout does.
window_missing() {
    if wait_exit 0; then
        fail "$1: herologo exited with status $EXIT_RC before its window appeared"
    else
        fail "$1: no window named herologo within 20 s"
    fi
}

# wait_log LOG ERE SECONDS: true once a line of LOG matches.
wait_log() {
    tries=0
    limit=$(($3 * 10))
    while [ "$tries" -lt "$limit" ]; do
        if grep -Eq "$2" "$1" 2>/dev/null; then
            return 0
        fi
        sleep 0.1
        tries=$((tries + 1))
    done
    return 1
}

# Focus again before each key: without a window manager nothing keeps the focus for us, and
# XTEST key events go to whichever window holds it.
press() {
    timeout 5 xdotool windowfocus --sync "$WID" >/dev/null 2>&1 || true
    timeout 5 xdotool key "$@" >/dev/null 2>&1 || true
}

# key_check LOG KEY ERE WHAT: presses KEY and expects its INFO line within 10 seconds.
key_check() {
    press "$2"
    if wait_log "$1" "$3" 10; then
        pass "$4"
    else
        fail "$4 (no line matching '$3' in the log)"
    fi
}

# wait_exit SECONDS: the program's exit status in EXIT_RC, or false if it is still running.
wait_exit() {
    tries=0
    limit=$(($1 * 10))
    while kill -0 "$APP_PID" 2>/dev/null; do
        if [ "$tries" -ge "$limit" ]; then
            return 1
        fi
        sleep 0.1
        tries=$((tries + 1))
    done
    EXIT_RC=0
    wait "$APP_PID" || EXIT_RC=$?
    APP_PID=""
    return 0
}

# ---- screenshots and pixels -------------------------------------------------------------

# screenshot FILE: the 1280x720 client area of the window, wherever it was placed.
screenshot() {
    geo=$(xdotool getwindowgeometry --shell "$WID" 2>/dev/null) || return 1
    wx=$(printf '%s\n' "$geo" | sed -n 's/^X=//p')
    wy=$(printf '%s\n' "$geo" | sed -n 's/^Y=//p')
    rm -f "$1"
    ffmpeg -nostdin -loglevel error -y -f x11grab -draw_mouse 0 -video_size 1280x720 \
        -i "$DISPLAY+$wx,$wy" -frames:v 1 "$1" >/dev/null 2>&1 && [ -s "$1" ]
}

# classify_pixels FILE KIND "X Y X Y ...": true when every pixel is of KIND (dark or
# yellow); the colours found go to PIXELS for the failure message. The limits are loose
# because the smooth view blends the two colours by the network's output.
classify_pixels() {
    # Word splitting of the coordinate list is wanted here.
    # shellcheck disable=SC2086
    out=$("$PROBE" "$1" $3) || return 1
    PIXELS=$(printf '%s\n' "$out" | tr '\n' ',' | sed 's/,$//')
    printf '%s\n' "$out" | awk -v kind="$2" '
        kind == "dark" && ($1 > 60 || $2 > 60 || $3 > 60) { bad = 1 }
        kind == "yellow" && ($1 < 200 || $2 < 150 || $3 > 90) { bad = 1 }
        END { exit bad }'
}

# Training is the slow part under software GL, so the first look comes after ~5 s and
# further looks follow until the field is right or 40 s have passed.
check_field() {
    shot=$WORK/trained.png
    deadline=$(($(date +%s) + 40))
    sleep 5
    while :; do
        if screenshot "$shot" && classify_pixels "$shot" dark "$INSIDE_PX"; then
            inside=$PIXELS
            if classify_pixels "$shot" yellow "$OUTSIDE_PX"; then
                pass "field after training: dark inside ($inside), yellow outside ($PIXELS)" \
                    "at $(elapsed) s"
                return 0
            fi
        fi
        if [ "$(date +%s)" -ge "$deadline" ]; then
            break
        fi
        sleep 1
    done
    if [ ! -s "$shot" ]; then
        fail "field after training: no screenshot could be taken"
        return 0
    fi
    classify_pixels "$shot" dark "$INSIDE_PX" || true
    inside=$PIXELS
    classify_pixels "$shot" yellow "$OUTSIDE_PX" || true
    fail "field after training: inside want dark, got ($inside);" \
        "outside want yellow, got ($PIXELS)"
}

# The view switch must change what is on screen. Paused, so nothing else moves.
check_view_changes() {
    before=$WORK/before_view.png
    after=$WORK/view_hard.png
    sleep 1
    if ! screenshot "$before"; then
        fail "screenshot before V"
        return 0
    fi
    key_check "$1" v 'INFO APP: view=hard' "V switches to the hard view"
    tries=0
    while [ "$tries" -lt 10 ]; do
        sleep 0.5
        if screenshot "$after" && ! cmp -s "$before" "$after"; then
            pass "the hard view looks different from the smooth one"
            return 0
        fi
        tries=$((tries + 1))
    done
    fail "the screen did not change after V ($before vs $after)"
}

# ---- screenshots and recordings the program makes itself --------------------------------

# rgb_of IMAGE_OR_VIDEO: the first frame's top 400 rows as raw RGB bytes, for exact
# comparisons. The rows below hold the window's "saved" notice, drawn after the capture.
rgb_of() {
    ffmpeg -nostdin -loglevel error -i "$1" -frames:v 1 -vf crop=1280:400:0:0 \
        -f rawvideo -pix_fmt rgb24 - 2>/dev/null
}

# check_captures LOG: while paused with overlays off the picture holds still, so F12's PNG
# must equal the window's pixels exactly; Shift+F12 twice makes a playable video of the
# window's size, and the red recording mark shows in the window but not in the video.
check_captures() {
    key_check "$1" F12 'INFO CAPTURE: screenshot saved' "F12 saves a screenshot"
    shot=$(sed -n 's/.*screenshot saved file=\([^ ]*\).*/\1/p' "$1" | tail -n 1)
    if [ -n "$shot" ] && [ -s "$shot" ] && screenshot "$WORK/window.png" &&
        [ "$(rgb_of "$shot" | md5sum)" = "$(rgb_of "$WORK/window.png" | md5sum)" ]; then
        pass "the F12 screenshot equals the window's pixels"
    else
        fail "the F12 screenshot '$shot' differs from the window"
    fi

    key_check "$1" shift+F12 'INFO RECORD: recording file=' "Shift+F12 starts recording"
    sleep 2
    screenshot "$WORK/recording.png" || true
    key_check "$1" shift+F12 'INFO RECORD: saved file=' "Shift+F12 stops recording"
    video=$(sed -n 's/.*RECORD: saved file=\([^ ]*\).*/\1/p' "$1" | tail -n 1)
    info=$(ffprobe -v error -count_frames -select_streams v:0 -show_entries \
        stream=codec_name,width,height,nb_read_frames -of csv=p=0 "$video" 2>/dev/null) ||
        info=""
    frames=${info##*,}
    case $info in
    h264,1280,720,*) if [ "${frames:-0}" -gt 0 ]; then
        pass "the recording plays: $info"
    else
        fail "the recording has no frames: $info"
    fi ;;
    *) fail "the recording '$video' is not a 1280x720 H.264 video: '$info'" ;;
    esac
    ffmpeg -nostdin -loglevel error -y -i "$video" -frames:v 1 "$WORK/video.png" 2>/dev/null ||
        true
    # The mark sits about 2% of the height in from the top-right corner.
    in_window=$("$PROBE" "$WORK/recording.png" 1250 30 2>/dev/null || echo "0 0 0")
    in_video=$("$PROBE" "$WORK/video.png" 1250 30 2>/dev/null || echo "0 0 0")
    if red "$in_window" && ! red "$in_video"; then
        pass "the recording mark shows in the window ($in_window), not in the video ($in_video)"
    else
        fail "recording mark: window $in_window, video $in_video"
    fi
}

# red "R G B": a clearly red pixel.
red() {
    set -- $1
    [ "$1" -gt 180 ] && [ "$2" -lt 80 ] && [ "$3" -lt 80 ]
}

# ---- the two runs -----------------------------------------------------------------------

run_keys() {
    log=$WORK/run1.log
    start_app "$log" --epochs-per-frame 2048 --output-dir "$WORK"
    if ! wait_window; then
        window_missing "run 1"
        return 0
    fi
    pass "run 1: window $WID appeared at $(elapsed) s"
    geo=$(xdotool getwindowgeometry --shell "$WID" 2>/dev/null) || geo=""
    if printf '%s\n' "$geo" | grep -q '^WIDTH=1280$' &&
        printf '%s\n' "$geo" | grep -q '^HEIGHT=720$'; then
        pass "window is 1280x720"
    else
        fail "window is not 1280x720: $(printf '%s' "$geo" | tr '\n' ' ')"
    fi

    key_check "$log" g 'INFO APP: overlays=off' "G hides the overlays"
    key_check "$log" t 'INFO APP: points=off' "T hides the training points"
    check_field

    key_check "$log" space 'INFO APP: paused epoch=' "Space pauses"
    epoch=$(sed -n 's/.*INFO APP: paused epoch=\([0-9]*\).*/\1/p' "$log" | head -n 1)
    echo "     (paused at epoch ${epoch:-?})"
    key_check "$log" Up 'INFO APP: topology=2-41-1' "Up adds a unit (2-41-1)"
    check_captures "$log"
    check_view_changes "$log"
    key_check "$log" h 'INFO APP: help=on' "H shows the help"

    press Escape
    if wait_exit 10; then
        if [ "$EXIT_RC" -eq 0 ] && grep -q 'INFO APP: quit' "$log"; then
            pass "Esc quits with status 0"
        else
            fail "Esc: exit status $EXIT_RC, quit line $(grep -c 'INFO APP: quit' "$log")"
        fi
    else
        fail "Esc: still running 10 s after the key"
    fi
    if grep -q '^ERROR' "$log"; then
        fail "run 1 logged errors: $(grep '^ERROR' "$log" | head -n 3)"
    else
        pass "run 1 logged no ERROR line"
    fi
}

run_sigterm() {
    log=$WORK/run2.log
    # An ffmpeg that takes a few frames and dies: the live view must say so once and go on.
    dying=$WORK/dying-ffmpeg
    printf '#!/bin/sh\nhead -c 20000000 >/dev/null\nexit 1\n' >"$dying"
    chmod +x "$dying"
    HEROLOGO_FFMPEG=$dying start_app "$log" --epochs-per-frame 2048 --output-dir "$WORK"
    if ! wait_window || ! wait_log "$log" 'INFO APP: live view' 20; then
        window_missing "run 2"
        return 0
    fi
    press shift+F12
    if wait_log "$log" 'ERROR RECORD: .*ffmpeg failed' 20 && sleep 1 &&
        kill -0 "$APP_PID" 2>/dev/null && [ "$(grep -c '^ERROR' "$log")" -eq 1 ]; then
        pass "ffmpeg dying mid-way: one error ($(grep -c '^ERROR' "$log")), the view runs on"
    else
        fail "ffmpeg dying mid-way: $(grep '^ERROR' "$log" | head -n 2)"
    fi
    kill -TERM "$APP_PID"
    if ! wait_exit 10; then
        fail "SIGTERM: still running 10 s after the signal"
        return 0
    fi
    if [ "$EXIT_RC" -eq 0 ] && grep -Eq 'INFO APP: (signal 15|quit)' "$log"; then
        pass "SIGTERM shuts down with status 0 ($(grep -E 'INFO APP: (signal|quit)' "$log" |
            head -n 1))"
    else
        fail "SIGTERM: exit status $EXIT_RC, no shutdown line in the log"
    fi
}

if check_tools; then
    if start_xvfb; then
        pass "Xvfb is up on $DISPLAY"
        run_keys
        run_sigterm
    else
        fail "could not start Xvfb on any display from :97 to :120 (see $WORK/xvfb.log)"
    fi
fi
finish
