#!/usr/bin/env bash
# run-tests.sh BUILD_DIR — run the float and the double test binaries, then the end-to-end shell tests, and
# print the plain summary line "N passed, N failed" (Catch2 test cases of both builds plus one per shell
# test). Exits non-zero on failure.
#   SUITES="tests tests_double"  which Catch2 binaries of BUILD_DIR to run (default: both)
#   SHELL_TESTS=1                the shell tests below (default); 0 for none; or a list of their names
# The shell tests (scripts/<name>.sh BUILD_DIR):
#   check-layers       the include graph follows the folders' layering (README.md, "Where things are")
#   test-help          every example's --help: exit 0, a flag list, one default per flag
#   test-install       make install + a user's program built with pkg-config
#   test-resume        one kill mid-epoch and resume: every metric identical to an uninterrupted run
#   test-errors        the bad-input table of docs/errors.md through the built programs, exit codes included
#   test-determinism   same seed and threads: bit-identical metrics.csv (seconds aside) and model.ckpt
#   kill-resume-trials KILL_TRIALS (default 6) random SIGKILLs, in training and in checkpoint writes; each
#                      resumed run must end bit-identical (run it by hand with 20: docs/errors.md)
#   test-distributed   data-parallel training over MPI: 2 ranks track 1, bit-identical reruns, kill + resume
#   test-examples      one short training run of each model example (what `make sanitize` adds)
#   test-own-data      docs/own-data.md as written, image folders, the numpy export, reduce --apply's percentiles
#   test-tsne          t-SNE against scikit-learn's (trustworthiness at k = 10, time side by side)
set -uo pipefail
B=${1:-build}
passed=0; failed=0; status=0
for name in ${SUITES:-tests tests_double}; do
    bin="$B/$name"
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
case "${SHELL_TESTS:-1}" in
    1) shell_tests="check-layers test-help test-install test-resume test-errors test-determinism kill-resume-trials test-distributed test-experiments" ;;
    0) shell_tests="" ;;
    *) shell_tests=$SHELL_TESTS ;;
esac
[ "${SHELL_TESTS:-1}" = 1 ] && shell_tests="$shell_tests test-own-data test-tsne"  # your own data (docs/own-data.md)
for t in $shell_tests; do
    echo "== scripts/$t.sh"
    args=("$B")
    [ "$t" = kill-resume-trials ] && args+=("${KILL_TRIALS:-6}")
    start=$SECONDS
    if bash "scripts/$t.sh" "${args[@]}"; then passed=$((passed + 1)); else failed=$((failed + 1)); status=1; echo "FAILED: scripts/$t.sh"; fi
    echo "(scripts/$t.sh: $((SECONDS - start)) s)"
done
echo "$passed passed, $failed failed"
exit $status
