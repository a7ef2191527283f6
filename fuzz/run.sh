#!/usr/bin/env bash
# run.sh FUZZ_BUILD_DIR [SECONDS] — run each libFuzzer target (fuzz_idx, fuzz_csv, fuzz_checkpoint) for
# SECONDS (default 60), starting from fresh seeds (make_seeds), the regression files of tests/data/bad/
# and the corpus kept from earlier runs in FUZZ_BUILD_DIR/corpus/. Prints one line per target (runs,
# seconds, corpus size, crashes) and exits 1 if any target found a crash, leaving the input under
# FUZZ_BUILD_DIR/crashes/. Fix the reader, then save the input as tests/data/bad/<reader>-<what>.<ext> with
# a line in tests/data/bad/README.md: the normal suite replays every file there (tests/test_errors.cpp).
# `make fuzz` builds the targets and calls this; see docs/errors.md, "Fuzzing".
set -uo pipefail
F=${1:?usage: run.sh FUZZ_BUILD_DIR [SECONDS]}
SECONDS_EACH=${2:-60}
root=$(cd "$(dirname "$0")/.." && pwd)
"$F/make_seeds" "$F/seeds" >/dev/null || exit 1
mkdir -p "$F/crashes"
status=0
# target  seeds  the tests/data/bad/ files it replays  input size limit (bytes)
for spec in "idx idx idx- 8192" "csv csv csv- 4096" "checkpoint checkpoint ckpt- 8192"; do
    read -r t seeds prefix max_len <<<"$spec"
    corpus="$F/corpus/$t"
    mkdir -p "$corpus"
    cp -f "$root"/tests/data/bad/"$prefix"* "$corpus"/ 2>/dev/null || true
    log="$F/fuzz_$t.log"
    # -timeout: one input taking 10 s is a hang; -malloc_limit_mb: one allocation over 256 MB is a bug
    # (no input here is larger than max_len, so nothing legitimate needs that much)
    "$F/fuzz_$t" -max_total_time="$SECONDS_EACH" -timeout=10 -rss_limit_mb=1024 -malloc_limit_mb=256 \
        -max_len="$max_len" -print_final_stats=1 -artifact_prefix="$F/crashes/$t-" \
        "$corpus" "$F/seeds/$seeds" >"$log" 2>&1
    rc=$?
    runs=$(sed -nE 's/^stat::number_of_executed_units: *([0-9]+).*/\1/p' "$log" | tail -n1)
    secs=$(sed -nE 's/.*Done ([0-9]+) runs in ([0-9]+) second.*/\2/p' "$log" | tail -n1)
    size=$(ls "$corpus" | wc -l)
    crashes=$(grep -c "^artifact_prefix=\|Test unit written to" "$log")
    printf 'fuzz_%-10s %9s runs in %3s s, corpus %4s inputs, %s crash(es)\n' "$t" "${runs:-?}" "${secs:-?}" "$size" "$crashes"
    if [ $rc -ne 0 ]; then
        status=1
        echo "  fuzz_$t stopped (exit $rc); the end of $log:"
        grep -E "ERROR|SUMMARY|Test unit written|fuzz:|terminate|what\(\)" "$log" | head -n 12 | sed 's/^/    /'
        echo "  replay it: $F/fuzz_$t <the file named above>"
    fi
done
exit $status
