// test_parallel.cpp — tapegrad's own threads (autograd/fast/threads.h): parallel_for covers every index
// exactly once with at most one range per thread, small loops stay on the caller, nested and concurrent
// calls run serially instead of deadlocking, a worker that fell asleep wakes for the next job; gemm()'s
// blocks over threads agree with the naive product and repeat bit for bit; the random fills and the ops
// that draw (dropout, RBM sampling, input corruption) give the serial loop's numbers at any thread count;
// the optimizers give bit-identical parameters for 1, 2 and 3 threads; a forked child (no workers) still runs.
#include <catch2/catch.hpp>

#include <sys/wait.h>
#include <unistd.h>

#include <algorithm>
#include <atomic>
#include <chrono>
#include <functional>
#include <limits>
#include <memory>
#include <mutex>
#include <thread>
#include <utility>
#include <vector>

#include <cblas.h>

#include "autograd/blas.h"
#include "autograd/fast/denormals.h"
#include "autograd/ops.h"
#include "autograd/fast/threads.h"
#include "models/autoencoder.h"
#include "models/rbm.h"
#include "nn/optim.h"
#include "tests/helpers.h"

using namespace tg;

namespace {
struct ThreadsFor {  // set_threads(n) for one scope, then back to what it was
    int before;
    explicit ThreadsFor(int n) : before(get_threads()) { set_threads(n); }
    ~ThreadsFor() { set_threads(before); }
};
}  // namespace

TEST_CASE("parallel_for: every index once, one range per thread at most, small n on the caller", "[parallel]") {
    const size_t big = 2 * kMinPerThread;
    for (int threads : {1, 2, 3, 4}) {
        ThreadsFor scope(threads);
        REQUIRE(get_threads() == threads);
        for (size_t n : {(size_t)0, (size_t)1, (size_t)15, big - 1, big, big + 17, (size_t)100003}) {
            INFO(threads << " threads, n = " << n);
            std::vector<int> hits(n, 0);
            std::vector<std::pair<size_t, size_t>> ranges;
            std::mutex mu;
            parallel_for(n, [&](size_t begin, size_t end) {
                for (size_t i = begin; i < end; i++) hits[i]++;  // ranges are disjoint: no two threads share an i
                std::lock_guard<std::mutex> lock(mu);
                ranges.push_back({begin, end});
            });
            CHECK(std::all_of(hits.begin(), hits.end(), [](int h) { return h == 1; }));
            const size_t expect = std::max<size_t>(1, std::min<size_t>((size_t)threads, n / kMinPerThread));
            CHECK(ranges.size() <= expect);
            if (n == 0) CHECK(ranges.empty());                        // nothing to do: f is not called
            if (n > 0 && n < big) CHECK(ranges.size() == 1);          // below 2 x kMinPerThread: the caller alone
            if (n >= big && threads > 1) CHECK(ranges.size() > 1);   // above: really split
            std::sort(ranges.begin(), ranges.end());
            for (size_t r = 0; r + 1 < ranges.size(); r++) CHECK(ranges[r].second == ranges[r + 1].first);
            for (auto& r : ranges) CHECK(r.first % 16 == 0);  // each range starts on a 64-byte boundary
        }
    }
}

TEST_CASE("parallel_for: min_per_part sets where a loop starts to split", "[parallel]") {
    ThreadsFor scope(2);
    for (size_t min : {(size_t)1, (size_t)64, (size_t)1000}) {
        for (size_t n : {min, 2 * min - 1, 2 * min, 5 * min}) {
            std::atomic<int> ranges{0};
            parallel_for(n, min, [&](size_t, size_t) { ranges++; });
            INFO("min_per_part " << min << ", n = " << n);
            const size_t first = (n / 2 + 15) / 16 * 16;      // ranges are cut at multiples of 16
            CHECK(ranges == (n / min >= 2 && first < n ? 2 : 1));  // a second range only when it is not empty
        }
    }
}

TEST_CASE("parallel_chunks: ranges of the chunk size, every index once, shared among the threads", "[parallel]") {
    for (int threads : {1, 2, 3}) {
        ThreadsFor scope(threads);
        for (size_t n : {(size_t)0, (size_t)100, (size_t)65536, (size_t)652824}) {
            const size_t chunk = 65536;
            std::vector<int> hits(n, 0);
            std::vector<std::pair<size_t, size_t>> ranges;
            std::mutex mu;
            parallel_chunks(n, chunk, [&](size_t begin, size_t end) {
                for (size_t i = begin; i < end; i++) hits[i]++;
                std::lock_guard<std::mutex> lock(mu);
                ranges.push_back({begin, end});
            });
            INFO(threads << " threads, n = " << n);
            CHECK(std::all_of(hits.begin(), hits.end(), [](int h) { return h == 1; }));
            const size_t chunks = (n + chunk - 1) / chunk;
            if (threads == 1 || chunks <= 1) CHECK(ranges.size() == (n > 0 ? 1u : 0u));  // the caller, in one go
            else {
                CHECK(ranges.size() == chunks);
                for (auto& r : ranges) CHECK(r.second - r.first <= chunk + 16);  // (cut at multiples of 16)
            }
        }
    }
}

TEST_CASE("parallel_for: a nested call and a second calling thread run serially, and finish", "[parallel]") {
    ThreadsFor scope(2);
    const size_t n = 4 * kMinPerThread;
    std::vector<int> hits(n * 4, 0);
    parallel_for(4, 1, [&](size_t b, size_t e) {  // outer: 4 items over 2 threads; inner loops inside a range
        for (size_t k = b; k < e; k++)
            parallel_for(n, [&](size_t i0, size_t i1) { for (size_t i = i0; i < i1; i++) hits[k * n + i]++; });
    });
    CHECK(std::all_of(hits.begin(), hits.end(), [](int h) { return h == 1; }));

    std::vector<int> a(n, 0), b(n, 0);  // two threads call at once: one gets the pool, the other runs alone
    auto fill = [n](std::vector<int>& v) {
        for (int rep = 0; rep < 200; rep++) parallel_for(n, [&](size_t i0, size_t i1) { for (size_t i = i0; i < i1; i++) v[i]++; });
    };
    std::thread other([&] { fill(b); });
    fill(a);
    other.join();
    CHECK(std::all_of(a.begin(), a.end(), [](int h) { return h == 200; }));
    CHECK(std::all_of(b.begin(), b.end(), [](int h) { return h == 200; }));
}

TEST_CASE("a worker that fell asleep takes its part of the next jobs", "[parallel]") {
    ThreadsFor scope(2);
    std::this_thread::sleep_for(std::chrono::milliseconds(20));  // idle far longer than a worker spins: it sleeps
    const std::thread::id caller = std::this_thread::get_id();
    bool worker_ran = false;
    std::vector<int> hits(2 * kMinPerThread);
    for (int job = 0; job < 1000 && !worker_ran; job++) {  // the caller takes the part a late worker has not
        std::atomic<bool> other{false};
        parallel_for(hits.size(), [&](size_t b, size_t e) {
            for (size_t i = b; i < e; i++) hits[i]++;
            if (std::this_thread::get_id() != caller) other = true;
            std::this_thread::sleep_for(std::chrono::microseconds(200));  // long enough for the worker to claim
        });
        worker_ran = other;
    }
    CHECK(worker_ran);
    CHECK(hits[0] == hits.back());
}

// start_run flushes denormals on the calling thread (autograd/fast/denormals.h); a worker started earlier, or by
// a thread that did not, must still run its parts in the caller's mode: a split loop that makes denormals
// gives the same zeros as the serial loop, whichever thread runs each part (Adam's moments hit this).
TEST_CASE("parts run in the caller's floating-point mode: denormals flushed on every thread", "[parallel]") {
#if defined(__SSE__) || defined(__x86_64__)
    const unsigned before = _mm_getcsr();
    ThreadsFor scope(2);           // workers started before the caller flushes denormals
    flush_denormals();
    const size_t n = 4 * kMinPerThread;
    std::vector<real> x(n, std::numeric_limits<real>::min()), y(n, real(1));  // the smallest normal number
    const std::thread::id caller = std::this_thread::get_id();
    bool worker_ran = false;
    for (int job = 0; job < 1000 && !worker_ran; job++) {
        std::atomic<bool> other{false};
        parallel_for(n, [&](size_t b, size_t e) {
            for (size_t i = b; i < e; i++) y[i] = x[i] * real(0.25);  // a denormal: flushed to 0
            if (std::this_thread::get_id() != caller) other = true;
            std::this_thread::sleep_for(std::chrono::microseconds(200));
        });
        worker_ran = other;
    }
    _mm_setcsr(before);
    CHECK(worker_ran);
    CHECK(std::all_of(y.begin(), y.end(), [](real v) { return v == 0; }));
#endif
}

TEST_CASE("set_threads sizes tapegrad's pool, keeps OpenBLAS at one thread, and refuses 0", "[parallel]") {
    ThreadsFor scope(3);
    CHECK(get_threads() == 3);
    CHECK(openblas_get_num_threads() == 1);  // gemm() splits over tapegrad's threads; OpenBLAS's stay idle
    {
        LapackThreads lapack;  // LAPACK's own products (models/linalg.cpp) get OpenBLAS's threads meanwhile
        CHECK(openblas_get_num_threads() == 3);
    }
    CHECK(openblas_get_num_threads() == 1);
    tg_test::Thrown e = tg_test::error_of([] { set_threads(0); });
    CHECK(e.threw);
    CHECK(e.code == EXIT_BAD_INPUT);
    CHECK(get_threads() == 3);  // unchanged
}

// Shapes that split by rows (M >= N) and by columns, every transpose, leading dimensions wider than the
// matrices, beta 0 and 1: against the naive loop, and a second run at the same thread count bit for bit.
TEST_CASE("gemm over 1, 2 and 3 threads: blocks of C agree with the reference, and repeat exactly", "[parallel][blas]") {
    struct Dims { int M, N, K; };
    const Dims sizes[] = {{128, 400, 784}, {400, 90, 128}, {130, 20, 300}, {33, 500, 64}, {16, 16, 2000}};
    Rng rng(3);
    for (int threads : {1, 2, 3}) {
        ThreadsFor scope(threads);
        for (const Dims& d : sizes)
            for (int ta = 0; ta < 2; ta++)
                for (int tb = 0; tb < 2; tb++)
                    for (real beta : {real(0), real(1)}) {
                        const int pad = 5, lda = (ta ? d.M : d.K) + pad, ldb = (tb ? d.K : d.N) + pad, ldc = d.N + pad;
                        Tensor A = Tensor::uniform(Shape{ta ? d.K : d.M, lda}, -1, 1, rng);
                        Tensor B = Tensor::uniform(Shape{tb ? d.N : d.K, ldb}, -1, 1, rng);
                        Tensor C = Tensor::uniform(Shape{d.M, ldc}, -1, 1, rng), Cref = C, Cagain = C;
                        gemm(ta, tb, d.M, d.N, d.K, 0.5, A.ptr(), lda, B.ptr(), ldb, beta, C.ptr(), ldc);
                        gemm(ta, tb, d.M, d.N, d.K, 0.5, A.ptr(), lda, B.ptr(), ldb, beta, Cagain.ptr(), ldc);
                        gemm_reference(ta, tb, d.M, d.N, d.K, 0.5, A.ptr(), lda, B.ptr(), ldb, beta, Cref.ptr(), ldc);
                        INFO(threads << " threads, M=" << d.M << " N=" << d.N << " K=" << d.K << " transA=" << ta << " transB=" << tb << " beta=" << beta);
                        double worst = 0;
                        for (size_t i = 0; i < C.size(); i++) worst = std::max(worst, (double)std::fabs(C[i] - Cref[i]));
                        CHECK(worst < (sizeof(real) == 8 ? 1e-12 : 2e-5) * (d.K + 1));  // padding columns included: untouched
                        CHECK(C.data == Cagain.data);
                    }
    }
}

// The ops that draw random numbers per element take them by position (Rng's u64_at): the serial loop's
// numbers at any thread count, and the generator left where the serial loop would leave it.
TEST_CASE("random fills and the ops that draw give the serial loop's numbers at 1, 2 and 3 threads", "[parallel][rng]") {
    const size_t n = 3 * kMinPerThread + 7;
    std::vector<real> serial_normal(n), serial_uniform(n);
    Rng s(42);
    for (real& x : serial_normal) x = (real)s.normal(0.5, 2);
    for (real& x : serial_uniform) x = (real)s.uniform(-1, 3);
    const uint64_t serial_state = s.state;
    Tensor x = Tensor::uniform(Shape{(int)(n / 7), 7}, 0, 1, s);
    std::vector<std::vector<real>> drop, mask, gauss, bern;
    for (int threads : {1, 2, 3}) {
        ThreadsFor scope(threads);
        Rng r(42);
        std::vector<real> normal(n), uniform(n);
        fill_normal(normal.data(), n, r, 0.5, 2);
        fill_uniform(uniform.data(), n, r, -1, 3);
        INFO(threads << " threads");
        CHECK(normal == serial_normal);
        CHECK(uniform == serial_uniform);
        CHECK(r.state == serial_state);

        Tape tape;  // dropout's mask
        Rng d(7);
        drop.push_back(dropout(tape.input(x), 0.3, d, true).value().data);
        AutoencoderConfig ac;  // masking and Gaussian corruption
        ac.input = x.cols();
        ac.noise = Noise::Mask;
        ac.noise_level = 0.4;
        Autoencoder masker(ac, 1);
        Tensor y;
        Rng m(8);
        masker.corrupt_into(x, y, m);
        mask.push_back(y.data);
        masker.cfg.noise = Noise::Gaussian;
        masker.cfg.noise_level = 0.2;
        masker.corrupt_into(x, y, m);
        gauss.push_back(y.data);
        RBMConfig rc;  // Bernoulli sampling
        rc.visible = x.cols();
        rc.hidden = 3;
        RBM rbm(rc, 9);
        Tensor sample;
        rbm.sample(Units::Bernoulli, x, sample);
        bern.push_back(sample.data);
    }
    for (int k : {1, 2}) {
        CHECK(drop[k] == drop[0]);
        CHECK(mask[k] == mask[0]);
        CHECK(gauss[k] == gauss[0]);
        CHECK(bern[k] == bern[0]);
    }
    CHECK(std::count(drop[0].begin(), drop[0].end(), real(0)) > (long)(0.25 * n));  // the draws did something
    CHECK(bern[0] != std::vector<real>(n / 7 * 7, 0));
}

// Params whose sizes put range boundaries inside a param and across params (each thread gets parts of
// several), random grads, three steps: the parameters and the state must be bit-identical to 1 thread.
TEST_CASE("optimizers: 1, 2 and 3 threads give bit-identical parameters and state", "[parallel][optim]") {
    struct Row {
        const char* name;
        std::function<std::unique_ptr<Optimizer>(std::vector<Param*>)> make;
    };
    const Row rows[] = {
        {"SGD", [](std::vector<Param*> p) { return std::make_unique<SGD>(p, 0.1, 0, false, 1e-3); }},
        {"SGD momentum", [](std::vector<Param*> p) { return std::make_unique<SGD>(p, 0.1, 0.9); }},
        {"SGD Nesterov", [](std::vector<Param*> p) { return std::make_unique<SGD>(p, 0.1, 0.9, true, 1e-3); }},
        {"Adam", [](std::vector<Param*> p) { return std::make_unique<Adam>(p, 1e-3, 0.9, 0.999, 1e-8, 1e-2); }},
        {"AdamW", [](std::vector<Param*> p) { return std::make_unique<AdamW>(p); }},
    };
    const std::vector<Shape> shapes = {Shape{250, 200}, Shape{7}, Shape{40001}, Shape{3, 5}};
    for (const Row& row : rows) {
        std::vector<std::vector<real>> result[4];
        for (int threads : {1, 2, 3}) {
            ThreadsFor scope(threads);
            Rng rng(5);
            std::vector<std::unique_ptr<Param>> owned;
            std::vector<Param*> params;
            for (size_t k = 0; k < shapes.size(); k++) {
                owned.push_back(std::make_unique<Param>("p" + std::to_string(k), Tensor::normal(shapes[k], 0, 1, rng)));
                params.push_back(owned.back().get());
            }
            auto opt = row.make(params);
            for (int step = 0; step < 3; step++) {
                opt->zero_grad();
                for (Param* p : params) {
                    REQUIRE(std::all_of(p->grad.data.begin(), p->grad.data.end(), [](real g) { return g == 0; }));
                    for (real& g : p->grad.data) g = (real)rng.normal();
                }
                opt->step();
            }
            for (Param* p : params) result[threads].push_back(p->value.data);
            for (auto& named : opt->state()) result[threads].push_back(named.second->data);
        }
        INFO(row.name);
        CHECK(result[2] == result[1]);
        CHECK(result[3] == result[1]);
        CHECK(result[1][0] != std::vector<real>(result[1][0].size(), result[1][0][0]));  // the steps did something
    }
}

// A child forked while the parent's worker spins, or while it sleeps on the pool's condition variable
// (the child inherits the mutex and the condition variable in whatever state they were), runs jobs alone,
// then with workers of its own, also after those have fallen asleep: no deadlock (alarm) in any case.
TEST_CASE("a forked child has no workers, runs parallel_for alone, then with a pool of its own", "[parallel]") {
    ThreadsFor scope(2);
    std::vector<int> warm(2 * kMinPerThread);
    for (int idle_ms : {0, 20, 0, 20}) {
        parallel_for(warm.size(), [&](size_t b, size_t e) { for (size_t i = b; i < e; i++) warm[i]++; });
        std::this_thread::sleep_for(std::chrono::milliseconds(idle_ms));  // 20 ms: the parent's worker sleeps
        pid_t pid = fork();
        REQUIRE(pid >= 0);
        if (pid == 0) {
            alarm(20);  // a hang would be a deadlock on the parent's workers or their lock: fail rather than wait
            std::vector<int> hits(3 * kMinPerThread, 0);
            auto count = [&] { parallel_for(hits.size(), [&](size_t b, size_t e) { for (size_t i = b; i < e; i++) hits[i]++; }); };
            count();                // alone
            set_worker_threads(2);  // a pool of the child's own (not set_threads: OpenBLAS's pool hangs when resized in a forked child)
            count();
            std::this_thread::sleep_for(std::chrono::milliseconds(20));  // the child's worker falls asleep
            count();
            _exit(std::all_of(hits.begin(), hits.end(), [](int h) { return h == 3; }) ? 0 : 3);
        }
        int status = 0;
        REQUIRE(waitpid(pid, &status, 0) == pid);
        INFO("parent idle " << idle_ms << " ms before fork; signal " << (WIFSIGNALED(status) ? WTERMSIG(status) : 0));
        REQUIRE(WIFEXITED(status));
        CHECK(WEXITSTATUS(status) == 0);
    }
}
