# The render module: glad, the shaders embedded at build time, the herologo_render library
# and its two tests. Included from the top-level CMakeLists.txt after herologo_core and
# HEROLOGO_WARNINGS exist; render/ itself needs GL and cglm but not SDL.

find_package(PkgConfig REQUIRED)
pkg_check_modules(CGLM REQUIRED IMPORTED_TARGET cglm)

# glad is generated code: its own target, warnings off, headers as SYSTEM.
add_library(glad STATIC ${CMAKE_CURRENT_LIST_DIR}/third_party/glad/src/gl.c)
target_include_directories(glad SYSTEM PUBLIC ${CMAKE_CURRENT_LIST_DIR}/third_party/glad/include)
target_compile_options(glad PRIVATE -w)

# Every shaders/*.glsl becomes `const char render_shader_<name>[]` in one generated source.
file(GLOB HEROLOGO_SHADERS CONFIGURE_DEPENDS ${CMAKE_CURRENT_LIST_DIR}/shaders/*.glsl)
list(SORT HEROLOGO_SHADERS)
list(JOIN HEROLOGO_SHADERS "|" HEROLOGO_SHADER_ARG)
set(HEROLOGO_SHADER_SOURCE ${CMAKE_CURRENT_BINARY_DIR}/render_shaders.c)
add_custom_command(
    OUTPUT ${HEROLOGO_SHADER_SOURCE}
    COMMAND ${CMAKE_COMMAND} -DOUT=${HEROLOGO_SHADER_SOURCE} -DSHADERS=${HEROLOGO_SHADER_ARG}
            -P ${CMAKE_CURRENT_LIST_DIR}/cmake/embed_shaders.cmake
    DEPENDS ${HEROLOGO_SHADERS} ${CMAKE_CURRENT_LIST_DIR}/cmake/embed_shaders.cmake
    COMMENT "Embedding shaders"
    VERBATIM)

# No -mavx or -march here: cglm built with them needs 32-byte aligned matrices.
add_library(herologo_render STATIC
    ${CMAKE_CURRENT_LIST_DIR}/src/render/render.c
    ${CMAKE_CURRENT_LIST_DIR}/src/render/shader.c
    ${CMAKE_CURRENT_LIST_DIR}/src/render/field.c
    ${CMAKE_CURRENT_LIST_DIR}/src/render/points.c
    ${CMAKE_CURRENT_LIST_DIR}/src/render/flat.c
    ${CMAKE_CURRENT_LIST_DIR}/src/render/image.c
    ${CMAKE_CURRENT_LIST_DIR}/src/render/target.c
    ${HEROLOGO_SHADER_SOURCE}
)
target_compile_options(herologo_render PRIVATE ${HEROLOGO_WARNINGS})
target_link_libraries(herologo_render PUBLIC herologo_core glad PkgConfig::CGLM m)

if(NOT DEFINED HEROLOGO_BUILD_TESTS OR HEROLOGO_BUILD_TESTS)
    # Real pixels through Mesa without a display; Mesa's own leaks would fail ASan runs.
    find_package(SDL2 REQUIRED)
    add_executable(test_render ${CMAKE_CURRENT_LIST_DIR}/tests/test_render.c)
    target_compile_options(test_render PRIVATE ${HEROLOGO_WARNINGS})
    target_link_libraries(test_render PRIVATE herologo_render SDL2::SDL2)
    add_test(NAME test_render COMMAND test_render)
    set_tests_properties(test_render PROPERTIES
        ENVIRONMENT "SDL_VIDEODRIVER=offscreen;ASAN_OPTIONS=detect_leaks=0")

    add_test(NAME test_shaders
        COMMAND sh ${CMAKE_CURRENT_SOURCE_DIR}/tests/test_shaders.sh
                ${CMAKE_CURRENT_SOURCE_DIR}/shaders)
endif()
