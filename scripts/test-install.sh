#!/usr/bin/env bash
# test-install.sh BUILD_DIR — install tapegrad into a scratch staging directory, then build a user's own
# program (tests/install/my_model.cpp) with pkg-config against it and check what it prints.
set -euo pipefail
B=${1:-build}
stage=$(mktemp -d)
trap 'rm -rf "$stage"' EXIT
make --no-print-directory -s install B="$B" DESTDIR="$stage" PREFIX=/opt/tapegrad >/dev/null
export PKG_CONFIG_PATH="$stage/opt/tapegrad/lib/pkgconfig"
# the staged prefix is not /opt/tapegrad itself: point pkg-config's variables into the stage
flags=$(pkg-config --define-variable=prefix="$stage/opt/tapegrad" --cflags --libs tapegrad)
g++ tests/install/my_model.cpp $flags -o "$stage/my_model"
out=$("$stage/my_model")
echo "$out"
[[ "$out" == "w = 2.000, b = -1.000" ]]
# the README's 15-line API example must compile against the installed headers too
awk '/## The API in 15 lines/{f=1;next} f&&/^```cpp/{g=1;next} g&&/^```/{exit} g{print}' README.md > "$stage/readme.cpp"
g++ "$stage/readme.cpp" $flags -o "$stage/readme" && "$stage/readme"
echo "README example compiles and runs"
# the double build, for gradchecking a user's own op at the tight tolerance (docs/gradcheck.md)
dflags=$(pkg-config --define-variable=prefix="$stage/opt/tapegrad" --cflags --libs tapegrad-double)
g++ tests/install/my_op_check.cpp $dflags -o "$stage/my_op_check"
out=$("$stage/my_op_check")
echo "$out"
[[ "$out" == "cube: passes"*"; 1% off: fails" ]]
