// test_errors.cpp — the rows of docs/errors.md that the reader tests (test_io_data.cpp,
// test_io_checkpoint.cpp) do not already cover: bad flags through run/flags.h's parser, output folders that
// cannot be written, --resume with the wrong file, the training guard (a NaN loss stops the run with exit
// code 3 and leaves the last checkpoint byte for byte as it was), anomaly mode on a small model, and the
// replay of every regression file in tests/data/bad/ through its reader (a clean tg::Error, never a crash).
// The same errors through the built programs, exit codes included: scripts/test-errors.sh.
#include <catch2/catch.hpp>
#include <sys/stat.h>
#include <unistd.h>

#include <cmath>
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <functional>
#include <iterator>
#include <limits>
#include <memory>
#include <string>
#include <vector>

#include "io/checkpoint.h"
#include "run/flags.h"
#include "io/csv.h"
#include "io/idx.h"
#include "run/progress.h"
#include "nn/train.h"
#include "run/training.h"
#include "nn/layers.h"
#include "tests/helpers.h"

using namespace tg;
using namespace tg_test;
using Catch::Matchers::Contains;
using Catch::Matchers::StartsWith;

namespace {

// A parser with the common flags and one model flag, as an example builds it.
struct ExampleFlags {
    CommonFlags f;
    int latent = 20;
    Cli cli{"vae", "a test parser"};
    ExampleFlags() {
        add_common(cli, f);
        cli.add("latent", &latent, "latent dimensions K", 1, 4096);
    }
    bool parse(std::vector<std::string> args) {
        args.insert(args.begin(), "vae");
        std::vector<char*> argv;
        for (std::string& a : args) argv.push_back(&a[0]);
        return cli.parse((int)argv.size(), argv.data());
    }
};

}  // namespace

// ----------------------------------------------------------------------------------------------
TEST_CASE("flags: a bad value names the flag and what it accepts, exit code 2", "[errors][cli]") {
    struct Row {
        std::vector<std::string> args;
        const char* says;  // the whole message, or its distinctive part
    };
    const std::vector<Row> rows = {
        {{"--epochs", "-1"}, "--epochs: -1 is out of range; expected a number in [0, 100000]"},
        {{"--batch", "0"}, "--batch: 0 is out of range; expected a number in [1, 1048576]"},
        {{"--latent", "0"}, "--latent: 0 is out of range; expected a number in [1, 4096]"},
        {{"--latent=5000"}, "--latent: 5000 is out of range; expected a number in [1, 4096]"},
        {{"--threads", "0"}, "--threads: 0 is out of range; expected a number in [1, 256]"},
        {{"--train-limit", "-5"}, "--train-limit: -5 is out of range"},
        {{"--seed", "-1"}, "--seed: -1 is out of range; expected a number >= 0"},
        {{"--epochs", "ten"}, "--epochs: 'ten' is not a whole number; expected a number in [0, 100000]"},
        {{"--epochs", "2.5"}, "--epochs: '2.5' is not a whole number"},
        {{"--epochs", "3x"}, "--epochs: '3x' is not a whole number"},
        {{"--epochs="}, "--epochs: '' is not a whole number"},
        {{"--batch", "99999999999999999999"}, "--batch: 99999999999999999999 is out of range"},
        {{"--lr", "abc"}, "--lr: 'abc' is not a number; expected a number in [0, 1000000]"},
        {{"--lr", "nan"}, "--lr: 'nan' is not a number"},
        {{"--lr", "inf"}, "--lr: 'inf' is not a number"},
        {{"--lr", "1e999"}, "--lr: '1e999' is not a number"},
        {{"--lr", "-0.1"}, "--lr: -0.1 is out of range; expected a number in [0, 1000000]"},
        {{"--epoch", "3"}, "unknown flag --epoch; did you mean --epochs? (see vae --help)"},
        {{"--zzz"}, "unknown flag --zzz (see vae --help)"},
        {{"--epochs"}, "--epochs needs a value (passes over the training set); write --epochs N (see vae --help)"},
        {{"--out"}, "--out needs a value (output directory for metrics.csv, PNGs and model.ckpt); write --out S"},
        {{"--gradcheck=yes"}, "--gradcheck is a switch and takes no value; write --gradcheck alone to turn it on"},
        {{"epochs", "3"}, "unexpected argument 'epochs': flags start with -- (see vae --help)"},
        {{"-e", "3"}, "unexpected argument '-e': flags start with --"},
    };
    for (const Row& r : rows) {
        std::string line;
        for (const std::string& a : r.args) line += a + " ";
        INFO("vae " << line);
        ExampleFlags p;
        Thrown e = error_of([&] { p.parse(r.args); });
        REQUIRE(e.threw);
        CHECK(e.code == EXIT_BAD_INPUT);
        CHECK_THAT(e.msg, Contains(r.says));
        CHECK(e.msg.find('\n') == std::string::npos);
        CHECK(e.msg.find("--") != std::string::npos);  // every message names a flag (or says flags start with --)
    }
    // and the good forms still parse, so the rows above fail for the reason they name
    ExampleFlags ok;
    REQUIRE(ok.parse({"--epochs", "0", "--batch=1", "--latent", "4096", "--lr", "1e-3", "--gradcheck", "--seed", "9007199254740992"}));
    CHECK(ok.f.epochs == 0);
    CHECK(ok.f.batch == 1);
    CHECK(ok.latent == 4096);
    CHECK(ok.f.gradcheck);
    CHECK(ok.f.seed == ((int64_t)1 << 53));
}

// ----------------------------------------------------------------------------------------------
TEST_CASE("--out: a folder that cannot be made or written names it and says to choose another", "[errors][out]") {
    TempDir dir;
    write_bytes(dir / "a-file", {'x'});
    struct Row {
        std::string out;
        const char* problem;
        const char* fix;
    };
    const std::vector<Row> rows = {
        // under a regular file: mkdir fails with ENOTDIR, even for root
        {dir / "a-file/run", "cannot create directory", "Not a directory; choose a writable place with --out DIR"},
        {dir / "a-file", "exists but is not a directory", "choose another --out DIR"},
        {"", "the output directory name is empty", "pass --out DIR"},
    };
    for (const Row& r : rows) {
        INFO("--out '" << r.out << "'");
        Thrown e = error_of([&] { prepare_out_dir(r.out); });
        REQUIRE(e.threw);
        CHECK(e.code == EXIT_BAD_INPUT);
        CHECK_THAT(e.msg, StartsWith(r.out.empty() ? "--out:" : "--out " + r.out + ": "));
        CHECK_THAT(e.msg, Contains(r.problem) && Contains(r.fix));
    }
    // a read-only folder: permissions stop everyone but root, so as root (CI) the calls run as nobody
    chmod(dir.path.c_str(), 0755);  // mkdtemp's 0700 would stop nobody one level up
    std::filesystem::create_directory(dir / "read-only");
    chmod((dir / "read-only").c_str(), 0555);
    Thrown e = error_as_nobody([&] { prepare_out_dir(dir / "read-only"); });
    REQUIRE(e.threw);
    CHECK(e.code == EXIT_BAD_INPUT);
    CHECK_THAT(e.msg, Contains("--out " + dir / "read-only" + ": directory is not writable (Permission denied); choose a writable place with --out DIR"));
    e = error_as_nobody([&] { prepare_out_dir(dir / "read-only/run"); });
    REQUIRE(e.threw);
    CHECK(e.code == EXIT_BAD_INPUT);
    CHECK_THAT(e.msg, Contains("cannot create directory " + dir / "read-only/run" + ": Permission denied"));
    CHECK_FALSE(std::filesystem::exists(dir / "read-only/run"));
    // a path that works: made with its parents, and writable
    CHECK_NOTHROW(prepare_out_dir(dir / "new/deeper/run"));
    CHECK(std::filesystem::is_directory(dir / "new/deeper/run"));
}

// ----------------------------------------------------------------------------------------------

TEST_CASE("readers: a folder where a file goes, a file gzipped twice", "[errors][io]") {
    TempDir dir;
    const Bytes images = {0, 0, 8, 3, 0, 0, 0, 1, 0, 0, 0, 1, 0, 0, 0, 2, 7, 9};  // 1 image of 1 x 2
    write_gz(dir / "once.gz", images);
    write_gz(dir / "twice.gz", read_bytes(dir / "once.gz"));
    REQUIRE(load_idx(dir / "once.gz", "").size() == 1);  // gzipped once: fine
    struct Row {
        const char* reader;
        std::function<void()> load;
        const char* says;
    };
    const std::vector<Row> rows = {
        {"load_csv", [&] { load_csv(dir.path); }, ": is a directory; pass the path of a CSV file"},
        {"load_idx", [&] { load_idx(dir.path, ""); }, ": is not a regular file; pass the path of an idx3 image file"},
        {"load_checkpoint", [&] { load_checkpoint(dir.path); }, ": is not a regular file; pass the model.ckpt file itself"},
        {"load_idx, gzipped twice", [&] { load_idx(dir / "twice.gz", ""); }, "/twice.gz: wrong magic number 0x1F8B0800, expected 0x00000803 (an idx3 image file); it is gzipped twice; gunzip it once"},
        {"load_idx_split, --data is a file", [&] { load_idx_split(dir / "once.gz", true); }, "/once.gz is not a directory; install the Fashion-MNIST files"},
    };
    for (const Row& r : rows) {
        INFO(r.reader);
        Thrown e = error_of(r.load);
        REQUIRE(e.threw);
        CHECK(e.code == EXIT_BAD_INPUT);
        CHECK_THAT(e.msg, Contains(dir.path + r.says));
    }
}

// ----------------------------------------------------------------------------------------------
namespace {

// A tiny classifier run: Linear 2 -> 3 on 16 labelled points, SGD with momentum, one Rng.
struct TinyRun {
    Rng rng{5};
    Sequential net{"net"};
    Dataset data;
    RunState run;
    SGD* opt = nullptr;
    std::unique_ptr<SGD> opt_owner;
    TinyRun(const std::string& model = "tiny", int hidden = 3) {
        net.add<Linear>("net.fc1", 2, hidden, rng);
        data.x = Tensor(Shape{16, 2});
        for (int i = 0; i < 16; i++) {
            data.x.at(i, 0) = (real)(i % 4) / 4;
            data.x.at(i, 1) = (real)(i / 4) / 4;
            data.y.push_back(i % 3);
        }
        data.classes = 3;
        data.source = "tiny";
        opt_owner = std::make_unique<SGD>(net.params(), 0.1, 0.9);
        opt = opt_owner.get();
        run.model = model;
        run.arch = "2-" + std::to_string(hidden);
        run.params = net.params();
        run.optimizers = {opt};
        run.rngs = {&rng};
    }
    // One epoch of optimize_epoch; returns the mean loss.
    double epoch(Batcher& b, Tape& tape, int e) {
        b.start_epoch(e);
        return optimize_epoch("tiny", b, *opt, tape, [&](Tape& t, const Tensor& xb, const std::vector<int>& yb) {
            return cross_entropy(net(t.input(xb)), yb);
        }, nullptr);
    }
};

}  // namespace

TEST_CASE("--resume: the wrong checkpoint is refused by name, with the fix", "[errors][resume]") {
    TempDir dir;
    TinyRun a;
    save_run(dir / "tiny.ckpt", a.run, 2, "--epochs 2");
    TinyRun other_model("vae");
    save_run(dir / "vae.ckpt", other_model.run, 1, "--latent 2");
    TinyRun wider("tiny", 4);
    save_run(dir / "wider.ckpt", wider.run, 1, "--hidden 4");
    Bytes whole = read_bytes(dir / "tiny.ckpt");
    write_bytes(dir / "cut.ckpt", Bytes(whole.begin(), whole.begin() + whole.size() / 2));

    // same model and arch strings, but a tensor of another shape (a file edited or written by a bug)
    TinyRun liar("tiny", 4);
    liar.run.arch = "2-3";
    save_run(dir / "liar.ckpt", liar.run, 1, "");

    // meta entries that are not numbers (the checksum is right: written by something other than save_run)
    auto with_meta = [&](const std::string& key, const std::string& value) {
        Checkpoint ck = load_checkpoint(dir / "tiny.ckpt");
        ck.set(key, value);
        std::string path = dir / (key + "-" + std::to_string(value.size()) + ".ckpt");
        save_checkpoint(path, ck);
        return path;
    };

    struct Row {
        std::string path;
        const char* says;
    };
    const std::vector<Row> rows = {
        {dir / "missing.ckpt", "cannot open (No such file or directory); check the path given to --resume"},
        {dir.path, "is not a regular file; pass the model.ckpt file itself"},
        {dir / "cut.ckpt", "truncated at byte"},
        {dir / "vae.ckpt", "this checkpoint is of a 'vae' model, not 'tiny'; resume it with that example"},
        {dir / "wider.ckpt", "the checkpoint's architecture is 2-4 but the flags build 2-3; pass the flags it was trained with (its flags: --hidden 4)"},
        {dir / "liar.ckpt", "tensor 'net.fc1.weight' has shape (4, 2) in the file but (3, 2) in the model"},
        {with_meta("epoch", "three"), "meta 'epoch' = 'three' is not a whole number"},
        {with_meta("epoch", "-1"), "meta 'epoch' = '-1' is not a whole number"},
        {with_meta("epoch", "99999999999"), "meta 'epoch' = '99999999999' is not a whole number"},
        {with_meta("rng.0", "x"), "meta 'rng.0' = 'x' is not a whole number"},
        {with_meta("rng.0", "-5"), "meta 'rng.0' = '-5' is not a whole number"},
        {with_meta("rng.0", "123456789012345678901234567890"), "is not a whole number"},
    };
    for (const Row& r : rows) {
        INFO("--resume " << r.path);
        TinyRun b;
        b.net.params()[0]->value.fill(7);
        Thrown e = error_of([&] { load_run(r.path, b.run); });
        REQUIRE(e.threw);
        CHECK(e.code == EXIT_BAD_INPUT);
        CHECK_THAT(e.msg, Contains(r.path));
        CHECK_THAT(e.msg, Contains(r.says));
        CHECK(e.msg.find('\n') == std::string::npos);
        CHECK(b.net.params()[0]->value[0] == 7);  // a refused file changes nothing
    }
    TinyRun good;
    good.net.params()[0]->value.fill(7);
    good.rng.state = 99;
    CHECK(load_run(dir / "tiny.ckpt", good.run) == 2);  // and the good file resumes
    CHECK(good.net.params()[0]->value.data == a.net.params()[0]->value.data);
    CHECK(good.rng.state == a.rng.state);
}

// ----------------------------------------------------------------------------------------------
TEST_CASE("training guard: a NaN loss stops with exit code 3 and leaves the last checkpoint untouched", "[errors][guard]") {
    TempDir dir;
    const std::string ckpt = dir / "model.ckpt";
    TinyRun t;
    Batcher batches(t.data, 4, 1);
    Tape tape;
    int done = 0;
    for (int e = 1; e <= 2; e++) {  // two good epochs, each saved as an example saves them
        CHECK(std::isfinite(t.epoch(batches, tape, e)));
        save_run(ckpt, t.run, e, "");
        done = e;
    }
    const Bytes saved = read_bytes(ckpt);

    t.data.x.at(5, 1) = std::numeric_limits<real>::quiet_NaN();  // a bad value in the data
    Thrown e = error_of([&] {
        double loss = t.epoch(batches, tape, 3);
        save_run(ckpt, t.run, 3, "");  // not reached
        done = 3;
        (void)loss;
    });
    REQUIRE(e.threw);
    CHECK(e.code == EXIT_NUMERIC);
    CHECK_THAT(e.msg, Contains("tiny: the loss became") && Contains("lower the learning rate (--lr)"));
    CHECK(done == 2);
    CHECK(read_bytes(ckpt) == saved);  // byte for byte
    TinyRun back;
    CHECK(load_run(ckpt, back.run) == 2);

    // guard_loss, which every example calls after each batch: the message with the usual fixes
    const double nan = std::numeric_limits<double>::quiet_NaN(), inf = std::numeric_limits<double>::infinity();
    struct Row { double loss; const char* what; };
    for (Row r : {Row{nan, "NaN"}, Row{inf, "infinite"}, Row{-inf, "infinite"}}) {
        INFO(r.what);
        Thrown g = error_of([&] { guard_loss(r.loss, 3, 7, ckpt); });
        REQUIRE(g.threw);
        CHECK(g.code == EXIT_NUMERIC);
        CHECK_THAT(g.msg, Contains(std::string("training diverged: the loss is ") + r.what + " at epoch 3, batch 7"));
        CHECK_THAT(g.msg, Contains("The last good checkpoint (" + ckpt + ", if any) is untouched"));
        CHECK_THAT(g.msg, Contains("a lower --lr") && Contains("gradient clipping") && Contains("data is in the range") &&
                          Contains("--detect-anomaly"));
        CHECK(g.msg.find('\n') == std::string::npos);
    }
    CHECK_NOTHROW(guard_loss(1e30, 1, 1, ckpt));
    CHECK_NOTHROW(guard_loss(-5, 1, 1, ckpt));
}

TEST_CASE("anomaly mode: the first op that made a NaN, its module, its shapes and its inputs' range", "[errors][anomaly]") {
    TinyRun t;
    t.data.x.at(5, 1) = std::numeric_limits<real>::infinity();
    Batcher batches(t.data, 16, 1, false);  // one batch: all 16 rows
    Tape tape;
    tape.detect_anomaly = true;
    Thrown e = error_of([&] { t.epoch(batches, tape, 1); });
    REQUIRE(e.threw);
    CHECK(e.code == EXIT_NUMERIC);
    // anomaly: op 'linear' in net.fc1 produced NaN/Inf in its forward output (16, 3) range [..], 3 NaN/Inf
    //   input 0 (input): (16, 2) range [0, 0.75], 1 NaN/Inf ...
    CHECK_THAT(e.msg, Contains("anomaly: op 'linear' in net.fc1 produced NaN/Inf in its forward output (16, 3)"));
    CHECK_THAT(e.msg, Contains("input 0 (input): (16, 2) range [0, 0.75], 1 NaN/Inf"));
    CHECK_THAT(e.msg, Contains("input 1 (param in net.fc1.weight): (3, 2) range"));
    CHECK_THAT(e.msg, Contains("fix: check the data range"));

    Tape quiet;  // off: the same step runs to the guard, which stops it without naming an op
    TinyRun u;
    u.data.x.at(5, 1) = std::numeric_limits<real>::infinity();
    Batcher b2(u.data, 16, 1, false);
    Thrown g = error_of([&] { u.epoch(b2, quiet, 1); });
    REQUIRE(g.threw);
    CHECK(g.code == EXIT_NUMERIC);
    CHECK_THAT(g.msg, !Contains("anomaly"));
}

// ----------------------------------------------------------------------------------------------
// Every file in tests/data/bad/ (crashes found by fuzzing, and hand-made bad files) goes through the reader
// its name says: idx-* to load_idx (as images, and as labels beside good images), csv-* to load_csv (three
// option sets), ckpt-* to load_checkpoint and load_run (into fuzz_checkpoint.cpp's small run). Each call must
// load or give a clean bad-input error naming the file, and at least one call must refuse it.
TEST_CASE("tests/data/bad: every regression file gives a clean bad-input error", "[errors][regression]") {
    // this file is tests/test_errors.cpp, compiled from the repository root, where the tests run
    const std::string bad = std::filesystem::path(__FILE__).parent_path().string() + "/data/bad";
    REQUIRE(std::filesystem::is_directory(bad));
    TempDir dir;
    const std::string good_images = dir / "good-images";
    write_bytes(good_images, {0, 0, 8, 3, 0, 0, 0, 2, 0, 0, 0, 1, 0, 0, 0, 2, 1, 2, 3, 4});  // 2 images of 1 x 2

    int counts[3] = {0, 0, 0};
    for (const auto& entry : std::filesystem::directory_iterator(bad)) {
        const std::string name = entry.path().filename().string(), path = entry.path().string();
        if (name == "README.md") continue;
        INFO(path);
        std::vector<std::function<void()>> loads;
        if (name.rfind("idx-", 0) == 0) {
            counts[0]++;
            loads = {[&] { load_idx(path, ""); }, [&] { load_idx(good_images, path, 10); }};
        } else if (name.rfind("csv-", 0) == 0) {
            counts[1]++;
            CsvOptions last, first;
            last.label_column = -1;
            first.label_column = 0;
            first.header = 0;
            first.max_classes = 10;
            for (CsvOptions o : {CsvOptions(), last, first}) loads.push_back([&, o] { load_csv(path, o); });
        } else if (name.rfind("ckpt-", 0) == 0) {
            counts[2]++;
            loads = {[&] { load_checkpoint(path); }, [&] {
                         // the run fuzz/fuzz_checkpoint.cpp resumes into, so a file it found replays the same way
                         Param w("w", Tensor(Shape{2, 3}));
                         Adam opt({&w}, 1e-3);
                         Rng rng(1);
                         RunState run{"fuzz", "2-3", {&w}, {}, {&opt}, {&rng}};
                         load_run(path, run);
                     }};
        } else {
            FAIL("tests/data/bad/" << name << ": name it idx-*, csv-* or ckpt-* so the suite knows its reader");
        }
        int threw = 0;  // a reader may accept the file (a checkpoint that only load_run refuses), but not crash
        for (auto& load : loads) {
            Thrown e = error_of(load);
            if (!e.threw) continue;
            threw++;
            CHECK(e.code == EXIT_BAD_INPUT);
            CHECK_THAT(e.msg, Contains(path));
        }
        CHECK(threw > 0);  // and every file here is bad for at least one of them
    }
    INFO("idx, csv, ckpt files: " << counts[0] << ", " << counts[1] << ", " << counts[2]);
    CHECK(counts[0] > 0);
    CHECK(counts[1] > 0);
    CHECK(counts[2] > 0);
}
