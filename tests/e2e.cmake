# The end-to-end run as a person would do it: e2e_live.sh drives the real window under Xvfb
# with xdotool and checks screenshots with png_probe. Included from tests/CMakeLists.txt.
# It needs Xvfb, xdotool and ffmpeg at test time; without them the test fails, loudly.

add_executable(png_probe png_probe.c)
target_compile_options(png_probe PRIVATE ${HEROLOGO_WARNINGS})
target_link_libraries(png_probe PRIVATE PkgConfig::STB)

add_test(NAME e2e_live
    COMMAND sh ${CMAKE_CURRENT_SOURCE_DIR}/e2e_live.sh
            $<TARGET_FILE:herologo> $<TARGET_FILE:png_probe>)
# Serial because the live window trains and renders on every core it finds, and a parallel
# test would starve it of frames and make the timing checks flaky.
set_tests_properties(e2e_live PROPERTIES TIMEOUT 120 RUN_SERIAL TRUE)
