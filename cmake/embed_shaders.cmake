# Script mode (cmake -P): writes one C source that holds every shader as a NUL-terminated
# byte array, `const char render_shader_<name>[]`, so the program needs no shaders/ folder
# at run time. <name> is the file name without .glsl, dots turned into underscores
# (field.frag.glsl -> render_shader_field_frag).
#   -DOUT=<generated .c>  -DSHADERS=<paths joined by |>

if(NOT OUT OR NOT SHADERS)
    message(FATAL_ERROR "embed_shaders.cmake needs -DOUT=... and -DSHADERS=a.glsl|b.glsl")
endif()
string(REPLACE "|" ";" shader_list "${SHADERS}")

set(text "/* Generated from shaders/ by cmake/embed_shaders.cmake: do not edit. */\n")
foreach(path IN LISTS shader_list)
    get_filename_component(file_name "${path}" NAME)
    string(REGEX REPLACE "\\.glsl$" "" name "${file_name}")
    string(MAKE_C_IDENTIFIER "${name}" name)

    # Bytes as hex keep every character of the source intact, with no escaping rules.
    file(READ "${path}" hex HEX)
    string(REGEX REPLACE "([0-9a-f][0-9a-f])" "0x\\1," bytes "${hex}")
    # CMake's regular expressions have no {n}: spell out 16 bytes a line.
    string(REPEAT "0x..," 16 row)
    string(REGEX REPLACE "(${row})" "\\1\n    " bytes "${bytes}")
    string(APPEND text "\nconst char render_shader_${name}[] = {\n    ${bytes}0x00};\n")
endforeach()

# Always written: an output older than its inputs would make the build run this again.
file(WRITE "${OUT}" "${text}")
