#!/usr/bin/env bash
# line-counts.sh — the README's folder map: files and lines per folder (the files git tracks), autograd/
# without its fast/ subfolder, which has a row of its own.
cd "$(dirname "$0")/.."
for d in autograd autograd/fast nn data io models run dist examples exercises tests docs scripts bench fuzz; do
    files=$(git ls-files "$d" 2>/dev/null)
    [ "$d" = autograd ] && files=$(echo "$files" | grep -v '^autograd/fast/')
    [ -n "$files" ] || continue
    printf '| `%s/` | %s | %s |\n' "$d" "$(echo "$files" | wc -l)" "$(cat $files | wc -l)"
done
# The learner's engine, which stays <= 1,500 lines: tensor, tape, the core ops, the GEMM call site and the
# loop helpers. Not counted in it: autograd/fast/ (speed), gradcheck (testing), and the convolution ops,
# which a learner reads after the core (autograd/ops_conv.*: counted on their own line).
core=$(git ls-files 'autograd/tensor.*' 'autograd/tape.*' 'autograd/ops.h' 'autograd/ops_impl.h' 'autograd/ops_*.cpp' \
       'autograd/blas.*' 'autograd/loops.h' | grep -v '^autograd/ops_conv\.')
printf '| engine core (`autograd/` tensor, tape, ops, blas, loops) | %s | %s |\n' "$(echo "$core" | wc -l)" "$(cat $core | wc -l)"
conv=$(git ls-files 'autograd/ops_conv.*')
[ -n "$conv" ] && printf '| conv ops (`autograd/ops_conv.*`, read after the core) | %s | %s |\n' "$(echo "$conv" | wc -l)" "$(cat $conv | wc -l)"
exit 0
