// threads.cpp — the worker pool behind parallel_for (threads.h). A job is cut into `parts` ranges that
// the calling thread and the workers take one at a time from a shared counter, so the caller never waits
// for a worker that is asleep or descheduled: it takes the remaining parts itself. Between jobs a worker
// spins for about a millisecond (a training step posts a job every few microseconds to a few hundred),
// then sleeps on a condition variable until the next one.
#include "autograd/fast/threads.h"

#include <cblas.h>
#include <pthread.h>
#if defined(__SSE__) || defined(__x86_64__)
#include <xmmintrin.h>
#endif

#include <algorithm>
#include <atomic>
#include <chrono>
#include <condition_variable>
#include <cstdint>
#include <mutex>
#include <new>
#include <thread>
#include <vector>

#include "autograd/error.h"

namespace tg {

namespace {

// Tell the core we are spinning (it saves power and lets the other hyper-thread run); nothing elsewhere.
inline void cpu_relax() {
#if defined(__x86_64__) || defined(__i386__)
    __builtin_ia32_pause();
#elif defined(__aarch64__)
    asm volatile("yield");
#endif
}

constexpr double kSpinSeconds = 1e-3;  // a worker with nothing to do spins this long, then sleeps

// The caller's floating-point mode (x86: MXCSR's control bits; start_run sets FTZ and DAZ, which flush
// denormals to zero): every part of a job runs with it, on whichever thread, so a split loop rounds as the
// serial loop would. A worker's own mode is whatever its creator had when it started.
#if defined(__SSE__) || defined(__x86_64__)
inline unsigned fp_mode() { return _mm_getcsr() & ~0x3fu; }  // bits 0-5 are sticky exception flags, not mode
inline void use_fp_mode(unsigned mode) {
    const unsigned csr = _mm_getcsr();
    if ((csr & ~0x3fu) != mode) _mm_setcsr((csr & 0x3fu) | mode);
}
#else
inline unsigned fp_mode() { return 0; }
inline void use_fp_mode(unsigned) {}
#endif

thread_local bool inside_range = false;  // set while a thread runs a range: a nested parallel_for runs serially

// The claim word: which job, how many parts it has, how many have been taken. One atomic word, so that a
// worker that wakes late and sees an old job number takes nothing from a newer job.
constexpr int kPartBits = 12;  // up to 4095 parts (threads are capped at 256 by the flags)
constexpr uint64_t kPartMask = (1u << kPartBits) - 1;
inline uint64_t pack(uint64_t job, uint64_t parts, uint64_t next) { return job << (2 * kPartBits) | parts << kPartBits | next; }
inline uint64_t job_of(uint64_t c) { return c >> (2 * kPartBits); }
inline uint64_t parts_of(uint64_t c) { return c >> kPartBits & kPartMask; }
inline uint64_t next_of(uint64_t c) { return c & kPartMask; }

// [begin, end) of part r of `parts` over n, cut at multiples of 16 so each range starts on a 64-byte
// boundary of a float array (whole vectors for the compiler's loops); the last parts may be empty.
void part_range(size_t n, uint64_t parts, uint64_t r, size_t& begin, size_t& end) {
    const size_t per = (n / parts + 15) / 16 * 16;
    begin = std::min(n, per * r);
    end = r == parts - 1 ? n : std::min(n, per * (r + 1));
}

struct Pool {
    // the current job: written by the caller before it publishes the job number in `claim`
    RangeFn fn = nullptr;
    void* ctx = nullptr;
    size_t n = 0;
    unsigned mode = 0;               // the caller's floating-point mode (fp_mode)
    std::atomic<uint64_t> claim{0};
    std::atomic<uint64_t> done{0};   // parts of the current job finished
    uint64_t jobs = 0;               // jobs posted (the caller's count)
    std::atomic<bool> busy{false};   // a job is running: a second caller thread runs its loop serially

    std::atomic<int> sleepers{0};
    std::atomic<bool> stop{false};
    std::mutex mu;
    std::condition_variable cv;
    std::vector<std::thread> workers;
    bool forked = false;             // set in a forked child, which has no workers: it runs every job alone

    // Take and run parts of `job` until none is left (or a newer job has replaced it).
    void take_parts(uint64_t job) {
        for (;;) {
            uint64_t c = claim.load(std::memory_order_acquire);
            if (job_of(c) != job || next_of(c) >= parts_of(c)) return;
            if (!claim.compare_exchange_weak(c, c + 1, std::memory_order_acq_rel, std::memory_order_acquire)) continue;
            // the part is ours, and the job cannot finish (nor fn, ctx, n change) before we report it done
            size_t begin, end;
            part_range(n, parts_of(c), next_of(c), begin, end);
            if (begin < end) {
                use_fp_mode(mode);
                inside_range = true;
                fn(ctx, begin, end);
                inside_range = false;
            }
            done.fetch_add(1, std::memory_order_release);
        }
    }

    void worker_loop(uint64_t seen) {  // seen: the last job posted before this worker started
        using clock = std::chrono::steady_clock;
        auto idle_since = clock::now();
        for (unsigned spins = 0;; spins++) {
            uint64_t job = job_of(claim.load(std::memory_order_acquire));
            if (job != seen) {
                seen = job;
                take_parts(job);
                idle_since = clock::now();
                spins = 0;
                continue;
            }
            if (stop.load(std::memory_order_acquire)) return;
            cpu_relax();
            if (spins % 64 != 63 || std::chrono::duration<double>(clock::now() - idle_since).count() < kSpinSeconds) continue;
            // idle for a while: sleep until a job is posted (run() wakes sleepers)
            std::unique_lock<std::mutex> lock(mu);
            sleepers.fetch_add(1);  // seq_cst, as run()'s store and load: one of the two sees the other
            cv.wait(lock, [&] { return stop.load() || job_of(claim.load()) != seen; });
            sleepers.fetch_sub(1);
            idle_since = clock::now();
        }
    }

    void resize(int threads) {
        stop.store(true);
        { std::lock_guard<std::mutex> lock(mu); }
        cv.notify_all();
        for (std::thread& t : workers) {
            if (!forked) t.join();
            else t.detach();  // a forked child: the parent's workers do not exist here
        }
        workers.clear();
        stop.store(false);
        forked = false;
        busy.store(false);  // (a child forked while its parent ran a job inherits the flag set)
        const uint64_t seen = job_of(claim.load());
        for (int r = 1; r < threads; r++) workers.emplace_back([this, seen] { worker_loop(seen); });
    }

    void run(size_t n_, size_t min_per_part, RangeFn fn_, void* ctx_, size_t chunks) {
        const size_t threads = workers.size() + 1;
        const uint64_t parts = chunks > 0 ? std::min<size_t>(chunks, kPartMask)
                                          : std::min<size_t>(std::min<size_t>(threads, kPartMask), n_ / std::max<size_t>(min_per_part, 1));
        if (parts <= 1 || threads == 1 || inside_range || forked || busy.exchange(true, std::memory_order_acquire)) {
            if (n_ > 0) fn_(ctx_, 0, n_);
            return;
        }
        fn = fn_;
        ctx = ctx_;
        n = n_;
        mode = fp_mode();
        done.store(0, std::memory_order_relaxed);
        const uint64_t job = ++jobs;
        claim.store(pack(job, parts, 0));  // publish (seq_cst: ordered before the load of sleepers)
        if (sleepers.load() > 0) {
            { std::lock_guard<std::mutex> lock(mu); }  // a worker between its check and its wait has reached the wait
            cv.notify_all();
        }
        take_parts(job);
        for (unsigned spins = 0; done.load(std::memory_order_acquire) < parts; spins++) {
            if (spins < 4096) cpu_relax();
            else std::this_thread::yield();  // a worker holding a part was descheduled: let it run
        }
        busy.store(false, std::memory_order_release);
    }

    ~Pool() { resize(0); }
};

Pool& pool() {
    static Pool p;
    static const bool registered = pthread_atfork(nullptr, nullptr, [] {  // in a forked child:
        Pool& q = pool();
        q.forked = true;
        // The parent's workers may have held mu, or slept on cv: in the child, mu would stay locked and cv
        // would count a waiter that does not exist (notify_all then waits for it forever). Start both afresh,
        // without their destructors (which would wait the same way). Found by a ThreadSanitizer session.
        new (&q.mu) std::mutex;
        new (&q.cv) std::condition_variable;
        q.sleepers.store(0, std::memory_order_relaxed);
    }) == 0;
    (void)registered;
    return p;
}

}  // namespace

void parallel_ranges(size_t n, size_t min_per_part, RangeFn fn, void* ctx, size_t parts) { pool().run(n, min_per_part, fn, ctx, parts); }

void set_worker_threads(int n) {
    if (n < 1) throw input_error("set_threads: " + std::to_string(n) + " threads; pass 1 or more");
    Pool& p = pool();
    if ((int)p.workers.size() + 1 != n || p.forked) p.resize(n);
}

void set_threads(int n) {
    set_worker_threads(n);        // tapegrad's threads: they run the GEMMs' blocks too
    openblas_set_num_threads(1);  // one pool only: OpenBLAS's idle threads would spin on the cores ours need
}

int get_threads() { return (int)pool().workers.size() + 1; }

LapackThreads::LapackThreads() { openblas_set_num_threads(get_threads()); }
LapackThreads::~LapackThreads() { openblas_set_num_threads(1); }

}  // namespace tg
