#!/usr/bin/env bash
# kill-resume-trials.sh BUILD_DIR [TRIALS] — crash safety, measured. TRIALS times (default 20): start a short
# training run (mlp_classifier: 3000 images, 4 epochs, 1 thread, seed 3), kill it with SIGKILL, resume it
# from its checkpoint, and check that
#   1. the checkpoint left by the kill is readable (the resume loads it; a torn file would fail it);
#   2. the resume continues from the last completed epoch: the checkpoint's epoch is at least the last
#      epoch the killed run reported done, and at most the epochs in its metrics.csv;
#   3. the resumed run ends bit-identical to an uninterrupted run: every tensor of model.ckpt (parameters,
#      Adam's moments and step) byte for byte, and every metric but the wall-clock seconds.
# Odd trials kill after a random delay inside the training; even trials spin until the temp file of a
# random epoch's checkpoint (model.ckpt.tmp.<pid>) appears, and kill inside the write. KILL_SEED=N repeats a
# sequence of delays. Prints one line per trial and "kill-resume: N/N trials recovered". docs/checkpoints.md
set -uo pipefail
B=$(cd "${1:-build}" && pwd)
TRIALS=${2:-20}
seed=${KILL_SEED:-$$}
RANDOM=$seed
work=$(mktemp -d)
trap 'kill -9 $pid 2>/dev/null; rm -rf "$work"' EXIT
pid=
flags=(--train-limit 3000 --epochs 4 --threads 1 --seed 3)
EPOCHS=4

# The tensors of a checkpoint, as bytes: everything between the meta entries and the CRC. The meta differs
# between runs on purpose (the "flags" entry records --out and --resume), the tensors must not.
# Layout (docs/checkpoints.md): magic 8, version u32, element size u32, M u32, M x (u32 len, key, u32 len,
# value), then the tensors, then the u32 CRC. od reads u32s in the host's order: little-endian, as stored.
u32() { od -An -tu4 -j "$2" -N4 "$1" | tr -d ' '; }
tensors_of() {
    local f=$1 off=20 m i n
    m=$(u32 "$f" 16)
    for ((i = 0; i < 2 * m; i++)); do n=$(u32 "$f" $off); off=$((off + 4 + n)); done
    tail -c +$((off + 1)) "$f" | head -c $(($(stat -c %s "$f") - off - 4))
}
meta_of() {  # meta_of FILE KEY: the value of a meta entry
    local f=$1 off=20 m i klen key vlen
    m=$(u32 "$f" 16)
    for ((i = 0; i < m; i++)); do
        klen=$(u32 "$f" $off); key=$(tail -c +$((off + 5)) "$f" | head -c "$klen"); off=$((off + 4 + klen))
        vlen=$(u32 "$f" $off)
        [ "$key" = "$2" ] && { tail -c +$((off + 5)) "$f" | head -c "$vlen"; return; }
        off=$((off + 4 + vlen))
    done
}
metrics() { cut -d, -f1,3- "$1/metrics.csv"; }  # every column but the wall-clock seconds
last_done() { sed -nE "s|^epoch ([0-9]+)/$EPOCHS .*|\1|p" "$1" | tail -n1; }  # printed after each save
now_ms() { echo $(($(date +%s%N) / 1000000)); }

# ---- the uninterrupted run, and how long its training part takes (after the data is loaded)
cd "$work" || exit 1
t0=$(now_ms)
"$B/mlp_classifier" "${flags[@]}" --out whole >whole.log 2>&1 &
pid=$!
until grep -q '^model:' whole.log 2>/dev/null || ! kill -0 $pid 2>/dev/null; do sleep 0.01; done
t1=$(now_ms)
wait $pid || { echo "the uninterrupted run failed:"; cat whole.log; exit 1; }
t2=$(now_ms)
train_ms=$((t2 - t1))
echo "uninterrupted run: $((t2 - t0)) ms, $train_ms of them training; $TRIALS trials, KILL_SEED=$seed"

ok=0 mid_write=0
for ((trial = 1; trial <= TRIALS; trial++)); do
    out=t$trial
    rm -rf "$out"
    "$B/mlp_classifier" "${flags[@]}" --out "$out" >"$out.log" 2>&1 &
    pid=$!
    until grep -q '^model:' "$out.log" 2>/dev/null || ! kill -0 $pid 2>/dev/null; do sleep 0.005; done
    if ((trial % 2)); then
        ms=$((RANDOM % train_ms))
        how="after $ms ms"
        sleep "$(printf '%d.%03d' $((ms / 1000)) $((ms % 1000)))"
    else
        # the temp file of epoch k's checkpoint (or a later one's, if k's was missed): spin until it shows
        k=$((1 + RANDOM % EPOCHS))
        how="writing a checkpoint"
        until { compgen -G "$out/model.ckpt.tmp.*" >/dev/null && [ "$(wc -l <"$out/metrics.csv")" -gt $k ]; } ||
            ! kill -0 $pid 2>/dev/null; do :; done
    fi
    kill -9 $pid 2>/dev/null
    wait $pid 2>/dev/null
    pid=
    torn=$(compgen -G "$out/model.ckpt.tmp.*" >/dev/null && echo " (a temp file was left: killed mid-write)")
    [ -n "$torn" ] && mid_write=$((mid_write + 1))
    reported=$(last_done "$out.log")
    reported=${reported:-0}
    rows=0
    [ -f "$out/metrics.csv" ] && rows=$(($(wc -l <"$out/metrics.csv") - 1))

    problem=
    if [ -f "$out/model.ckpt" ]; then
        from=$(meta_of "$out/model.ckpt" epoch)
        "$B/mlp_classifier" "${flags[@]}" --out "$out" --resume "$out/model.ckpt" >"$out.resume.log" 2>&1 ||
            problem="the resume failed: $(grep -m1 error: "$out.resume.log")"
    else
        from=0  # killed before the first checkpoint: start again
        "$B/mlp_classifier" "${flags[@]}" --out "$out" >"$out.resume.log" 2>&1 || problem="the rerun failed"
    fi
    if [ -z "$problem" ]; then
        if [ -z "$from" ] || ((from < reported || from > rows)); then
            problem="the checkpoint holds epoch '${from}', but $reported epoch(s) were reported done and $rows logged"
        elif ! cmp -s <(tensors_of whole/model.ckpt) <(tensors_of "$out/model.ckpt"); then
            problem="the final tensors differ from the uninterrupted run's"
        elif ! diff -q <(metrics whole) <(metrics "$out") >/dev/null; then
            problem="the metrics differ from the uninterrupted run's"
        fi
    fi
    if [ -z "$problem" ]; then
        ok=$((ok + 1))
        printf 'trial %2d: killed %-26s epochs done %d, checkpoint at epoch %d, resumed: identical%s\n' \
            $trial "$how," "$reported" "$from" "$torn"
    else
        printf 'trial %2d: killed %-26s FAILED: %s\n' $trial "$how," "$problem"
    fi
    rm -rf "$out" "$out.log" "$out.resume.log"
done
echo "kill-resume: $ok/$TRIALS trials recovered ($mid_write killed inside a checkpoint write), KILL_SEED=$seed"
[ $ok -eq "$TRIALS" ]
