#!/bin/sh
# Checks every shader offline with glslangValidator: each file on its own (the stage comes
# from the name, <name>.vert.glsl or <name>.frag.glsl), then each vertex and fragment pair
# of the same <name> linked together with -l. Usage: test_shaders.sh [shader folder]
set -u
dir=${1:-"$(dirname "$0")/../shaders"}
passed=0
failed=0

if ! command -v glslangValidator >/dev/null 2>&1; then
    echo "test_shaders: glslangValidator not found (Debian package glslang-tools)" >&2
    echo "test_shaders: 0 passed, 1 failed"
    exit 1
fi

# Runs one check; on failure prints the file(s) and glslangValidator's output.
check() {
    what=$1
    shift
    if out=$(glslangValidator "$@" 2>&1); then
        passed=$((passed + 1))
    else
        failed=$((failed + 1))
        printf 'FAIL %s\n%s\n' "$what" "$out" >&2
    fi
}

found=0
for file in "$dir"/*.glsl; do
    [ -e "$file" ] || continue
    found=$((found + 1))
    case $file in
    *.vert.glsl) check "$file" -S vert "$file" ;;
    *.frag.glsl) check "$file" -S frag "$file" ;;
    *)
        failed=$((failed + 1))
        echo "FAIL $file: name must end in .vert.glsl or .frag.glsl" >&2
        ;;
    esac
done
if [ "$found" -eq 0 ]; then
    echo "FAIL no shaders found in $dir" >&2
    failed=$((failed + 1))
fi

# Every vertex shader has a fragment shader of the same name, and they link.
for vert in "$dir"/*.vert.glsl; do
    [ -e "$vert" ] || continue
    frag=${vert%.vert.glsl}.frag.glsl
    if [ -e "$frag" ]; then
        check "link $vert + $frag" -l "$vert" "$frag"
    else
        failed=$((failed + 1))
        echo "FAIL $vert: no matching $frag" >&2
    fi
done

echo "test_shaders: $passed passed, $failed failed"
[ "$failed" -eq 0 ]
