// test_parallel.cpp — tapegrad's own threads (autograd/parallel.h): parallel_for covers every index
// exactly once with at most one range per thread, small loops stay on the caller, the optimizers give
// bit-identical parameters for 1, 2 and 3 threads, and a forked child (which has no workers) still runs.
#include <catch2/catch.hpp>

#include <sys/wait.h>
#include <unistd.h>

#include <algorithm>
#include <functional>
#include <memory>
#include <mutex>
#include <utility>
#include <vector>

#include "autograd/blas.h"
#include "autograd/parallel.h"
#include "nn/optim.h"
#include "tests/helpers.h"

using namespace tg;

namespace {
struct ThreadsFor {  // set_threads(n) for one scope, then back to what it was
    int before;
    explicit ThreadsFor(int n) : before(worker_threads()) { set_threads(n); }
    ~ThreadsFor() { set_threads(before); }
};
}  // namespace

TEST_CASE("parallel_for: every index once, one range per thread at most, small n on the caller", "[parallel]") {
    const size_t big = 2 * kMinParallelElements;
    for (int threads : {1, 2, 3, 4}) {
        ThreadsFor scope(threads);
        REQUIRE(worker_threads() == threads);
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
            const size_t expect = std::max<size_t>(1, std::min<size_t>((size_t)threads, n / kMinParallelElements));
            CHECK(ranges.size() <= expect);
            if (n < big) CHECK(ranges.size() == 1);           // below 2 x kMinParallelElements: the caller alone
            if (n >= big && threads > 1) CHECK(ranges.size() > 1);  // above: really split
            std::sort(ranges.begin(), ranges.end());
            for (size_t r = 0; r + 1 < ranges.size(); r++) CHECK(ranges[r].second == ranges[r + 1].first);
            for (auto& r : ranges) CHECK(r.first % 16 == 0);  // each range starts on a 64-byte boundary
        }
    }
}

TEST_CASE("set_threads sets tapegrad's workers with OpenBLAS's, and refuses 0", "[parallel]") {
    ThreadsFor scope(3);
    CHECK(worker_threads() == 3);
    CHECK(get_threads() == 3);
    tg_test::Thrown e = tg_test::error_of([] { set_threads(0); });
    CHECK(e.threw);
    CHECK(e.code == EXIT_BAD_INPUT);
    CHECK(worker_threads() == 3);  // unchanged
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

TEST_CASE("a forked child has no workers and runs parallel_for alone", "[parallel]") {
    ThreadsFor scope(2);
    pid_t pid = fork();
    REQUIRE(pid >= 0);
    if (pid == 0) {
        alarm(20);  // a hang would be a deadlock on the parent's workers: fail rather than wait
        std::vector<int> hits(3 * kMinParallelElements, 0);
        parallel_for(hits.size(), [&](size_t b, size_t e) { for (size_t i = b; i < e; i++) hits[i]++; });
        set_worker_threads(2);  // a pool of the child's own (not set_threads: OpenBLAS's pool hangs when resized in a forked child)
        parallel_for(hits.size(), [&](size_t b, size_t e) { for (size_t i = b; i < e; i++) hits[i]++; });
        _exit(std::all_of(hits.begin(), hits.end(), [](int h) { return h == 2; }) ? 0 : 3);
    }
    int status = 0;
    REQUIRE(waitpid(pid, &status, 0) == pid);
    INFO("signal " << (WIFSIGNALED(status) ? WTERMSIG(status) : 0));
    REQUIRE(WIFEXITED(status));
    CHECK(WEXITSTATUS(status) == 0);
}
