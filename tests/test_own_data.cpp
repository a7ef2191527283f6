// test_own_data.cpp — your own data: image folders (labels from sorted subfolders, grayscale / RGB, resizing,
// bad files named or skipped), load_any's choice of reader, load_csv's label column found by its header,
// row gather and the seeded train/test split, argmax and accuracy; t-SNE (exact and Barnes-Hut, determinism,
// no new rows), trustworthiness, the .npy/.npz writer, and the training-error percentiles of reduce --apply.
#include <catch2/catch.hpp>

#include <algorithm>
#include <cmath>
#include <filesystem>

#include "data/image_folder.h"
#include "io/image.h"
#include "io/load_any.h"
#include "io/npy.h"
#include "models/registry.h"
#include "models/tsne.h"
#include "tests/helpers.h"

using namespace tg;
using namespace tg_test;
using Catch::Contains;

namespace {

// A w x h PNG whose every pixel is (r, g, b)
void png(const std::string& path, int w, int h, Rgb c) {
    std::filesystem::create_directories(std::filesystem::path(path).parent_path());
    Image img(w, h, c);
    write_png(path, img);
}

}  // namespace

TEST_CASE("image folder: classes from sorted subfolders, values in [0, 1], channels last", "[own_data]") {
    TempDir t("imgfolder");
    png(t / "zebra/b.png", 4, 3, {255, 0, 0});
    png(t / "zebra/a.png", 4, 3, {0, 0, 255});
    png(t / "ant/x.png", 4, 3, {255, 255, 255});
    write_bytes(t / "ant/notes.txt", {'h', 'i'});  // not an image: ignored, as torchvision does
    ImageFolderOptions rgb;
    rgb.channels = 3;
    Dataset d = load_image_folder(t.path, rgb);
    REQUIRE(d.size() == 3);
    CHECK(d.dim() == 3 * 3 * 4);
    CHECK(d.height == 3);
    CHECK(d.width == 4);
    CHECK(d.channels == 3);
    CHECK(d.is_image());
    CHECK(d.classes == 2);
    CHECK(d.class_names == std::vector<std::string>{"ant", "zebra"});
    CHECK(d.y == std::vector<int>{0, 1, 1});  // ant/x, then zebra/a, zebra/b in name order
    // zebra/a.png is blue: (H, W, C) values, each pixel R = 0, G = 0, B = 1
    const real* a = d.x.ptr() + 1 * d.dim();
    CHECK(a[0] == 0);
    CHECK(a[1] == 0);
    CHECK(a[2] == 1);
    CHECK(a[3 * 11 + 2] == 1);
    CHECK(a[3 * 11] == 0);

    Dataset g = load_image_folder(t.path);  // grayscale by default: stb's luma of pure red, (77 * 255) >> 8 = 76
    CHECK(g.dim() == 12);
    CHECK(g.x.at(2, 0) == real(76) / 255);
    CHECK(g.x.at(0, 5) == 1);
}

TEST_CASE("image folder: flat folder is unlabelled; --size resizes; odd sizes and bad files are named or skipped", "[own_data]") {
    TempDir t("imgflat");
    png(t / "1.png", 8, 8, {128, 128, 128});
    png(t / "2.png", 6, 8, {128, 128, 128});
    Thrown odd = error_of([&] { load_image_folder(t.path); });
    CHECK(odd.code == 2);
    CHECK_THAT(odd.msg, Contains("2.png is 6x8") && Contains("--size"));

    ImageFolderOptions sized;
    sized.height = sized.width = 4;
    Dataset d = load_image_folder(t.path, sized);
    CHECK(d.size() == 2);
    CHECK(d.dim() == 16);
    CHECK_FALSE(d.has_labels());
    CHECK(d.classes == 0);
    CHECK(std::abs(d.x.at(1, 7) - real(128) / 255) < real(0.01));  // a flat grey stays grey when resized

    write_bytes(t / "3.jpg", {'n', 'o', 't', ' ', 'a', 'n', ' ', 'i', 'm', 'a', 'g', 'e'});
    Thrown bad = error_of([&] { load_image_folder(t.path, sized); });
    CHECK(bad.code == 2);
    CHECK_THAT(bad.msg, Contains("3.jpg cannot be read as an image") && Contains("--skip-bad"));
    ImageFolderOptions skip;
    skip.skip_bad = true;
    ImageFolderReport report;
    Dataset kept = load_image_folder(t.path, skip, &report);  // no --size: 2.png (odd size) and 3.jpg skipped
    CHECK(kept.size() == 1);
    REQUIRE(report.skipped.size() == 2);
    CHECK_THAT(report.skipped[0], Contains("2.png"));
    CHECK_THAT(report.skipped[1], Contains("3.jpg"));
}

TEST_CASE("image folder: empty class folders, empty folders, bad flags", "[own_data]") {
    TempDir t("imgempty");
    std::filesystem::create_directories(t / "cats");
    png(t / "dogs/1.png", 2, 2, kWhite);
    CHECK_THAT(error_of([&] { load_image_folder(t.path); }).msg, Contains("cats holds no .png"));
    TempDir e("imgnone");
    CHECK_THAT(error_of([&] { load_image_folder(e.path); }).msg, Contains("holds no .png/.jpg"));
    ImageFolderOptions o;
    o.channels = 2;
    CHECK_THAT(error_of([&] { load_image_folder(t.path, o); }).msg, Contains("--channels"));
    int h = 0, w = 0;
    parse_size("28x32", h, w);
    CHECK((h == 28 && w == 32));
    CHECK(error_of([&] { parse_size("28", h, w); }).code == 2);
    CHECK(error_of([&] { parse_size("0x4", h, w); }).code == 2);
}

TEST_CASE("load_any: image folder, CSV with its label column found by name, nonsense refused", "[own_data]") {
    TempDir t("loadany");
    png(t / "imgs/a/1.png", 3, 3, kBlack);
    png(t / "imgs/b/1.png", 3, 3, kWhite);
    Dataset im = load_any(t / "imgs");
    CHECK(im.size() == 2);
    CHECK(im.y == std::vector<int>{0, 1});
    write_bytes(t / "d.csv", Bytes{'x', ',', 'L', 'a', 'b', 'e', 'l', '\n', '1', ',', '2', '\n', '3', ',', '0', '\n'});
    Dataset c = load_any(t / "d.csv");  // load_csv alone finds the column named label (any case)
    CHECK(c.dim() == 1);
    CHECK(c.y == std::vector<int>{2, 0});
    CHECK(load_csv(t / "d.csv").y == std::vector<int>{2, 0});
    DataOptions none;
    none.label_column = parse_label_flag("none");
    CHECK(load_any(t / "d.csv", none).dim() == 2);
    std::filesystem::create_directories(t / "nothing");
    CHECK_THAT(error_of([&] { load_any(t / "nothing", {}, "--train"); }).msg, Contains("--train") && Contains("neither idx files"));
    CHECK_THAT(error_of([&] { load_any(t / "missing"); }).msg, Contains("does not exist"));
    CHECK(error_of([&] { parse_label_flag("left"); }).code == 2);
}

TEST_CASE("Dataset: row gather, seeded train/test split, argmax and accuracy", "[own_data]") {
    Dataset d;
    d.x = Tensor(Shape{10, 2});
    for (int i = 0; i < 10; i++) d.x.at(i, 0) = (real)i, d.y.push_back(i % 3);
    d.classes = 3;
    Dataset r = d.rows({7, 2, 7});
    CHECK(r.x.at(0, 0) == 7);
    CHECK(r.x.at(1, 0) == 2);
    CHECK(r.y == std::vector<int>{1, 2, 1});
    CHECK(error_of([&] { d.rows({10}); }).code == 2);

    Split s = train_test_split(d, 0.2, 5), again = train_test_split(d, 0.2, 5), other = train_test_split(d, 0.2, 6);
    CHECK(s.test.size() == 2);
    CHECK(s.train.size() == 8);
    CHECK(s.test.x.data == again.test.x.data);  // the same seed, the same split
    std::vector<real> all;
    for (const Dataset* p : {&s.train, &s.test})
        for (int i = 0; i < p->size(); i++) {
            all.push_back(p->x.at(i, 0));
            CHECK(p->y[(size_t)i] == (int)p->x.at(i, 0) % 3);  // labels travel with their rows
        }
    std::sort(all.begin(), all.end());
    for (int i = 0; i < 10; i++) CHECK(all[(size_t)i] == i);  // every row once
    bool differs = false;
    for (int seed = 6; seed < 12 && !differs; seed++) differs = train_test_split(d, 0.2, (uint64_t)seed).test.x.data != s.test.x.data;
    CHECK(differs);
    (void)other;
    CHECK(error_of([&] { train_test_split(d, 1.0, 1); }).code == 2);

    Tensor scores(Shape{3, 3}, {0, 2, 1, 5, 5, 0, -1, -2, -0.5});
    CHECK(argmax_rows(scores) == std::vector<int>{1, 0, 2});  // ties: the first
    CHECK(accuracy(scores, {1, 1, 2}) == Approx(2.0 / 3));
}

// ----------------------------------------------------------------------------------------------
namespace {

// n rows per class of C well-separated Gaussian blobs in D dimensions (centres 6 apart on the axes)
Dataset blobs(int n, int C, int D, uint64_t seed) {
    Rng rng(seed);
    Dataset d;
    d.x = Tensor(Shape{n * C, D});
    for (int c = 0; c < C; c++)
        for (int i = 0; i < n; i++) {
            for (int j = 0; j < D; j++) d.x.at(c * n + i, j) = (real)(rng.normal() + (j == c ? 6 : 0));
            d.y.push_back(c);
        }
    d.classes = C;
    d.source = "blobs";
    return d;
}

}  // namespace

TEST_CASE("t-SNE: exact and Barnes-Hut keep neighbours, the same seed gives the same picture, no new rows", "[own_data][tsne]") {
    const Dataset d = blobs(50, 3, 10, 3);
    for (int exact_below : {1000, 50}) {  // 150 rows: exact, then Barnes-Hut
        INFO("exact_below " << exact_below);
        ReducerOptions o;
        o.exact_below = exact_below;
        auto a = make_reducer("tsne", o), b = make_reducer("tsne", o);
        Rng r1(1), r2(2);
        a->fit(d, 2, r1);
        b->fit(d, 2, r2);  // PCA init: the rng does not matter
        CHECK(static_cast<TSNE&>(*a).method_used == (exact_below == 50 ? "barnes-hut" : "exact"));
        const Tensor z = a->encode(d.x);
        CHECK(z.data == b->encode(d.x).data);
        CHECK(trustworthiness(d.x, z, 10) > 0.95);
        // every class its own cloud: a point's nearest code is of its class
        int same = 0;
        for (int i = 0; i < d.size(); i++) {
            int best = -1;
            double bd = 1e300;
            for (int j = 0; j < d.size(); j++) {
                const double dd = std::pow(z.at(i, 0) - z.at(j, 0), 2) + std::pow(z.at(i, 1) - z.at(j, 1), 2);
                if (j != i && dd < bd) bd = dd, best = j;
            }
            same += d.y[(size_t)best] == d.y[(size_t)i];
        }
        CHECK(same == d.size());
        CHECK(a->encode(d.rows({5, 0}).x).data == Tensor(Shape{2, 2}, {z.at(5, 0), z.at(5, 1), z.at(0, 0), z.at(0, 1)}).data);
        Thrown fresh = error_of([&] { a->encode(blobs(1, 1, 10, 99).x); });
        CHECK(fresh.code == 2);
        CHECK_THAT(fresh.msg, Contains("no --apply"));
    }
    TempDir t("tsne");
    auto m = make_reducer("tsne");
    Rng rng(1);
    m->fit(d, 2, rng);
    save_reducer(t / "t.ckpt", *m, d.dim());
    LoadedReducer l = load_reducer(t / "t.ckpt");
    CHECK_THAT(error_of([&] { l.model->encode(d.x); }).msg, Contains("loaded from a file"));
    ReducerOptions big;
    big.perplexity = 200;
    CHECK_THAT(error_of([&] { check_fit("tsne", d, 2, big); }).msg, Contains("--perplexity"));
    CHECK(error_of([&] { check_fit("tsne", d, 4, {}); }).code == 2);
    CHECK(!encodes_new_rows("tsne"));
    CHECK(encodes_new_rows("pca"));
}

TEST_CASE("trustworthiness: 1 for the data itself, lower for a scrambled picture", "[own_data][tsne]") {
    const Dataset d = blobs(20, 3, 4, 1);
    CHECK(trustworthiness(d.x, d.x, 5) == Approx(1.0));
    Tensor scrambled = d.x.first_slice(0, d.size());
    Rng rng(4);
    for (int i = d.size() - 1; i > 0; i--) {
        const int j = (int)rng.below((uint64_t)i + 1);
        for (int c = 0; c < 4; c++) std::swap(scrambled.at(i, c), scrambled.at(j, c));
    }
    CHECK(trustworthiness(d.x, scrambled, 5) < 0.8);
}

TEST_CASE("npy: header, alignment and little-endian float32 values", "[own_data][npy]") {
    const std::string b = npy_bytes(Tensor(Shape{2, 3}, {1, 2, 3, 4, 5, -2}));
    REQUIRE(b.size() > 10);
    CHECK(b.substr(0, 8) == std::string("\x93NUMPY\x01\x00", 8));
    const size_t header = (unsigned char)b[8] | (size_t)(unsigned char)b[9] << 8;
    CHECK((10 + header) % 64 == 0);
    CHECK(b.find("{'descr': '<f4', 'fortran_order': False, 'shape': (2, 3), }") == 10);
    CHECK(b[10 + header - 1] == '\n');
    CHECK(b.size() == 10 + header + 6 * 4);
    CHECK(b.substr(10 + header, 4) == std::string("\x00\x00\x80\x3f", 4));           // 1.0f
    CHECK(b.substr(10 + header + 20, 4) == std::string("\x00\x00\x00\xc0", 4));      // -2.0f
    CHECK(npy_bytes(Tensor(Shape{4})).find("'shape': (4,)") != std::string::npos);  // a 1-tuple keeps its comma
    TempDir t("npz");
    CHECK(error_of([&] { save_npz(t / "a.npz", {{"w", Tensor(Shape{1})}, {"w", Tensor(Shape{1})}}); }).threw);
    save_npz(t / "a.npz", {{"enc.w", Tensor(Shape{2, 2})}, {"b", Tensor(Shape{3})}});
    const Bytes z = read_bytes(t / "a.npz");
    REQUIRE(z.size() > 22);
    CHECK((z[0] == 'P' && z[1] == 'K' && z[z.size() - 22] == 'P' && z[z.size() - 21] == 'K'));  // local header .. end record
}

TEST_CASE("how far from the training data: percentiles of new rows' errors among the training rows'", "[own_data]") {
    const Tensor profile = error_profile(Tensor(Shape{5}, {4, 1, 3, 2, 2}), 1001);
    CHECK(profile.data == std::vector<real>{1, 2, 2, 3, 4});
    CHECK(error_percentiles(profile, Tensor(Shape{3}, {0, 2, 10})) == std::vector<double>{0, 40, 100});
    CHECK(error_profile(Tensor(Shape{100}), 11).size() == 11);
    // PCA fitted on blobs 0 and 1: rows of blob 2 reconstruct far worse than the training rows
    const Dataset d = blobs(40, 3, 6, 2);
    std::vector<int> seen, unseen;
    for (int i = 0; i < d.size(); i++) (d.y[(size_t)i] < 2 ? seen : unseen).push_back(i);
    auto pca = make_reducer("pca");
    Rng rng(1);
    pca->fit(d.rows(seen), 2, rng);
    const Tensor prof = error_profile(row_errors(*pca, d.rows(seen).x));
    double mean_unseen = 0;
    for (double p : error_percentiles(prof, row_errors(*pca, d.rows(unseen).x))) mean_unseen += p / unseen.size();
    CHECK(mean_unseen > 95);
}
