#!/usr/bin/env bash
# line-counts.sh — the README's folder map: files and lines per folder (the files git tracks).
cd "$(dirname "$0")/.."
for d in autograd nn models io examples tests docs scripts bench; do
    files=$(git ls-files "$d" 2>/dev/null)
    [ -n "$files" ] || continue
    printf '| `%s/` | %s | %s |\n' "$d" "$(echo "$files" | wc -l)" "$(cat $files | wc -l)"
done
