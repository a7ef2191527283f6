// parallel.h — tapegrad's own threads, for the few loops big enough to be worth splitting: the
// optimizers' updates and zero_grad, which stream every parameter (and its moments) through memory once
// per step. set_threads(N) (blas.h) sizes OpenBLAS's pool and this one together: N - 1 workers plus the
// calling thread. parallel_for(n, f) cuts [0, n) into one contiguous range per thread and calls f(begin, end)
// on each; the element arithmetic is the serial loop's, so results are bit-identical for every N.
// Policy (docs/performance.md, "Threading policy"): called only between GEMMs, never nested, never from
// a worker; small n runs on the calling thread alone. No OpenMP: nothing else competes for the cores.
#pragma once
#include <cstddef>
#include <type_traits>

namespace tg {

// The non-template core: fn(ctx, begin, end) on each range. Allocates nothing once the pool exists.
// fn must not throw (an exception on a worker thread ends the program): check inputs before the loop,
// as the optimizers do (Optimizer::check_sizes).
using RangeFn = void (*)(void* ctx, size_t begin, size_t end);
void parallel_ranges(size_t n, RangeFn fn, void* ctx);

// parallel_for(n, [&](size_t begin, size_t end) { for (size_t i = begin; i < end; i++) ... });
template <class F>
void parallel_for(size_t n, F&& f) {
    using Fn = std::remove_reference_t<F>;
    parallel_ranges(n, [](void* ctx, size_t begin, size_t end) { (*static_cast<Fn*>(ctx))(begin, end); }, (void*)&f);
}

// Below this many elements per thread a loop stays on the calling thread: waking a worker costs a few
// microseconds, about what streaming 16k floats through memory takes.
constexpr size_t kMinParallelElements = 16384;

void set_worker_threads(int n);  // n threads in all (the caller + n - 1 workers); set_threads calls it
int worker_threads();

}  // namespace tg
