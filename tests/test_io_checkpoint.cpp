// test_io_checkpoint.cpp — checkpoints: bit-exact round trips, restoring into live tensors, atomic saves
// (including a writer killed with SIGKILL), failed saves, and every way a file can be bad: wrong magic,
// newer format, cut at each byte, each byte flipped, huge counts and dims. A bad file must give one clean
// tg::Error line with exit code 2, never a crash or a huge allocation. A small independent encoder below
// writes the documented layout by hand (docs/checkpoints.md), so the tests also pin the format down.
// Files go under a fresh mkdtemp directory that is removed afterwards.
#include <catch2/catch.hpp>

#include <csignal>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <functional>
#include <iterator>
#include <limits>
#include <sys/resource.h>
#include <sys/wait.h>
#include <unistd.h>
#include <zlib.h>

#include "io/checkpoint.h"
#include "tests/helpers.h"

using namespace tg;
using namespace tg_test;

namespace {

// ----------------------------------------------------------------------------------------------
// Helpers (tests/helpers.h has the temp folder, file bytes and error_of)



bool same_bits(const Tensor& a, const Tensor& b) {
    return a.shape == b.shape && a.data.size() == b.data.size() &&
           (a.data.empty() || std::memcmp(a.ptr(), b.ptr(), a.data.size() * sizeof(real)) == 0);
}

bool same_checkpoint(const Checkpoint& a, const Checkpoint& b) {
    if (a.meta != b.meta || a.tensors.size() != b.tensors.size()) return false;
    for (size_t i = 0; i < a.tensors.size(); i++)
        if (a.tensors[i].first != b.tensors[i].first || !same_bits(a.tensors[i].second, b.tensors[i].second))
            return false;
    return true;
}

std::vector<std::string> temp_files_in(const std::string& dir) {
    std::vector<std::string> found;
    for (const auto& e : std::filesystem::directory_iterator(dir))
        if (e.path().filename().string().find(".tmp.") != std::string::npos) found.push_back(e.path().string());
    return found;
}

// ----------------------------------------------------------------------------------------------
// An independent encoder of the documented layout, for hand-made (and deliberately bad) files.

uint32_t crc_of(const Bytes& b, size_t n) { return (uint32_t)crc32(crc32(0L, Z_NULL, 0), b.data(), (uInt)n); }

struct Builder {
    Bytes b;
    Builder& raw(const std::string& s) { b.insert(b.end(), s.begin(), s.end()); return *this; }
    Builder& u32(uint32_t v) {
        for (int i = 0; i < 4; i++) b.push_back((unsigned char)(v >> (8 * i)));
        return *this;
    }
    Builder& u64(uint64_t v) { u32((uint32_t)v); return u32((uint32_t)(v >> 32)); }
    Builder& text(const std::string& s) { return u32((uint32_t)s.size()).raw(s); }
    Builder& f32(float v) { uint32_t x; std::memcpy(&x, &v, 4); return u32(x); }
    Builder& f64(double v) { uint64_t x; std::memcpy(&x, &v, 8); return u64(x); }
    Builder& value(real v) { return sizeof(real) == 4 ? f32((float)v) : f64((double)v); }
    // magic, version, element size
    Builder& header(uint32_t version = 1, uint32_t elem = sizeof(real)) { return raw("TAPEGRAD").u32(version).u32(elem); }
    // the bytes so far followed by their CRC-32
    Bytes finish() {
        Builder done = *this;
        return done.u32(crc_of(b, b.size())).b;
    }
};

void set_u32(Bytes& b, size_t at, uint32_t v) {
    for (int i = 0; i < 4; i++) b[at + i] = (unsigned char)(v >> (8 * i));
}
// Rewrites the trailing CRC so the file passes the checksum and only its structure is wrong.
void fix_crc(Bytes& b) { set_u32(b, b.size() - 4, crc_of(b, b.size() - 4)); }

// A small checkpoint with a 0-d, a 1-d, a 4-d and an empty tensor.
Checkpoint small_checkpoint() {
    Rng rng(7);
    Checkpoint ck;
    ck.set("model", "vae");
    ck.set("arch", "6-4-2");
    ck.put("adam.t", Tensor(Shape{}, {3}));
    ck.put("enc.b", Tensor::normal(Shape{4}, 0, 1, rng));
    ck.put("conv", Tensor::normal(Shape{1, 2, 1, 2}, 0, 1, rng));
    ck.put("none", Tensor(Shape{0, 3}));
    return ck;
}

}  // namespace

// ----------------------------------------------------------------------------------------------
TEST_CASE("checkpoint: meta and tensors of every shape round-trip bit-exactly", "[io][checkpoint]") {
    TempDir dir("ckpt");
    const std::vector<Shape> shapes = {Shape{}, Shape{1}, Shape{7}, Shape{3, 5}, Shape{2, 3, 4, 5},
                                       Shape{0}, Shape{4, 0}, Shape{0, 3, 0, 2}};
    const real specials[] = {std::numeric_limits<real>::quiet_NaN(), std::numeric_limits<real>::infinity(),
                             -std::numeric_limits<real>::infinity(), real(-0.0),
                             std::numeric_limits<real>::denorm_min(), std::numeric_limits<real>::max()};
    Rng rng(42);
    Checkpoint ck;
    ck.set("model", "vae");
    ck.set("arch", "784-400-20");
    ck.set("epoch", "3");
    ck.set("rng", "18446744073709551615");
    ck.set("empty", "");
    ck.set("note", "two words\nand a newline, \xc3\xbcnicode");
    for (size_t i = 0; i < shapes.size(); i++) {
        Tensor t = Tensor::normal(shapes[i], 0, 1, rng);
        for (size_t k = 0; k < t.size() && k < 6; k++) t[k] = specials[(k + i) % 6];
        ck.put("t" + std::to_string(i), t);
    }
    const std::string path = dir.file("model.ckpt");
    save_checkpoint(path, ck);
    Checkpoint back = load_checkpoint(path);

    CHECK(back.path == path);
    CHECK(back.meta == ck.meta);  // same keys, values and order
    REQUIRE(back.tensors.size() == shapes.size());
    for (size_t i = 0; i < shapes.size(); i++) {
        INFO("tensor t" << i << " of shape " << shapes[i].str());
        CHECK(back.tensors[i].first == "t" + std::to_string(i));
        CHECK(same_bits(back.tensors[i].second, ck.tensors[i].second));
    }
    // Saving is deterministic, and leaves no temp file behind.
    const std::string again = dir.file("again.ckpt");
    save_checkpoint(again, back);
    CHECK(read_bytes(again) == read_bytes(path));
    CHECK(temp_files_in(dir.path).empty());
}

TEST_CASE("checkpoint: the file is exactly the documented layout", "[io][checkpoint]") {
    TempDir dir("ckpt");
    Checkpoint ck;
    ck.set("epoch", "12");
    ck.put("w", Tensor(Shape{2, 3}, {1, -2, 0.5, 0, 3, -0.25}));
    ck.put("s", Tensor(Shape{}, {7}));
    save_checkpoint(dir.file("a.ckpt"), ck);

    Builder want;
    want.header().u32(1).text("epoch").text("12").u32(2);
    want.text("w").u32(2).u32(2).u32(3);
    for (real v : {1.0, -2.0, 0.5, 0.0, 3.0, -0.25}) want.value(v);
    want.text("s").u32(0).value(7);
    CHECK(read_bytes(dir.file("a.ckpt")) == want.finish());
}

TEST_CASE("checkpoint: set and put replace; get and tensor name what is missing", "[io][checkpoint]") {
    Checkpoint ck = small_checkpoint();
    ck.set("model", "gan");
    ck.put("enc.b", Tensor(Shape{2}, {5, 6}));
    CHECK(ck.meta.size() == 2);
    CHECK(ck.get("model") == "gan");
    CHECK(ck.tensors.size() == 4);
    CHECK(ck.tensor("enc.b").shape == Shape{2});
    CHECK(ck.has("arch"));
    CHECK_FALSE(ck.has("epoch"));
    CHECK(ck.has_tensor("conv"));
    CHECK_FALSE(ck.has_tensor("conv2"));

    ck.path = "runs/x/model.ckpt";
    Thrown e = error_of([&] { ck.get("epoch"); });
    REQUIRE(e.threw);
    CHECK(e.code == EXIT_BAD_INPUT);
    CHECK_THAT(e.msg, Catch::Contains("checkpoint runs/x/model.ckpt: no 'epoch' entry") &&
                          Catch::Contains("(it has: model, arch)"));

    e = error_of([&] { ck.tensor("dec.w"); });
    REQUIRE(e.threw);
    CHECK(e.code == EXIT_BAD_INPUT);
    CHECK_THAT(e.msg, Catch::Contains("runs/x/model.ckpt: no tensor 'dec.w'") &&
                          Catch::Contains("it has 4: 'adam.t', 'enc.b', 'conv', 'none'"));
}

TEST_CASE("checkpoint: store_params and restore_params move values by name", "[io][checkpoint]") {
    TempDir dir("ckpt");
    Rng rng(1);
    Param w("enc.fc1.weight", Tensor::normal(Shape{3, 4}, 0, 1, rng));
    Param b("enc.fc1.bias", Tensor::normal(Shape{4}, 0, 1, rng));
    w.grad.fill(9);  // gradients are not saved
    Checkpoint ck;
    store_params(ck, {&w, &b});
    REQUIRE(ck.tensors.size() == 2);
    save_checkpoint(dir.file("p.ckpt"), ck);
    Checkpoint back = load_checkpoint(dir.file("p.ckpt"));

    Param w2("enc.fc1.weight", Tensor(Shape{3, 4})), b2("enc.fc1.bias", Tensor(Shape{4}));
    w2.grad.fill(7);
    restore_params(back, {&b2, &w2});  // order does not matter: names do
    CHECK(same_bits(w2.value, w.value));
    CHECK(same_bits(b2.value, b.value));
    CHECK(w2.grad[0] == 7);  // untouched

    Param dup("enc.fc1.weight", Tensor(Shape{1})), unnamed("", Tensor(Shape{1}));
    Thrown e = error_of([&] { store_params(ck, {&w, &dup}); });
    CHECK(e.threw);
    CHECK_THAT(e.msg, Catch::Contains("two parameters are named 'enc.fc1.weight'"));
    e = error_of([&] { store_params(ck, {&unnamed}); });
    CHECK(e.threw);
    CHECK_THAT(e.msg, Catch::Contains("has no name"));
}

TEST_CASE("checkpoint: a wrong shape or a missing tensor is named with the fix", "[io][checkpoint]") {
    Checkpoint ck;
    ck.path = "model.ckpt";
    ck.set("arch", "6-4-2");
    ck.put("encoder.fc1.weight", Tensor(Shape{4, 6}));
    ck.put("encoder.fc1.bias", Tensor(Shape{4}));
    struct Row {
        const char* name;
        Shape model;
        const char* want;
    };
    const Row rows[] = {
        {"encoder.fc1.weight", Shape{3, 6},
         "checkpoint model.ckpt: tensor 'encoder.fc1.weight' has shape (4, 6) in the file but (3, 6) in the model; "
         "was it trained with different --hidden/--latent? (the file's arch is 6-4-2)"},
        {"encoder.fc1.bias", Shape{1, 4}, "tensor 'encoder.fc1.bias' has shape (4) in the file but (1, 4) in the model"},
        {"encoder.fc1.bias", Shape{}, "has shape (4) in the file but () in the model"},
        {"decoder.fc1.weight", Shape{6, 4},
         "checkpoint model.ckpt: no tensor 'decoder.fc1.weight' (it has 2: 'encoder.fc1.weight', 'encoder.fc1.bias')"},
    };
    for (const Row& row : rows) {
        INFO(row.name << " into " << row.model.str());
        Tensor into = Tensor::full(row.model, 5);
        Thrown e = error_of([&] { restore_tensor(ck, row.name, into); });
        REQUIRE(e.threw);
        CHECK(e.code == EXIT_BAD_INPUT);
        CHECK_THAT(e.msg, Catch::Contains(row.want));
        CHECK(e.msg.find('\n') == std::string::npos);
        CHECK(into[0] == 5);  // untouched on failure
    }
}

// ----------------------------------------------------------------------------------------------
TEST_CASE("checkpoint: saving over a file replaces it whole; stray temp files do not matter", "[io][checkpoint]") {
    TempDir dir("ckpt");
    const std::string path = dir.file("model.ckpt");
    Checkpoint a = small_checkpoint(), b = small_checkpoint();
    b.set("epoch", "2");
    b.put("enc.b", Tensor(Shape{4}, {1, 2, 3, 4}));
    save_checkpoint(path, a);
    save_checkpoint(path, b);
    CHECK(same_checkpoint(load_checkpoint(path), b));
    CHECK(temp_files_in(dir.path).empty());

    // A crash mid-save leaves only a temp file (here a truncated copy); the real file is untouched.
    Bytes whole = read_bytes(path);
    write_bytes(path + ".tmp.99999", Bytes(whole.begin(), whole.begin() + whole.size() / 2));
    CHECK(same_checkpoint(load_checkpoint(path), b));
    save_checkpoint(path, a);  // and the next save is not confused by it
    CHECK(same_checkpoint(load_checkpoint(path), a));
}

TEST_CASE("checkpoint: a writer killed with SIGKILL leaves the old or the new file, never a torn one",
          "[io][checkpoint]") {
    TempDir dir("ckpt");
    const std::string path = dir.file("model.ckpt");
    Rng rng(3);
    Checkpoint a, b;  // ~1 MB each, so a kill often lands inside a write
    a.set("epoch", "1");
    b.set("epoch", "2");
    a.put("w", Tensor::normal(Shape{512, 512}, 0, 1, rng));
    b.put("w", Tensor::normal(Shape{512, 512}, 0, 1, rng));
    save_checkpoint(path, a);
    for (int round = 0; round < 10; round++) {
        pid_t pid = fork();
        REQUIRE(pid >= 0);
        if (pid == 0) {  // the child saves a, b, a, b, ... until it is killed
            try {
                for (int i = 0;; i++) save_checkpoint(path, i % 2 ? a : b);
            } catch (...) {
            }
            _exit(1);
        }
        usleep(1000 + 3000 * round);
        kill(pid, SIGKILL);
        int status = 0;
        waitpid(pid, &status, 0);
        INFO("round " << round);
        REQUIRE(WIFSIGNALED(status));  // it was still saving, not failing
        Checkpoint got = load_checkpoint(path);
        CHECK((same_checkpoint(got, a) || same_checkpoint(got, b)));
    }
}

TEST_CASE("checkpoint: a failed save throws, removes its temp file, and keeps the old file", "[io][checkpoint]") {
    TempDir dir("ckpt");
    const std::string path = dir.file("model.ckpt");
    Checkpoint old = small_checkpoint();
    save_checkpoint(path, old);
    std::filesystem::create_directory(dir.file("a-directory"));
    struct Row {
        std::string path;
        int code;
        const char* want;
    };
    const Row rows[] = {
        {dir.file("no-such-dir/model.ckpt"), EXIT_BAD_INPUT, "does not exist; create it (mkdir -p "},
        {dir.file("a-directory"), EXIT_FAILURE_OTHER, "renaming"},
    };
    for (const Row& row : rows) {
        INFO(row.path);
        Thrown e = error_of([&] { save_checkpoint(row.path, old); });
        REQUIRE(e.threw);
        CHECK(e.code == row.code);
        CHECK_THAT(e.msg, Catch::Contains("checkpoint: cannot write " + row.path) && Catch::Contains(row.want));
    }
    CHECK(std::filesystem::is_directory(dir.file("a-directory")));

    // "Disk full": a file-size limit makes write() fail with EFBIG part way through the new file.
    Checkpoint big;
    Rng rng(5);
    big.put("w", Tensor::normal(Shape{100, 100}, 0, 1, rng));
    struct rlimit saved;
    REQUIRE(getrlimit(RLIMIT_FSIZE, &saved) == 0);
    struct rlimit small = saved;
    small.rlim_cur = 4096;
    void (*prev)(int) = std::signal(SIGXFSZ, SIG_IGN);
    REQUIRE(setrlimit(RLIMIT_FSIZE, &small) == 0);
    Thrown e = error_of([&] { save_checkpoint(path, big); });
    setrlimit(RLIMIT_FSIZE, &saved);
    std::signal(SIGXFSZ, prev);
    REQUIRE(e.threw);
    CHECK_THAT(e.msg, Catch::Contains("free some disk space or choose another --out") &&
                          Catch::Contains("(the previous " + path + ", if any, is unchanged)"));

    CHECK(temp_files_in(dir.path).empty());
    CHECK(same_checkpoint(load_checkpoint(path), old));
}

// ----------------------------------------------------------------------------------------------
TEST_CASE("checkpoint: each kind of bad file gives its own clean one-line error", "[io][checkpoint]") {
    TempDir dir("ckpt");
    const std::string good_path = dir.file("good.ckpt");
    save_checkpoint(good_path, small_checkpoint());
    const Bytes good = read_bytes(good_path);
    // The file ends with conv's values, then "none" (4 + 4 + 4 + 2 * 4 = 20 bytes, no values), then the CRC.
    const size_t conv_last_byte = good.size() - 4 - 20 - 1;

    struct Row {
        const char* what;
        std::function<Bytes()> make;
        const char* want;
    };
    const Row rows[] = {
        {"empty file", [] { return Bytes(); }, "truncated at byte 0 of 0"},
        {"a zip file", [] { return Builder().raw("PK\x03\x04 and more bytes").b; }, "not a tapegrad checkpoint"},
        {"a short wrong file", [] { return Builder().raw("TAPE!").b; }, "not a tapegrad checkpoint"},
        {"newer format",
         [&] { Bytes b = good; set_u32(b, 8, 2); fix_crc(b); return b; },
         "written by a newer tapegrad (format 2); this build reads format 1: upgrade tapegrad"},
        {"format 0", [] { return Builder().header(0).u32(0).u32(0).finish(); }, "malformed: format version 0"},
        {"element size 2", [] { return Builder().header(1, 2).u32(0).u32(0).finish(); }, "element size 2"},
        {"a flipped value byte",
         [&] { Bytes b = good; b[conv_last_byte] ^= 0x10; return b; },
         "corrupt: the CRC-32 checksum does not match"},
        {"huge meta count, checksum fixed",
         [&] { Bytes b = good; set_u32(b, 16, 0xFFFFFFFFu); fix_crc(b); return b; },
         "malformed: 4294967295 meta entries would run past the end"},
        {"huge meta count, checksum stale",
         [&] { Bytes b = good; set_u32(b, 16, 0xFFFFFFFFu); return b; },
         "truncated at byte 20 of"},
        {"huge tensor count", [] { return Builder().header().u32(0).u32(0xFFFFFFFFu).finish(); },
         "4294967295 tensors would run past the end"},
        {"huge name length", [] { return Builder().header().u32(0).u32(1).u32(0xFFFFFFF0u).raw("w").finish(); },
         "the name of tensor 0 (4294967280 bytes)"},
        {"dims whose product overflows 64 bits",
         [] { return Builder().header().u32(0).u32(1).text("w").u32(4).u32(0x7FFFFFFF).u32(0x7FFFFFFF)
                  .u32(0x7FFFFFFF).u32(0x7FFFFFFF).finish(); },
         "the values of tensor 'w' (2147483647, 2147483647, 2147483647, 2147483647)"},
        {"dims of 16 GiB", [] { return Builder().header().u32(0).u32(1).text("w").u32(2).u32(65536).u32(65536).finish(); },
         "the values of tensor 'w' (65536, 65536)"},
        {"a zero dim beside a huge one",  // holds no values: fine, until the trailing byte
         [] { return Builder().header().u32(0).u32(1).text("w").u32(2).u32(0).u32(0x7FFFFFFF).raw("x").finish(); },
         "1 bytes follow the checksum"},
        {"negative dim", [] { return Builder().header().u32(0).u32(1).text("w").u32(1).u32((uint32_t)-3).finish(); },
         "tensor 'w' has a negative dimension -3"},
        {"5 dims", [] { return Builder().header().u32(0).u32(1).text("w").u32(5).finish(); },
         "tensor 'w' has 5 dimensions (at most 4)"},
        {"empty tensor name", [] { return Builder().header().u32(0).u32(1).text("").u32(0).value(1).finish(); },
         "tensor 0 has an empty name"},
        {"repeated tensor",
         [] { return Builder().header().u32(0).u32(2).text("w").u32(0).value(1).text("w").u32(0).value(2).finish(); },
         "tensor 'w' appears twice"},
        {"repeated meta key",
         [] { return Builder().header().u32(2).text("k").text("1").text("k").text("2").u32(0).finish(); },
         "meta key 'k' appears twice"},
        {"bytes after the checksum", [&] { Bytes b = good; b.push_back(0); return b; }, "1 bytes follow the checksum"},
    };
    for (const Row& row : rows) {
        INFO(row.what);
        const std::string path = dir.file("bad.ckpt");
        write_bytes(path, row.make());
        Thrown e = error_of([&] { load_checkpoint(path); });
        REQUIRE(e.threw);
        CHECK(e.code == EXIT_BAD_INPUT);
        CHECK_THAT(e.msg, Catch::StartsWith("checkpoint " + path + ": ") && Catch::Contains(row.want));
        CHECK(e.msg.find('\n') == std::string::npos);
    }

    Thrown e = error_of([&] { load_checkpoint(dir.file("missing.ckpt")); });
    CHECK(e.code == EXIT_BAD_INPUT);
    CHECK_THAT(e.msg, Catch::Contains("missing.ckpt: cannot open (No such file or directory)"));
    e = error_of([&] { load_checkpoint(dir.path); });
    CHECK(e.code == EXIT_BAD_INPUT);
    CHECK_THAT(e.msg, Catch::Contains("is not a regular file; pass the model.ckpt file itself"));
}

TEST_CASE("checkpoint: a file cut at any byte fails cleanly as truncated", "[io][checkpoint]") {
    TempDir dir("ckpt");
    save_checkpoint(dir.file("good.ckpt"), small_checkpoint());
    const Bytes good = read_bytes(dir.file("good.ckpt"));
    const std::string path = dir.file("cut.ckpt");
    for (size_t k = 0; k < good.size(); k++) {
        write_bytes(path, Bytes(good.begin(), good.begin() + k));
        Thrown e = error_of([&] { load_checkpoint(path); });
        INFO("cut at byte " << k << " of " << good.size() << ": " << e.msg);
        REQUIRE(e.threw);
        CHECK(e.code == EXIT_BAD_INPUT);
        CHECK_THAT(e.msg, Catch::Contains("truncated at byte") && Catch::Contains("of " + std::to_string(k) + " ("));
    }
}

TEST_CASE("checkpoint: any single damaged byte is caught", "[io][checkpoint]") {
    TempDir dir("ckpt");
    save_checkpoint(dir.file("good.ckpt"), small_checkpoint());
    const Bytes good = read_bytes(dir.file("good.ckpt"));
    const std::string path = dir.file("flipped.ckpt");
    for (unsigned char mask : {0x01, 0x80, 0xFF}) {
        for (size_t k = 0; k < good.size(); k++) {
            Bytes b = good;
            b[k] ^= mask;
            write_bytes(path, b);
            Thrown e = error_of([&] { load_checkpoint(path); });
            INFO("byte " << k << " xor " << (int)mask << ": " << e.msg);
            REQUIRE(e.threw);
            CHECK(e.code == EXIT_BAD_INPUT);
            // CRC-32 catches every single-byte change, so the file is never taken as well-formed.
            CHECK(e.msg.find("malformed") == std::string::npos);
        }
    }
}

TEST_CASE("checkpoint: values written in the other precision are converted on load", "[io][checkpoint]") {
    TempDir dir("ckpt");
    const double d[] = {0.1, -1.0 / 3.0, 1e-3, 12345.678, 0.0, -2.5};
    struct Row {
        uint32_t elem;
        const char* what;
    };
    for (Row row : {Row{4, "float file"}, Row{8, "double file"}}) {
        INFO(row.what);
        Builder f;
        f.header(1, row.elem).u32(1).text("model").text("ae").u32(1).text("w").u32(2).u32(2).u32(3);
        for (double v : d) {
            if (row.elem == 4) f.f32((float)v);
            else f.f64(v);
        }
        write_bytes(dir.file("x.ckpt"), f.finish());
        Checkpoint ck = load_checkpoint(dir.file("x.ckpt"));
        const Tensor& w = ck.tensor("w");
        REQUIRE(w.shape == (Shape{2, 3}));
        for (int i = 0; i < 6; i++) {
            real want = row.elem == 4 ? (real)(float)d[i] : (real)d[i];  // float -> double is exact
            CHECK(w[i] == want);
        }
        CHECK(ck.get("model") == "ae");
    }
}
