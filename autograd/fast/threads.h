// threads.h — tapegrad's threads: N - 1 workers plus the calling thread, the only threads that compute.
// set_threads(N) sizes this pool and keeps OpenBLAS itself at one thread: gemm() cuts a large product
// into one block of C per thread (gemm_blocks.h), and the optimizers and the largest elementwise loops
// (autograd/loops.h) cut their arrays the same way, so two pools never compete for the cores
// (docs/performance.md, "Threading policy"). parallel_for(n, f) cuts [0, n) into at most one contiguous range per thread and
// calls f(begin, end) on each; every index is computed by the serial loop's arithmetic, so results are
// bit-identical for every N. Called from the thread that owns the pool, never nested (a parallel_for
// inside a range runs serially); small n runs on the calling thread alone.
#pragma once
#include <cstddef>
#include <type_traits>
#include <utility>

namespace tg {

// The non-template core: fn(ctx, begin, end) on each range. parts = 0: at most one range per thread,
// each of at least min_per_part indices; parts > 0: that many ranges (see parallel_chunks). Allocates
// nothing once the pool exists. fn must not throw (an exception on a worker thread ends the program):
// check inputs before the loop, as the optimizers do (Optimizer::check_sizes).
using RangeFn = void (*)(void* ctx, size_t begin, size_t end);
void parallel_ranges(size_t n, size_t min_per_part, RangeFn fn, void* ctx, size_t parts = 0);

// Below this many indices per thread a loop stays on the calling thread: handing a range to a worker that is
// waiting for work costs about a microsecond, what streaming 16k floats through memory takes. A loop that
// computes exp or log per index does ~10x a copy's work per index, and splits from fewer.
constexpr size_t kMinPerThread = 16384;
constexpr size_t kMinPerThreadMath = 4096;

// parallel_for(n, [&](size_t begin, size_t end) { for (size_t i = begin; i < end; i++) ... });
// Ranges start at multiples of 16 (whole 64-byte cache lines of a float array).
template <class Fn>
void call_range(void* ctx, size_t begin, size_t end) { (*static_cast<Fn*>(ctx))(begin, end); }  // a RangeFn for any callable

template <class F>
void parallel_for(size_t n, size_t min_per_part, F&& f) {
    parallel_ranges(n, min_per_part, call_range<std::remove_reference_t<F>>, (void*)&f);
}
template <class F>
void parallel_for(size_t n, F&& f) { parallel_for(n, kMinPerThread, std::forward<F>(f)); }

// [0, n) cut into ranges of about `chunk` indices, more ranges than threads, each handed to whichever
// thread is free next: for a loop whose cost per index is uneven (part of its data still in cache from
// the step before, part not), where one range per thread would leave the faster thread waiting. The
// optimizers' step (nn/optim.h): the gradients backward wrote last are still in cache and those it wrote
// first are not, so halves would leave one thread waiting for the other.
template <class F>
void parallel_chunks(size_t n, size_t chunk, F&& f) {
    const size_t parts = chunk == 0 ? 1 : (n + chunk - 1) / chunk;
    parallel_ranges(n, 1, call_range<std::remove_reference_t<F>>, (void*)&f, parts);
}

// Threading policy (docs/performance.md): tapegrad's own threads do everything parallel; OpenBLAS runs
// single-threaded inside them. `--threads N` in every example calls set_threads(N) (through start_run),
// which sizes this pool (N threads in all: the caller + N - 1 workers) and keeps OpenBLAS's own at one.
void set_threads(int n);
int get_threads();
void set_worker_threads(int n);  // the pool alone, OpenBLAS untouched (a forked child's test uses it)

// LAPACK (models/linalg.cpp) does its own products inside OpenBLAS: while a LapackThreads lives, OpenBLAS
// runs with as many threads as set_threads asked for (tapegrad's workers are idle then); outside, one.
struct LapackThreads {
    LapackThreads();
    ~LapackThreads();
};

}  // namespace tg
