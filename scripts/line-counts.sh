#!/usr/bin/env bash
# line-counts.sh — the README's folder map: lines of code per folder (source files only).
cd "$(dirname "$0")/.."
printf '| folder | files | lines |\n|---|---|---|\n'
for d in autograd nn models io examples tests bench scripts docs; do
    [ -d "$d" ] || continue
    files=$(git ls-files "$d" | grep -E '\.(cpp|h|sh|md|py)$' || true)
    [ -n "$files" ] || continue
    printf '| `%s/` | %s | %s |\n' "$d" "$(echo "$files" | wc -l)" "$(cat $files | wc -l)"
done
