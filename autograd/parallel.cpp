// parallel.cpp — the worker pool behind parallel_for (parallel.h): N - 1 threads that sleep on a condition
// variable until a job is posted, each run its own range of it, and report back. One job at a time.
#include "parallel.h"

#include <unistd.h>

#include <algorithm>
#include <condition_variable>
#include <mutex>
#include <thread>
#include <vector>

#include "error.h"

namespace tg {

namespace {

struct Pool {
    std::mutex mu;
    std::condition_variable work_cv, done_cv;
    std::vector<std::thread> workers;
    pid_t owner = 0;           // a forked child has no workers: it runs every job alone
    unsigned long job = 0;     // incremented for each posted job; a worker runs each job once
    int pending = 0;           // workers still busy with the current job
    bool stop = false;
    RangeFn fn = nullptr;
    void* ctx = nullptr;
    size_t n = 0;
    int parts = 1;             // ranges of the current job (the caller takes range 0)

    // [begin, end) of range r of `parts` over n, cut at multiples of 16 so each range starts on a
    // 64-byte boundary of a float array (whole vectors for the compiler's loops)
    static void range(size_t n, int parts, int r, size_t& begin, size_t& end) {
        const size_t per = (n / parts + 15) / 16 * 16;
        begin = std::min(n, per * r);
        end = r == parts - 1 ? n : std::min(n, per * (r + 1));
    }

    void worker_loop(int r, unsigned long seen) {  // r = 1 .. workers.size(); seen: the last job before it started
        std::unique_lock<std::mutex> lock(mu);
        for (;;) {
            work_cv.wait(lock, [&] { return stop || job != seen; });
            if (stop) return;
            seen = job;
            if (r < parts) {
                size_t begin, end;
                range(n, parts, r, begin, end);
                RangeFn f = fn;
                void* c = ctx;
                lock.unlock();
                f(c, begin, end);
                lock.lock();
            }
            if (--pending == 0) done_cv.notify_one();
        }
    }

    void resize(int threads) {
        {
            std::lock_guard<std::mutex> lock(mu);
            stop = true;
        }
        work_cv.notify_all();
        for (std::thread& t : workers) {
            if (owner == getpid()) t.join();
            else t.detach();  // a forked child: the parent's workers do not exist here
        }
        workers.clear();
        stop = false;
        owner = getpid();
        for (int r = 1; r < threads; r++) workers.emplace_back([this, r, j = job] { worker_loop(r, j); });
    }

    void run(size_t n_, RangeFn fn_, void* ctx_) {
        const int threads = (int)workers.size() + 1;
        int p = (int)std::min<size_t>((size_t)threads, n_ / kMinParallelElements);
        if (p <= 1 || getpid() != owner) {
            fn_(ctx_, 0, n_);
            return;
        }
        {
            std::lock_guard<std::mutex> lock(mu);
            fn = fn_;
            ctx = ctx_;
            n = n_;
            parts = p;
            pending = (int)workers.size();
            job++;
        }
        work_cv.notify_all();
        size_t begin, end;
        range(n_, p, 0, begin, end);
        fn_(ctx_, begin, end);
        std::unique_lock<std::mutex> lock(mu);
        done_cv.wait(lock, [&] { return pending == 0; });
    }

    ~Pool() { resize(0); }
};

Pool& pool() {
    static Pool p;
    return p;
}

}  // namespace

void parallel_ranges(size_t n, RangeFn fn, void* ctx) { pool().run(n, fn, ctx); }

void set_worker_threads(int n) {
    if (n < 1) throw input_error("set_threads: " + std::to_string(n) + " threads; pass 1 or more");
    Pool& p = pool();
    if ((int)p.workers.size() + 1 != n || p.owner != getpid()) p.resize(n);
}

int worker_threads() { return (int)pool().workers.size() + 1; }

}  // namespace tg
