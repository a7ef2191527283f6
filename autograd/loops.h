// loops.h — the two loops the engine writes all its elementwise work with. Read them as plain loops:
//   for_each_index(n, f)    means   for (size_t i = 0; i < n; i++) f(i);
//   for_each_range(n, f)    means   f(0, n)    (f loops over its [begin, end) itself)
// and that is exactly what they do for small n. For large n they cut [0, n) into one contiguous range per
// thread of tapegrad's pool; each index is still computed by the same arithmetic, so the results are the
// same bits for any --threads. How the cutting works, and every other speed trick (vectorized exp, GEMM
// blocks, denormals), lives apart in autograd/fast/ (docs/performance.md): a learner can skip it.
#pragma once
#include <cstddef>

#include "autograd/fast/threads.h"

namespace tg {

// min_per_thread: below this many indices per thread a loop stays on the calling thread. The default,
// kMinPerThread, suits a copy; loops computing exp or log per index pass kMinPerThreadMath (fast/threads.h).

// for (size_t i = 0; i < n; i++) f(i);   f must touch index i only (its own output element).
template <class F>
inline void for_each_index(size_t n, F f, size_t min_per_thread = kMinPerThread) {
    parallel_for(n, min_per_thread, [&f](size_t begin, size_t end) {
        F g = f;  // a local copy: its captures stay in registers (a store through a float* could alias f's)
        for (size_t i = begin; i < end; i++) g(i);
    });
}

// f(begin, end) over pieces of [0, n) that together cover it once (one piece when n is small): for loops
// whose body is itself a loop over a row or a run of columns.
template <class F>
inline void for_each_range(size_t n, F f, size_t min_per_thread = kMinPerThread) {
    parallel_for(n, min_per_thread, f);
}

}  // namespace tg
