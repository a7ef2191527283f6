#!/usr/bin/env bash
# test-help.sh BUILD_DIR — every program of examples/ answers --help with exit 0, a usage line and a flag
# list, and states at most one default per flag: a line with two "(default:" fails (issue 16, item 6).
set -uo pipefail
B=$(cd "${1:-build}" && pwd)
cd "$(dirname "$0")/.."
status=0
n=0
for src in examples/*.cpp; do
    prog=$(basename "$src" .cpp)
    if [ ! -x "$B/$prog" ]; then echo "FAILED: $B/$prog is not built"; status=1; continue; fi
    if ! out=$("$B/$prog" --help 2>&1); then echo "FAILED: $prog --help exits non-zero"; status=1; continue; fi
    if ! echo "$out" | grep -q "^usage: $prog" || ! echo "$out" | grep -q '^  --'; then
        echo "FAILED: $prog --help prints no usage line or no flags"; status=1
    fi
    twice=$(echo "$out" | grep -E '\(default:.*\(default:')
    if [ -n "$twice" ]; then echo "FAILED: $prog --help states two defaults on one line:"; echo "$twice" | sed 's/^/    /'; status=1; fi
    n=$((n + 1))
done
[ $status -eq 0 ] && echo "test-help: $n programs, one default per flag"
exit $status
