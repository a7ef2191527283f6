#!/usr/bin/env bash
# line-counts.sh — the README's folder map: files and lines per folder (the files git tracks), autograd/
# without its fast/ subfolder, which has a row of its own.
cd "$(dirname "$0")/.."
for d in autograd autograd/fast nn data io models run examples tests docs scripts bench fuzz; do
    files=$(git ls-files "$d" 2>/dev/null)
    [ "$d" = autograd ] && files=$(echo "$files" | grep -v '^autograd/fast/')
    [ -n "$files" ] || continue
    printf '| `%s/` | %s | %s |\n' "$d" "$(echo "$files" | wc -l)" "$(cat $files | wc -l)"
done
