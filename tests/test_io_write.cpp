// test_io_write.cpp — every writer of output files goes through io/atomic_file.h: PNG pictures and grids,
// save_csv, reduce's codes, metrics.csv, and text files (results.csv, index.html). Each is made to fail part
// way with a file-size limit (RLIMIT_FSIZE: write() then fails with EFBIG, as on a full disk): the error
// names the file, has exit code 1, the file written before is unchanged and no temporary is left behind.
// scripts/test-errors.sh runs the same failure through a whole program on a full tmpfs.
#include <catch2/catch.hpp>

#include <sys/resource.h>
#include <sys/stat.h>

#include <algorithm>
#include <csignal>
#include <filesystem>
#include <functional>

#include "autograd/rng.h"
#include "io/atomic_file.h"
#include "io/csv.h"
#include "io/png.h"
#include "models/registry.h"
#include "run/metrics.h"
#include "tests/helpers.h"

using namespace tg;
using namespace tg_test;
using Catch::Matchers::Contains;

namespace {

// Runs f with files capped at `bytes` (SIGXFSZ ignored, so write() returns EFBIG instead of killing us).
Thrown error_with_file_limit(size_t bytes, const std::function<void()>& f) {
    struct rlimit saved;
    REQUIRE(getrlimit(RLIMIT_FSIZE, &saved) == 0);
    struct rlimit small = saved;
    small.rlim_cur = bytes;
    void (*prev)(int) = std::signal(SIGXFSZ, SIG_IGN);
    REQUIRE(setrlimit(RLIMIT_FSIZE, &small) == 0);
    Thrown e = error_of(f);
    setrlimit(RLIMIT_FSIZE, &saved);
    std::signal(SIGXFSZ, prev);
    return e;
}

std::vector<std::string> names_in(const std::string& dir) {
    std::vector<std::string> out;
    for (const auto& e : std::filesystem::directory_iterator(dir)) out.push_back(e.path().filename().string());
    std::sort(out.begin(), out.end());
    return out;
}

}  // namespace

TEST_CASE("writers: a write that fails part way names the file, exits 1, keeps the old file, leaves no temporary",
          "[io][write]") {
    Rng rng(3);
    const Tensor noise = Tensor::uniform(Shape{64, 28 * 28}, 0, 1, rng);  // (64, 784): a PNG grid of ~50 kB
    const Tensor few = Tensor::uniform(Shape{1, 28 * 28}, 0, 1, rng);
    const Tensor table = Tensor::normal(Shape{400, 8}, 0, 1, rng);  // ~ 60 kB of CSV
    const std::vector<int> labels(400, 3);
    const size_t LIMIT = 8192;  // every "new" file below is larger, every "old" one smaller

    struct Row {
        const char* file;
        const char* what;  // how the message starts
        std::function<void(const std::string&)> old_version, new_version;
    };
    const std::vector<Row> rows = {
        {"grid.png", "png", [&](const std::string& p) { write_image_grid(p, few, 28, 28); },
         [&](const std::string& p) { write_image_grid(p, noise, 28, 28); }},
        {"codes.csv", "csv", [&](const std::string& p) { save_csv(p, table.first_slice(0, 2), {1, 2}); },
         [&](const std::string& p) { save_csv(p, table, labels); }},
        {"reduce-codes.csv", "codes", [&](const std::string& p) { save_codes_csv(p, table.first_slice(0, 2)); },
         [&](const std::string& p) { save_codes_csv(p, table, labels); }},
        {"index.html", "html", [&](const std::string& p) { write_file_atomic(p, "<p>old</p>\n"); },
         [&](const std::string& p) { write_file_atomic(p, std::string(20000, 'x')); }},
    };
    for (const Row& r : rows) {
        INFO(r.file);
        TempDir dir("write");
        const std::string path = dir / r.file;
        r.old_version(path);
        const Bytes before = read_bytes(path);
        REQUIRE(before.size() > 0);
        REQUIRE(before.size() < LIMIT);

        Thrown e = error_with_file_limit(LIMIT, [&] { r.new_version(path); });
        REQUIRE(e.threw);
        CHECK(e.code == EXIT_FAILURE_OTHER);
        CHECK_THAT(e.msg, Contains(std::string(r.what) + ": cannot write " + path + ": writing failed (File too large)"));
        CHECK_THAT(e.msg, Contains("free some disk space or choose another --out"));
        CHECK(read_bytes(path) == before);                           // the old file, whole
        CHECK(names_in(dir.path) == std::vector<std::string>{r.file});  // and nothing else: no temporary

        r.new_version(path);  // without the limit the same call succeeds and replaces it
        CHECK(read_bytes(path).size() > LIMIT);
        CHECK(names_in(dir.path) == std::vector<std::string>{r.file});
    }
}

TEST_CASE("writers: metrics.csv is rewritten whole each epoch, so a failed epoch keeps the earlier rows", "[io][write]") {
    TempDir dir("write");
    MetricsLog log(dir.path, {"loss", "accuracy"});
    for (int epoch = 1; epoch <= 3; epoch++) log.add(epoch, 0.5 * epoch, {1.0 / epoch, 0.25 * epoch});
    const Bytes three = read_bytes(dir / "metrics.csv");
    const std::string text(three.begin(), three.end());
    CHECK(text.rfind("epoch,seconds,loss,accuracy\n1,0.500,1,0.25\n2,1.000,0.5,0.5\n", 0) == 0);

    Thrown e = error_with_file_limit(three.size() + 4, [&] { log.add(4, 2.0, {0.25, 1.0}); });  // the 4th row does not fit
    REQUIRE(e.threw);
    CHECK(e.code == EXIT_FAILURE_OTHER);
    CHECK_THAT(e.msg, Contains("csv: cannot write " + dir / "metrics.csv" + ": writing failed"));
    CHECK(read_bytes(dir / "metrics.csv") == three);
    CHECK(names_in(dir.path) == std::vector<std::string>{"metrics.csv"});

    // resume from epoch 2: the file keeps rows 1-2, and the next add writes them and the new one
    MetricsLog again(dir.path, {"loss", "accuracy"});
    again.resume(2);
    REQUIRE(again.rows.size() == 2);
    again.add(3, 9.0, {0.125, 0.75});
    const Bytes after = read_bytes(dir / "metrics.csv");
    CHECK(std::string(after.begin(), after.end()) == "epoch,seconds,loss,accuracy\n1,0.500,1,0.25\n2,1.000,0.5,0.5\n3,9.000,0.125,0.75\n");
}

TEST_CASE("writers: a read-only folder is exit code 2 naming the file, also when the tests run as root", "[io][write]") {
    TempDir dir("write");
    chmod(dir.path.c_str(), 0555);  // as root the calls below run as nobody (error_as_nobody)
    const Tensor t = Tensor(Shape{2, 3});
    const std::vector<std::pair<std::string, std::function<void()>>> rows = {
        {"csv: cannot write " + dir / "a.csv", [&] { save_csv(dir / "a.csv", t); }},
        {"codes: cannot write " + dir / "b.csv", [&] { save_codes_csv(dir / "b.csv", t); }},
        {"html: cannot write " + dir / "index.html", [&] { write_file_atomic(dir / "index.html", "<p>hi</p>"); }},
        {"png: cannot write " + dir / "g.png", [&] { write_image_grid(dir / "g.png", t, 1, 3); }},
    };
    for (const auto& r : rows) {
        INFO(r.first);
        Thrown e = error_as_nobody(r.second);
        REQUIRE(e.threw);
        CHECK(e.code == EXIT_BAD_INPUT);
        CHECK_THAT(e.msg, Contains(r.first + ": directory " + dir.path + " is not writable (Permission denied)"));
    }
    CHECK(std::filesystem::is_empty(dir.path));
}
