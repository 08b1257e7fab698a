# Recording to MP4 and writing a PNG from the command line, as a user would do it:
# test_record.sh runs herologo offscreen and checks the files with ffprobe, ffmpeg and png_probe.
# Included from tests/CMakeLists.txt. Needs ffmpeg and ffprobe at test time; without them it fails.

add_test(NAME test_record
    COMMAND sh ${CMAKE_CURRENT_SOURCE_DIR}/test_record.sh
            $<TARGET_FILE:herologo> $<TARGET_FILE:png_probe>)
# Serial because recording trains and encodes on every core, and the signal checks rely on
# the recording still running a few seconds after it starts.
set_tests_properties(test_record PROPERTIES
    ENVIRONMENT "SDL_VIDEODRIVER=offscreen"
    TIMEOUT 300
    RUN_SERIAL TRUE)
