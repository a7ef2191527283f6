#!/usr/bin/env bash
# run-tests.sh BUILD_DIR — run the float and the double test binaries, then the end-to-end shell tests
# (install + pkg-config build of a user program; kill-and-resume), and print the plain summary line
# "N passed, N failed" (Catch2 test cases of both builds plus the shell tests). Exits non-zero on failure.
set -uo pipefail
B=${1:-build}
passed=0; failed=0; status=0
for bin in "$B/tests" "$B/tests_double"; do
    echo "== $bin"
    out=$("$bin" 2>&1); rc=$?
    echo "$out" | tail -n 40
    [ $rc -ne 0 ] && status=1
    if line=$(echo "$out" | grep -E '^All tests passed' | tail -n1) && [ -n "$line" ]; then
        n=$(echo "$line" | sed -E 's/.* in ([0-9]+) test case.*/\1/'); passed=$((passed + n))
    elif line=$(echo "$out" | grep -E '^test cases:' | tail -n1) && [ -n "$line" ]; then
        p=$(echo "$line" | sed -nE 's/.*\| *([0-9]+) passed.*/\1/p'); f=$(echo "$line" | sed -nE 's/.*\| *([0-9]+) failed.*/\1/p')
        passed=$((passed + ${p:-0})); failed=$((failed + ${f:-0}))
    else
        echo "$bin printed no Catch2 summary (crashed?)"; failed=$((failed + 1)); status=1
    fi
done
for t in $( [ "${SHELL_TESTS:-1}" = 1 ] && echo test-install test-resume); do
    echo "== scripts/$t.sh"
    if bash "scripts/$t.sh" "$B"; then passed=$((passed + 1)); else failed=$((failed + 1)); status=1; echo "FAILED: scripts/$t.sh"; fi
done
echo "$passed passed, $failed failed"
exit $status
