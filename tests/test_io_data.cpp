// test_io_data.cpp — data loading: idx files (tiny fixtures written here, gzipped and raw, both
// spellings, and a table of corrupt files), the real Fashion-MNIST splits, CSV in and out (good and
// bad tables), the Batcher's order and buffers, and the synthetic sets' shapes and meaning.
// Fixtures go to a fresh mkdtemp folder under /tmp that each test removes.
#include <catch2/catch.hpp>
#include <stdlib.h>

#include <cmath>
#include <cstdint>
#include <cstdio>
#include <filesystem>
#include <set>
#include <string>
#include <vector>

#include "data/batcher.h"
#include "io/csv.h"
#include "data/dataset.h"
#include "data/labels.h"
#include "io/idx.h"
#include "data/synthetic.h"
#include "tests/helpers.h"

using namespace tg;
using namespace tg_test;
using Catch::Matchers::Contains;

namespace {

// ---- fixtures

// An idx file: magic, big-endian dims, body.
Bytes idx_bytes(uint32_t magic, const std::vector<uint32_t>& dims, const Bytes& body) {
    Bytes b;
    auto put32 = [&](uint32_t v) {
        for (int s = 24; s >= 0; s -= 8) b.push_back((unsigned char)(v >> s));
    };
    put32(magic);
    for (uint32_t d : dims) put32(d);
    b.insert(b.end(), body.begin(), body.end());
    return b;
}

// Writes gzipped when the name ends in .gz, raw otherwise.
void write_file(const std::string& path, const Bytes& b) {
    if (path.size() > 3 && path.compare(path.size() - 3, 3, ".gz") == 0)
        write_gz(path, b);
    else
        write_bytes(path, b);
}

void write_text(const std::string& path, const std::string& text) { write_bytes(path, Bytes(text.begin(), text.end())); }

// 3 images of 2 x 2 and their labels: the values chosen so byte / 255 is easy to check.
const Bytes IMG_BODY = {0, 255, 51, 102, 1, 2, 3, 4, 250, 251, 252, 253};
const Bytes LAB_BODY = {2, 0, 1};
Bytes good_images() { return idx_bytes(0x803, {3, 2, 2}, IMG_BODY); }
Bytes good_labels() { return idx_bytes(0x801, {3}, LAB_BODY); }

// Runs f, which must throw an input_error (code 2); returns its message.
template <class F>
std::string input_error_text(F f) {
    try {
        f();
    } catch (const Error& e) {
        CHECK(e.code == EXIT_BAD_INPUT);
        return e.what();
    }
    FAIL("no tg::Error was thrown");
    return "";
}

void check_fixture(const Dataset& d) {
    REQUIRE(d.size() == 3);
    REQUIRE(d.dim() == 4);
    CHECK(d.height == 2);
    CHECK(d.width == 2);
    CHECK(d.classes == 3);
    CHECK(d.y == std::vector<int>{2, 0, 1});
    for (size_t i = 0; i < IMG_BODY.size(); i++) CHECK(d.x[i] == (real)IMG_BODY[i] / (real)255);
    CHECK(d.x.at(0, 1) == 1);
    CHECK(d.x.at(2, 3) == (real)253 / (real)255);
}

}  // namespace

// ----------------------------------------------------------------------------------------------
TEST_CASE("idx: fixtures load from every spelling, gzipped or raw", "[io][idx]") {
    struct Row { const char* images; const char* labels; };
    const Row rows[] = {
        {"train-images-idx3-ubyte.gz", "train-labels-idx1-ubyte.gz"},
        {"train-images-idx3-ubyte", "train-labels-idx1-ubyte"},
        {"train-images.idx3-ubyte.gz", "train-labels.idx1-ubyte.gz"},
        {"train-images.idx3-ubyte", "train-labels.idx1-ubyte"},
        {"train-images.idx3-ubyte", "train-labels-idx1-ubyte.gz"},  // mixed, as after a partial gunzip
        {"t10k-images-idx3-ubyte.gz", "t10k-labels.idx1-ubyte"},
    };
    for (const Row& r : rows) {
        INFO(r.images << " + " << r.labels);
        TempDir dir;
        write_file(dir / r.images, good_images());
        write_file(dir / r.labels, good_labels());
        bool train = std::string(r.images).rfind("train", 0) == 0;
        Dataset d = load_idx_split(dir.path, train);
        check_fixture(d);
        CHECK_THAT(d.source, Contains(r.images));
        // the other split is not there, and the message says which names were tried
        std::string msg = input_error_text([&] { load_idx_split(dir.path, !train); });
        CHECK_THAT(msg, Contains(train ? "t10k-images-idx3-ubyte.gz" : "train-images-idx3-ubyte.gz"));
        CHECK_THAT(msg, Contains(train ? "t10k-images.idx3-ubyte" : "train-images.idx3-ubyte"));
    }
}

TEST_CASE("idx: images without labels; a raw file named .gz; subset", "[io][idx]") {
    TempDir dir;
    write_bytes(dir / "imgs.gz", good_images());  // not gzipped despite the name: zlib reads it as is
    Dataset d = load_idx(dir / "imgs.gz", "");
    CHECK(d.size() == 3);
    CHECK(d.y.empty());
    CHECK(d.classes == 0);
    CHECK(d.x[2] == (real)51 / (real)255);

    write_gz(dir / "labs", good_labels());
    Dataset s = load_idx(dir / "imgs.gz", dir / "labs").subset(2);
    CHECK(s.size() == 2);
    CHECK(s.dim() == 4);
    CHECK(s.y == std::vector<int>{2, 0});
    CHECK(s.classes == 3);
    CHECK(s.x.at(0, 3) == (real)102 / (real)255);
    CHECK(s.x.at(1, 3) == (real)4 / (real)255);
    CHECK(load_idx(dir / "imgs.gz", "").subset(99).size() == 3);
}

TEST_CASE("idx: corrupt files give an input_error naming the file and the problem", "[io][idx]") {
    // a gzip header followed by a deflate block of the reserved type 3: zlib's "invalid block type"
    const Bytes bad_gzip = {0x1F, 0x8B, 8, 0, 0, 0, 0, 0, 0, 3, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF};
    Bytes short_body = good_images();
    short_body.resize(short_body.size() - 5);
    Bytes trailing = good_images();
    trailing.push_back(7);
    struct Row {
        const char* name;
        const char* file;     // the broken file's name
        bool gzip;            // write its contents through gzwrite (else as they are)
        Bytes bytes;          // its contents
        bool is_labels;       // it stands in for the labels file (else the images file)
        const char* problem;  // what the message must say
        const char* fix;      // and how it must say to fix it
    };
    const std::vector<Row> rows = {
        {"labels file given as images", "a-idx3-ubyte.gz", true, good_labels(), false, "wrong magic number 0x00000801, expected 0x00000803", "is this a labels file?"},
        {"images file given as labels", "b-idx1-ubyte", false, good_images(), true, "wrong magic number 0x00000803, expected 0x00000801", "is this an images file?"},
        {"not an idx file", "c.gz", true, Bytes{'<', 'h', 't', 'm', 'l', '>', 0, 0, 0, 0, 0, 0, 0, 0, 0, 0}, false, "wrong magic number 0x3C68746D", "idx file at all"},
        {"float data", "d", false, idx_bytes(0xD03, {1, 1, 1}, {0, 0, 0, 0}), false, "data type 0x0D (float32)", "convert the file"},
        {"empty file", "e.gz", true, Bytes{}, false, "truncated header: the data is 0 bytes long", "re-download"},
        {"truncated header", "f", false, Bytes{0, 0, 8, 3, 0, 0, 0, 3, 0, 0}, false, "truncated header: the data is 10 bytes long, an idx header with 3 dims needs 16", "re-download"},
        {"truncated body, raw", "g", false, short_body, false, "truncated body: the header declares 3 x 2 x 2 = 12 data bytes after the 16-byte header, but the file is 23 bytes (5 missing)", "re-download"},
        {"truncated body, gzipped", "h.gz", true, short_body, false, "truncated body: the header declares 3 x 2 x 2 = 12 data bytes, but the data ends after 7", "re-download"},
        {"truncated labels", "i.gz", true, idx_bytes(0x801, {3}, {2}), true, "truncated body", "re-download"},
        {"dims overflow", "j.gz", true, idx_bytes(0x803, {0xFFFFFFFF, 0xFFFFFFFF, 0xFFFFFFFF}, {}), false, "overflow 64 bits", "re-download"},
        {"dims too large", "k", false, idx_bytes(0x803, {65536, 256, 256}, {1, 2, 3}), false, "65536 x 256 x 256 = 4294967296 bytes, too large", "re-download"},
        {"a zero dim", "l.gz", true, idx_bytes(0x803, {3, 0, 2}, {}), false, "dimension 1 in the header is 0", "re-download"},
        {"trailing bytes, raw", "m", false, trailing, false, "1 extra bytes after the 12 data bytes", "re-download"},
        {"trailing bytes, gzipped", "n.gz", true, trailing, false, "extra bytes after the 12 data bytes", "re-download"},
        {"corrupt gzip stream", "o.gz", false, bad_gzip, false, "the gzip data is corrupt (zlib: invalid block type)", "re-download"},
        {"label count differs", "p", false, idx_bytes(0x801, {2}, {0, 1}), true, "holds 2 labels but", "pair files of the same split"},
        {"label too large", "q.gz", true, idx_bytes(0x801, {3}, {1, 200, 0}), true, "label 200 at item 1 is not below max_classes = 10", "re-download"},
    };
    for (const Row& r : rows) {
        INFO(r.name);
        TempDir dir;
        const std::string bad = dir / r.file;
        if (r.gzip)
            write_gz(bad, r.bytes);
        else
            write_bytes(bad, r.bytes);
        const std::string images = r.is_labels ? dir / "images" : bad;
        const std::string labels = r.is_labels ? bad : dir / "labels";
        if (r.is_labels) write_bytes(images, good_images());
        if (!r.is_labels) write_bytes(labels, good_labels());
        std::string msg = input_error_text([&] { load_idx(images, labels, 10); });
        CHECK_THAT(msg, Contains(bad));
        CHECK_THAT(msg, Contains(r.problem));
        CHECK_THAT(msg, Contains(r.fix));
    }
}

TEST_CASE("idx: missing files and folders say what was looked for and how to fix it", "[io][idx]") {
    TempDir dir;
    std::string msg = input_error_text([&] { load_idx(dir / "nope-idx3-ubyte.gz", ""); });
    CHECK_THAT(msg, Contains(dir / "nope-idx3-ubyte.gz"));
    CHECK_THAT(msg, Contains("cannot open (No such file or directory)"));

    msg = input_error_text([&] { load_idx_split(dir / "absent", true); });
    CHECK_THAT(msg, Contains(dir / "absent"));
    CHECK_THAT(msg, Contains("does not exist"));
    CHECK_THAT(msg, Contains("apt-get install dataset-fashion-mnist"));
    CHECK_THAT(msg, Contains("--data DIR"));
    CHECK_THAT(msg, Contains("TAPEGRAD_DATA"));

    msg = input_error_text([&] { load_idx_split(dir.path, true); });  // an empty folder
    CHECK_THAT(msg, Contains("has no training images"));
    for (const char* name : {"train-images-idx3-ubyte.gz", "train-images-idx3-ubyte,", "train-images.idx3-ubyte.gz", "train-images.idx3-ubyte)"})
        CHECK_THAT(msg, Contains(name));

    write_gz(dir / "t10k-images-idx3-ubyte.gz", good_images());  // images without their labels
    msg = input_error_text([&] { load_idx_split(dir.path, false); });
    CHECK_THAT(msg, Contains("has no test labels"));
    CHECK_THAT(msg, Contains("t10k-labels-idx1-ubyte.gz"));
}

TEST_CASE("labels: a stray value or a test label unseen in training is refused by file, index and value", "[io][idx][labels]") {
    // the rules themselves (data/labels.h)
    CHECK_NOTHROW(check_label_gaps({2, 0, 1, 1}, "a"));
    CHECK_NOTHROW(check_label_gaps({3, 1, 2}, "a"));  // need not start at 0, but must not skip
    CHECK_NOTHROW(check_label_gaps({}, "a"));
    std::string msg = input_error_text([] { check_label_gaps({0, 1, 2, 99, 2, 99}, "train.lab"); });
    CHECK_THAT(msg, Contains("labels: train.lab: label 99 at index 3 leaves a gap: the labels seen are 0..2 and 99 (3..98 never occur)"));
    CHECK_THAT(msg, Contains("so the class count would be 100 with 96 classes never seen"));
    msg = input_error_text([] { check_label_gaps({0, 5, 1}, "f"); });
    CHECK_THAT(msg, Contains("label 5 at index 1 leaves a gap: the labels seen are 0..1 and 5 (2..4 never occur)"));
    CHECK_THAT(input_error_text([] { check_label_gaps({0, -1}, "f"); }), Contains("label -1 at index 1 is negative"));

    CHECK_NOTHROW(check_labels_seen({1, 0, 1}, "test", {0, 1, 2}, "train"));
    CHECK_NOTHROW(check_labels_seen({}, "test", {0, 1}, "train"));  // no labels: nothing to check
    msg = input_error_text([] { check_labels_seen({0, 2, 9, 99}, "t10k.lab", {0, 1, 2, 3, 4, 5, 6, 7, 8, 9}, "train.lab"); });
    CHECK_THAT(msg, Contains("labels: t10k.lab: label 99 at index 3 does not occur among the training labels (0..9 in train.lab)"));
    msg = input_error_text([] { check_labels_seen({0, 3}, "t", {0, 1, 2}, "tr"); });
    CHECK_THAT(msg, Contains("label 3 at index 1 does not occur among the training labels (0..2 in tr)"));

    // through load_idx_split: a folder of both splits, one byte patched at a time
    TempDir dir;
    write_gz(dir / "train-images-idx3-ubyte.gz", good_images());
    write_gz(dir / "t10k-images-idx3-ubyte.gz", good_images());
    write_gz(dir / "train-labels-idx1-ubyte.gz", good_labels());
    write_gz(dir / "t10k-labels-idx1-ubyte.gz", idx_bytes(0x801, {3}, {2, 99, 1}));
    CHECK_NOTHROW(load_idx_split(dir.path, true));
    msg = input_error_text([&] { load_idx_split(dir.path, false); });
    CHECK_THAT(msg, Contains("labels: " + dir / "t10k-labels-idx1-ubyte.gz" + ": label 99 at index 1 does not occur among the training labels (0..2 in " +
                             dir / "train-labels-idx1-ubyte.gz" + ")"));

    write_gz(dir / "t10k-labels-idx1-ubyte.gz", good_labels());
    check_fixture(load_idx_split(dir.path, false));  // repaired: loads, 3 classes
    write_gz(dir / "train-labels-idx1-ubyte.gz", idx_bytes(0x801, {3}, {2, 0, 99}));
    for (bool train : {true, false}) {  // a stray training label stops both splits: it would set the class count
        INFO((train ? "train" : "t10k"));
        msg = input_error_text([&] { load_idx_split(dir.path, train); });
        CHECK_THAT(msg, Contains("labels: " + dir / "train-labels-idx1-ubyte.gz" + ": label 99 at index 2 leaves a gap: the labels seen are 0 and 2 and 99"));
    }
    // a test split without training labels beside it is held to the gap rule
    std::filesystem::remove(dir / "train-labels-idx1-ubyte.gz");
    write_gz(dir / "t10k-labels-idx1-ubyte.gz", idx_bytes(0x801, {3}, {2, 99, 1}));
    CHECK_THAT(input_error_text([&] { load_idx_split(dir.path, false); }), Contains("label 99 at index 1 leaves a gap"));
}

TEST_CASE("data dir: the flag wins, then TAPEGRAD_DATA, then the Debian package's folder", "[io]") {
    const char* old = getenv("TAPEGRAD_DATA");
    const std::string saved = old ? old : "";
    unsetenv("TAPEGRAD_DATA");
    CHECK(resolve_data_dir("") == "/usr/share/datasets/fashion-mnist");
    CHECK(resolve_data_dir("/my/data") == "/my/data");
    setenv("TAPEGRAD_DATA", "/env/data", 1);
    CHECK(resolve_data_dir("") == "/env/data");
    CHECK(resolve_data_dir("/my/data") == "/my/data");
    setenv("TAPEGRAD_DATA", "", 1);
    CHECK(resolve_data_dir("") == "/usr/share/datasets/fashion-mnist");
    if (old)
        setenv("TAPEGRAD_DATA", saved.c_str(), 1);
    else
        unsetenv("TAPEGRAD_DATA");
}

TEST_CASE("idx: the real Fashion-MNIST splits (package dataset-fashion-mnist)", "[io][idx][fashion]") {
    const std::string dir = resolve_data_dir("");
    struct Row { bool train; int n; int first_label; double mean; };
    for (const Row& r : {Row{true, 60000, 9, 0.28604}, Row{false, 10000, 9, 0.28685}}) {
        INFO(dir << (r.train ? " train" : " t10k"));
        Dataset d = load_idx_split(dir, r.train);
        REQUIRE(d.size() == r.n);
        REQUIRE(d.dim() == 784);
        CHECK(d.height == 28);
        CHECK(d.width == 28);
        CHECK(d.classes == 10);
        REQUIRE((int)d.y.size() == r.n);
        CHECK(d.y[0] == r.first_label);
        std::vector<int> per_class(10, 0);
        for (int v : d.y) per_class[v]++;
        for (int c = 0; c < 10; c++) CHECK(per_class[c] == r.n / 10);  // Fashion-MNIST is balanced
        real lo = 1, hi = 0;
        double sum = 0;
        for (real v : d.x.data) lo = std::min(lo, v), hi = std::max(hi, v), sum += v;
        CHECK(lo == 0);
        CHECK(hi == 1);
        CHECK(sum / d.x.size() == Approx(r.mean).margin(1e-4));
    }
}

// ----------------------------------------------------------------------------------------------
TEST_CASE("csv: good files", "[io][csv]") {
    struct Row {
        const char* name;
        std::string text;
        CsvOptions opt;
        int n, d;
        std::vector<real> x;
        std::vector<int> y;
    };
    CsvOptions none, first, last, forced_header, no_header;
    first.label_column = 0;
    last.label_column = -1;
    forced_header.header = 1;
    no_header.header = 0;
    const std::vector<Row> rows = {
        {"header auto-detected", "a,b,c\n1,2,3\n4,5,6\n", none, 2, 3, {1, 2, 3, 4, 5, 6}, {}},
        {"no header", "1,2\n3.5,-4e-1\n", none, 2, 2, {1, 2, 3.5f, -0.4f}, {}},
        {"forced header on a numeric row", "9,9\n1,2\n", forced_header, 1, 2, {1, 2}, {}},
        {"header = 0 on a numeric row", "9,9\n1,2\n", no_header, 2, 2, {9, 9, 1, 2}, {}},
        {"label column 0", "label,p0,p1\n3,0.5,1\n0,2,3\n", first, 2, 2, {0.5f, 1, 2, 3}, {3, 0}},
        {"label column -1", "1,2,1\n3,4,0\n5,6,2\n", last, 3, 2, {1, 2, 3, 4, 5, 6}, {1, 0, 2}},
        {"\\r\\n endings, blank and trailing lines", "x,y\r\n1,2\r\n\r\n3,4\r\n\r\n  \n\n", none, 2, 2, {1, 2, 3, 4}, {}},
        {"no final newline", "1,2\n3,4", none, 2, 2, {1, 2, 3, 4}, {}},
        {"byte-order mark, quotes, spaces", "\xEF\xBB\xBF\"a\", \"b\"\n 1 , \"2\"\n", none, 1, 2, {1, 2}, {}},
        {"semicolons", "a;b\n1;2\n", none, 1, 2, {1, 2}, {}},
        {"tabs", "1\t2\t0\n3\t4\t1\n", last, 2, 2, {1, 2, 3, 4}, {0, 1}},
        {"one column", "v\n7\n8\n", none, 2, 1, {7, 8}, {}},
    };
    for (const Row& r : rows) {
        INFO(r.name);
        TempDir dir;
        write_text(dir / "t.csv", r.text);
        Dataset d = load_csv(dir / "t.csv", r.opt);
        REQUIRE(d.size() == r.n);
        REQUIRE(d.dim() == r.d);
        for (size_t i = 0; i < r.x.size(); i++) CHECK(d.x[i] == Approx(r.x[i]));
        CHECK(d.y == r.y);
        int top = -1;
        for (int v : r.y) top = std::max(top, v);
        CHECK(d.classes == top + 1);
        CHECK(d.height == 0);
        CHECK(d.source == dir / "t.csv");
    }
}

TEST_CASE("csv: bad files name the line, the column, the text and the fix", "[io][csv]") {
    struct Row {
        const char* name;
        std::string text;
        int label_column;
        std::vector<const char*> says;
    };
    const std::vector<Row> rows = {
        {"ragged row", "a,b,c\n1,2,3\n4,5\n", NO_LABEL, {"line 3 has 2 columns, expected 3 (as on line 1)"}},
        {"ragged long row", "1,2\n3,4,5\n", NO_LABEL, {"line 2 has 3 columns, expected 2"}},
        {"non-numeric cell", "a,b\n1,2\n3,abc\n", NO_LABEL, {"line 3, column 2: 'abc' is not a number", "replace it with a number"}},
        {"decimal comma", "a;b\n1,5;2\n", NO_LABEL, {"line 2, column 1: '1,5' is not a number", "write decimals with '.'"}},
        {"empty cell", "1,2\n3,\n", NO_LABEL, {"line 2, column 2: empty cell"}},
        {"empty file", "", NO_LABEL, {"the file is empty"}},
        {"only blank lines", "\n\r\n  \n", NO_LABEL, {"the file is empty"}},
        {"header only", "a,b\n", NO_LABEL, {"has a header (line 1) but no data rows"}},
        {"NaN", "a,b\n1,2\nnan,3\n", NO_LABEL, {"line 3, column 1: 'nan' is not a finite number", "replace missing or infinite values"}},
        {"Inf", "1,2\n3,-inf\n", NO_LABEL, {"line 2, column 2: '-inf' is not a finite number"}},
        {"overflow", "1,1e999\n", NO_LABEL, {"line 1, column 2: '1e999' is not a finite number"}},
        {"negative label", "1,2\n3,-1\n", -1, {"line 2, column 2: '-1' is not a class label", "map the classes to 0, 1, 2"}},
        {"fractional label", "1,2.5\n", -1, {"line 1, column 2: '2.5' is not a class label"}},
        {"label too large", "1,300\n", -1, {"'300' is not a class label: labels must be integers 0..255"}},
        {"label column out of range", "1,2\n", 2, {"label column index 2 is out of range for 2 columns"}},
        {"negative label column out of range", "1,2\n", -3, {"label column index -3 is out of range"}},
        {"label column is the only column", "1\n2\n", 0, {"leaves no features"}},
    };
    for (const Row& r : rows) {
        INFO(r.name);
        TempDir dir;
        write_text(dir / "bad.csv", r.text);
        CsvOptions opt;
        opt.label_column = r.label_column;
        std::string msg = input_error_text([&] { load_csv(dir / "bad.csv", opt); });
        CHECK_THAT(msg, Contains("csv: " + dir / "bad.csv" + ": "));
        for (const char* s : r.says) CHECK_THAT(msg, Contains(s));
    }
    TempDir dir;
    std::string msg = input_error_text([&] { load_csv(dir / "missing.csv"); });
    CHECK_THAT(msg, Contains(dir / "missing.csv"));
    CHECK_THAT(msg, Contains("cannot open"));
}

TEST_CASE("csv: save_csv then load_csv gives back the same values and labels", "[io][csv]") {
    TempDir dir;
    Rng rng(7);
    Tensor x = Tensor::normal(Shape{5, 3}, 0, 1, rng);
    x[0] = (real)1e-30;
    x[1] = (real)-123456.789;
    std::vector<int> labels = {0, 4, 1, 1, 2};
    save_csv(dir / "codes.csv", x, labels);
    CsvOptions opt;
    opt.label_column = -1;
    Dataset d = load_csv(dir / "codes.csv", opt);
    REQUIRE(d.size() == 5);
    REQUIRE(d.dim() == 3);
    for (size_t i = 0; i < x.size(); i++) CHECK(d.x[i] == x[i]);  // exactly: max_digits10 round-trips
    CHECK(d.y == labels);
    CHECK(d.classes == 5);
    CHECK(!std::filesystem::exists(dir / "codes.csv.tmp"));

    save_csv(dir / "plain.csv", x);  // no labels: header c0,c1,c2 only
    Dataset p = load_csv(dir / "plain.csv");
    CHECK(p.dim() == 3);
    CHECK(p.y.empty());
    CHECK(p.x.data == x.data);

    std::string msg = input_error_text([&] { save_csv(dir / "no-such-dir/out.csv", x); });
    CHECK_THAT(msg, Contains("no-such-dir/out.csv"));
    CHECK_THROWS_AS(save_csv(dir / "n.csv", x, {1, 2}), Error);  // 2 labels for 5 rows
}

// ----------------------------------------------------------------------------------------------
namespace {

// N items of D = 2 values (i, -i) with label i % 3, so every row says which item it is.
Dataset counting_set(int n) {
    Dataset d;
    d.x = Tensor(Shape{n, 2});
    for (int i = 0; i < n; i++) d.x.at(i, 0) = (real)i, d.x.at(i, 1) = (real)-i, d.y.push_back(i % 3);
    d.classes = 3;
    d.source = "counting_set";
    return d;
}

// Walks one epoch; returns the item order and checks every batch's rows and labels agree.
std::vector<int> walk(Batcher& b, int epoch, std::vector<int>* sizes = nullptr) {
    b.start_epoch(epoch);
    std::vector<int> order, yb;
    Tensor xb;
    while (b.next(xb, yb)) {
        REQUIRE(xb.ndim() == 2);
        REQUIRE(xb.cols() == 2);
        REQUIRE((int)yb.size() == xb.rows());
        for (int k = 0; k < xb.rows(); k++) {
            int i = (int)xb.at(k, 0);
            CHECK(xb.at(k, 1) == -xb.at(k, 0));
            CHECK(yb[k] == i % 3);
            order.push_back(i);
        }
        if (sizes) sizes->push_back(xb.rows());
    }
    return order;
}

}  // namespace

TEST_CASE("batcher: each item once per epoch, a smaller last batch, orders from (seed, epoch)", "[io][batcher]") {
    Dataset d = counting_set(10);
    Batcher b(d, 3, 42);
    CHECK(b.batches_per_epoch() == 4);
    std::vector<int> sizes;
    std::vector<int> e0 = walk(b, 0, &sizes);
    CHECK(sizes == std::vector<int>{3, 3, 3, 1});
    REQUIRE(e0.size() == 10);
    CHECK(std::set<int>(e0.begin(), e0.end()).size() == 10);
    std::vector<int> e1 = walk(b, 1);
    CHECK(std::set<int>(e1.begin(), e1.end()).size() == 10);
    CHECK(e0 != e1);  // a new epoch, a new order

    Batcher again(d, 3, 42);  // a resumed run: same seed and epoch, same order, no saved state
    CHECK(walk(again, 1) == e1);
    CHECK(walk(again, 0) == e0);
    Batcher other(d, 3, 43);
    CHECK(walk(other, 0) != e0);

    std::vector<int> identity = {0, 1, 2, 3, 4, 5, 6, 7, 8, 9};
    CHECK(e0 != identity);
    Batcher in_order(d, 4, 42, false);
    CHECK(walk(in_order, 0) == identity);
    CHECK(walk(in_order, 5) == identity);

    Batcher whole(d, 64, 1);  // a batch larger than the set: one batch of all items
    sizes.clear();
    walk(whole, 0, &sizes);
    CHECK(sizes == std::vector<int>{10});
    CHECK(whole.batches_per_epoch() == 1);
}

TEST_CASE("batcher: the caller's buffers are reused across batches and epochs", "[io][batcher]") {
    Dataset d = counting_set(100);
    Batcher b(d, 32, 5);
    Tensor xb;
    std::vector<int> yb;
    REQUIRE(b.next(xb, yb));
    const real* xp = xb.ptr();
    const int* yp = yb.data();
    for (int epoch = 0; epoch < 3; epoch++) {
        b.start_epoch(epoch);
        int batches = 0;
        while (b.next(xb, yb)) {
            CHECK(xb.ptr() == xp);
            CHECK(yb.data() == yp);
            batches++;
        }
        CHECK(batches == 4);  // 32 + 32 + 32 + 4
    }
    CHECK(!b.next(xb, yb));  // still at the end until start_epoch

    Dataset unlabelled = counting_set(5);
    unlabelled.y.clear();
    Batcher u(unlabelled, 2, 1);
    REQUIRE(u.next(xb, yb));
    CHECK(yb.empty());
    CHECK(xb.rows() == 2);

    std::string msg = input_error_text([&] { Batcher bad(d, 0, 1); });
    CHECK_THAT(msg, Contains("--batch"));
}

// ----------------------------------------------------------------------------------------------
TEST_CASE("synthetic: shapes, labels and what the generated points mean", "[io][synthetic]") {
    Rng rng(3);
    Dataset s = spirals(300, 3, 0.0, rng);
    REQUIRE(s.size() == 300);
    REQUIRE(s.dim() == 2);
    CHECK(s.classes == 3);
    std::vector<int> count(3, 0);
    for (int v : s.y) count[v]++;
    CHECK(count == std::vector<int>{100, 100, 100});
    for (int i = 0; i < s.size(); i++) CHECK(std::hypot(s.x.at(i, 0), s.x.at(i, 1)) <= 1.0001);

    Dataset t = two_spirals(50, 0.1, rng);
    CHECK(t.size() == 50);
    CHECK(t.classes == 2);

    Dataset m = moons(200, 0.0, rng);
    REQUIRE(m.size() == 200);
    REQUIRE(m.dim() == 2);
    CHECK(m.classes == 2);
    for (int i = 0; i < m.size(); i++) {  // class 0 on the unit circle about (0, 0), class 1 about (1, 0.5)
        double cx = m.y[i] == 0 ? 0 : 1, cy = m.y[i] == 0 ? 0 : 0.5;
        CHECK(std::hypot(m.x.at(i, 0) - cx, m.x.at(i, 1) - cy) == Approx(1).epsilon(1e-5));
    }

    Tensor coords;
    Dataset r = swiss_roll(500, 0.0, rng, &coords);
    REQUIRE(r.size() == 500);
    REQUIRE(r.dim() == 3);
    CHECK(r.y.empty());
    REQUIRE(coords.rows() == 500);
    REQUIRE(coords.cols() == 2);
    for (int i = 0; i < r.size(); i++) {  // x = (t cos t, h, t sin t) with (t, h) the true coordinates
        double tt = coords.at(i, 0), h = coords.at(i, 1);
        CHECK(tt >= 1.5 * M_PI - 1e-5);
        CHECK(tt <= 4.5 * M_PI + 1e-5);
        CHECK(r.x.at(i, 0) == Approx(tt * std::cos(tt)).margin(1e-4));
        CHECK(r.x.at(i, 1) == Approx(h).margin(1e-4));
        CHECK(r.x.at(i, 2) == Approx(tt * std::sin(tt)).margin(1e-4));
    }
}

TEST_CASE("synthetic: noisy_manifold is a fixed smooth map of its latent points plus the stated noise", "[io][synthetic]") {
    Tensor z_clean, z_noisy;
    Rng a(11), b(11), c(12);
    Dataset clean = noisy_manifold(400, 2, 10, 0.0, a, &z_clean);
    Dataset noisy = noisy_manifold(400, 2, 10, 0.1, b, &z_noisy);
    REQUIRE(clean.size() == 400);
    REQUIRE(clean.dim() == 10);
    CHECK(clean.y.empty());
    REQUIRE(z_clean.rows() == 400);
    REQUIRE(z_clean.cols() == 2);
    CHECK(z_clean.data == z_noisy.data);  // same seed: same map and latent points, only the noise differs
    for (real v : z_clean.data) CHECK(std::abs(v) <= 1);
    double ss = 0, mean = 0;
    for (size_t i = 0; i < clean.x.size(); i++) mean += noisy.x[i] - clean.x[i];
    mean /= clean.x.size();
    for (size_t i = 0; i < clean.x.size(); i++) ss += std::pow(noisy.x[i] - clean.x[i] - mean, 2);
    CHECK(std::sqrt(ss / clean.x.size()) == Approx(0.1).epsilon(0.05));  // 4000 draws: std within 5%
    CHECK(std::abs(mean) < 0.01);
    CHECK(noisy_manifold(400, 2, 10, 0.0, c).x.data != clean.x.data);  // another seed, another manifold

    // smooth: latent neighbours are ambient neighbours (the nearest latent point of item 0 lies much
    // closer in x than the average item does)
    auto dist = [&](const Tensor& t, int i, int j) {
        double s = 0;
        for (int k = 0; k < t.cols(); k++) s += std::pow(t.at(i, k) - t.at(j, k), 2);
        return std::sqrt(s);
    };
    int nearest = 1;
    for (int j = 1; j < 400; j++)
        if (dist(z_clean, 0, j) < dist(z_clean, 0, nearest)) nearest = j;
    double avg = 0;
    for (int j = 1; j < 400; j++) avg += dist(clean.x, 0, j) / 399;
    CHECK(dist(clean.x, 0, nearest) < 0.2 * avg);

    CHECK(input_error_text([] { Rng r(1); noisy_manifold(10, 5, 3, 0.0, r); }).find("intrinsic dim 5") != std::string::npos);
    CHECK(input_error_text([] { Rng r(1); spirals(0, 2, 0.0, r); }).find("spirals") != std::string::npos);
}
