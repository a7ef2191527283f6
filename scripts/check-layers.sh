#!/usr/bin/env bash
# check-layers.sh — the include graph follows the layout (README.md, "Where things are"): every
# `#include "dir/file.h"` of a tracked source file must point into a folder its own folder may use.
#   autograd/ (and autograd/fast/) -> autograd          the engine needs nothing else
#   nn/       -> autograd, nn                            layers, optimizers, the epoch loop
#   data/     -> autograd, data                          data sets in memory, batches
#   io/       -> autograd, data, io                      file formats
#   models/   -> autograd, nn, data, io, models          models and baselines
#   run/      -> autograd, nn, data, io, models, run     what every program shares
#   examples/, tests/, bench/, fuzz/ -> anything but examples/ (nothing includes a program)
# Also: every include names a file that exists (no stale path after a move). Prints each breach; exit 1.
cd "$(dirname "$0")/.."
allowed() {
    case $1 in
        autograd) echo "autograd" ;;
        nn) echo "autograd nn" ;;
        data) echo "autograd data" ;;
        io) echo "autograd data io" ;;
        models) echo "autograd nn data io models" ;;
        run) echo "autograd nn data io models run" ;;
        *) echo "*" ;;
    esac
}
bad=0
while IFS= read -r file; do
    top=${file%%/*}
    ok=$(allowed "$top")
    while IFS= read -r inc; do
        [ -n "$inc" ] || continue
        target=${inc%%/*}
        if [ "$target" = examples ]; then echo "$file includes $inc: nothing may include a program in examples/"; bad=1; fi
        case $inc in */*) ;; *) continue ;; esac   # a file beside it (bench/peers' own headers)
        if [ ! -f "$inc" ] && [ ! -f "$(dirname "$file")/$inc" ]; then echo "$file includes $inc, which does not exist"; bad=1; fi
        [ "$ok" = "*" ] && continue
        case " $ok " in *" $target "*) ;; *) echo "$file includes $inc: $top/ may include only $ok"; bad=1 ;; esac
    done < <(sed -n 's/^[[:space:]]*#[[:space:]]*include[[:space:]]*"\([^"]*\)".*/\1/p' "$file")
done < <(git ls-files '*.h' '*.cpp')
[ $bad -eq 0 ] && echo "check-layers: every include follows the layout"
exit $bad
