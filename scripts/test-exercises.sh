#!/usr/bin/env bash
# test-exercises.sh BUILD_DIR — every exercise's check (exercises/check_NAME.cpp) against its reference
# solution (exercises/solutions/NAME.cpp), as built by `make test` into BUILD_DIR/exercises/NAME
# (docs/exercises.md). A check that prints anything but "exercise NAME: ok" last, or exits non-zero, fails.
set -uo pipefail
B=${1:-build}
cd "$(dirname "$0")/.."
n=0; bad=0
for check in exercises/check_*.cpp; do
    name=${check#exercises/check_}; name=${name%.cpp}
    bin="$B/exercises/$name"
    n=$((n + 1))
    [ -x "$bin" ] || { echo "test-exercises: $bin is missing (make $bin)"; bad=$((bad + 1)); continue; }
    out=$("$bin" 2>&1); rc=$?
    if [ $rc -ne 0 ] || [ "$(echo "$out" | tail -n1)" != "exercise $name: ok" ]; then
        echo "test-exercises: the reference solution of '$name' fails its check:"; echo "$out"; bad=$((bad + 1))
    fi
done
[ $n -gt 0 ] || { echo "test-exercises: no exercises/check_*.cpp found"; exit 1; }
[ $bad -eq 0 ] || exit 1
echo "test-exercises: all $n reference solutions pass their checks"
