#!/usr/bin/env bash
# test-one-step.sh BUILD_DIR — docs/one-step.md quotes build/tape_step's output; this checks that every
# line of every block the page marks as quoted (a fenced block right after `<!-- quoted: build/tape_step -->`)
# is still a line the program prints, so page and code cannot drift. Needs the Fashion-MNIST files
# (TAPEGRAD_DATA or the Debian path), as the examples do.
set -uo pipefail
B=${1:-build}
cd "$(dirname "$0")/.."
page=docs/one-step.md
out=$("$B/tape_step" 2>&1) || { echo "test-one-step: $B/tape_step failed:"; echo "$out"; exit 1; }
blocks=0; lines=0; bad=0
in_block=0; armed=0
while IFS= read -r line; do
    if [ $in_block = 1 ]; then
        if [ "$line" = '```' ]; then in_block=0; continue; fi
        [ -n "$line" ] || continue
        [ "$line" = "..." ] && continue  # the page may elide lines
        lines=$((lines + 1))
        if ! grep -qxF -- "$line" <<<"$out"; then
            echo "test-one-step: docs/one-step.md quotes a line build/tape_step no longer prints:"
            echo "  $line"
            bad=$((bad + 1))
        fi
        continue
    fi
    if [[ $line == '<!-- quoted: build/tape_step -->' ]]; then armed=1; continue; fi
    if [ $armed = 1 ] && [[ $line == '```'* ]]; then in_block=1; armed=0; blocks=$((blocks + 1)); continue; fi
    [ -n "$line" ] && armed=0
done < "$page"
if [ $blocks = 0 ] || [ $lines = 0 ]; then echo "test-one-step: no quoted block found in $page"; exit 1; fi
if [ $bad != 0 ]; then echo "test-one-step: $bad of $lines quoted lines differ (rerun $B/tape_step and update the page)"; exit 1; fi
echo "test-one-step: all $lines lines of $blocks quoted blocks match $B/tape_step"
