// test_reduce.cpp — the registry behind build/reduce and build/compare (models/registry.h) and the
// feature read-outs (models/probe.h): make_reducer for every name, a fit/encode/decode/save/load round trip
// for every method on tiny synthetic images (deep ones for a few steps), codes identical after a reload,
// the checks run before a fit, min-max scaling, the codes CSV read back by load_csv, and the k-NN vote and
// linear probe on data whose answer is known. Files go to a fresh mkdtemp folder that is removed.
#include <catch2/catch.hpp>

#include <algorithm>
#include <cmath>
#include <functional>
#include <string>
#include <vector>

#include "io/checkpoint.h"
#include "io/csv.h"
#include "models/probe.h"
#include "models/registry.h"
#include "tests/helpers.h"

using namespace tg;
using Catch::Matchers::Contains;
using tg_test::error_of;
using tg_test::TempDir;
using tg_test::Thrown;

namespace {

// n tiny 4 x 4 images in [0, 1] of 3 classes (item i has class i % 3): each class a bright bar (the top
// row, the left column, the diagonal) at 0.5, plus uniform noise up to 0.5 on every pixel.
Dataset tiny_images(int n, Rng& rng) {
    Dataset d;
    d.x = Tensor(Shape{n, 16});
    d.height = d.width = 4;
    d.classes = 3;
    d.source = "tiny_images";
    for (int i = 0; i < n; i++) {
        const int c = i % 3;
        d.y.push_back(c);
        for (int r = 0; r < 4; r++)
            for (int q = 0; q < 4; q++) {
                const bool bar = c == 0 ? r == 0 : c == 1 ? q == 0 : r == q;
                d.x.at(i, r * 4 + q) = (real)((bar ? 0.5 : 0.0) + 0.5 * rng.uniform());
            }
    }
    return d;
}

// Small, fast settings: a few gradient steps for the deep methods, every row for the manifold ones.
ReducerOptions tiny_options() {
    ReducerOptions o;
    o.epochs = 2, o.batch = 16, o.hidden = {8}, o.pretrain_epochs = 1;
    o.neighbours = 40;  // of 90 points: one connected graph without raising k (no notes)
    return o;
}

}  // namespace

// ----------------------------------------------------------------------------------------------
TEST_CASE("make_reducer knows every method by name and lists them for an unknown one", "[reduce][registry]") {
    const std::vector<std::string> want = {"pca", "lda", "dct", "isomap", "lle", "ae", "vae", "dbn", "cae"};
    CHECK(reducer_names() == want);
    CHECK(reducer_names_text() == "pca|lda|dct|isomap|lle|ae|vae|dbn|cae|tsne");  // tsne: known, but maps no new rows (not in reducer_names)
    for (const std::string& n : want) {
        INFO(n);
        std::unique_ptr<Reducer> r = make_reducer(n);
        REQUIRE(r);
        CHECK(r->name() == n);
        CHECK(is_deep(n) == (n == "ae" || n == "vae" || n == "dbn" || n == "cae"));
        CHECK(r->has_decoder() == (n == "pca" || n == "dct" || is_deep(n)));
    }
    const Thrown t = error_of([] { make_reducer("umap"); });
    CHECK(t.threw);
    CHECK(t.code == EXIT_BAD_INPUT);
    CHECK_THAT(t.msg, Contains("'umap'") && Contains("pca|lda|dct|isomap|lle|ae|vae|dbn|cae|tsne"));

    ReducerOptions bad = tiny_options();
    bad.hidden = {8, 4};
    CHECK_THAT(error_of([&] { make_reducer("vae", bad); }).msg, Contains("one hidden layer"));
    bad = tiny_options();
    bad.neighbours = 0;
    CHECK_THAT(error_of([&] { make_reducer("lle", bad); }).msg, Contains("--neighbours"));
}

TEST_CASE("every method: fit, encode, decode, save, load, and the same codes after loading", "[reduce][registry][checkpoint]") {
    TempDir dir("reduce");
    Rng data_rng(5);
    const Dataset train = tiny_images(90, data_rng), test = tiny_images(30, data_rng);
    const int K = 2;
    for (const std::string& name : reducer_names()) {
        INFO(name);
        std::unique_ptr<Reducer> r = make_reducer(name, tiny_options());
        REQUIRE_NOTHROW(check_fit(name, train, K, tiny_options()));
        Rng rng(11);
        r->fit(train, K, rng);
        const Tensor z = r->encode(test.x);
        REQUIRE(z.shape == Shape({30, K}));
        CHECK(all_finite(z));
        const Tensor zb = encode_rows(*r, test.x, 7);  // blocks of 7, 7, 7, 7, 2 rows: the same codes
        REQUIRE(zb.shape == z.shape);
        for (size_t i = 0; i < z.size(); i++) CHECK(zb[i] == Approx(z[i]).margin(1e-5));
        Tensor x_hat;
        if (r->has_decoder()) {
            x_hat = r->decode(z);
            REQUIRE(x_hat.shape == test.x.shape);
            CHECK(all_finite(x_hat));
            const Tensor xb = decode_rows(*r, z, 4);
            REQUIRE(xb.shape == x_hat.shape);
            for (size_t i = 0; i < x_hat.size(); i++) CHECK(xb[i] == Approx(x_hat[i]).margin(1e-5));
        } else {
            CHECK_THROWS_AS(r->decode(z), Error);
        }

        // a row of the wrong width (or codes of the wrong K) is an input_error naming the method
        Thrown wide = error_of([&] { r->encode(Tensor(Shape{3, 15})); });
        CHECK(wide.code == EXIT_BAD_INPUT);
        CHECK_THAT(wide.msg, Contains(name) && Contains("16"));
        if (r->has_decoder()) CHECK(error_of([&] { r->decode(Tensor(Shape{3, K + 1})); }).code == EXIT_BAD_INPUT);

        const std::string path = dir / (name + ".ckpt");
        MinMax none;
        save_reducer(path, *r, train.dim(), none);
        LoadedReducer l = load_reducer(path);
        REQUIRE(l.model);
        CHECK(l.model->name() == name);
        CHECK(l.input_dim == 16);
        CHECK_FALSE(l.scale.active());
        const Tensor z2 = l.model->encode(test.x);
        REQUIRE(z2.shape == z.shape);
        CHECK(z2.data == z.data);  // bit for bit
        if (r->has_decoder()) CHECK(l.model->decode(z).data == x_hat.data);
    }
}

TEST_CASE("the linear methods' codes carry the classes; PCA's decoder beats the mean image", "[reduce][registry]") {
    Rng data_rng(6);
    const Dataset train = tiny_images(90, data_rng), test = tiny_images(60, data_rng);
    // squared error of predicting every test image by the train mean: what any decoder must beat
    std::vector<double> mean(16, 0.0);
    for (int i = 0; i < train.size(); i++)
        for (int j = 0; j < 16; j++) mean[j] += train.x.at(i, j) / train.size();
    double se_mean = 0;
    for (int i = 0; i < test.size(); i++)
        for (int j = 0; j < 16; j++) se_mean += std::pow(test.x.at(i, j) - mean[j], 2);
    struct Case {
        const char* name;
        int K;  // dct: the first 3 zig-zag coefficients (DC and the two first frequencies); 2 cannot tell a row bar from the diagonal
    };
    for (const Case& c : {Case{"pca", 2}, Case{"lda", 2}, Case{"dct", 3}}) {
        INFO(c.name);
        std::unique_ptr<Reducer> r = make_reducer(c.name);
        Rng rng(1);
        r->fit(train, c.K, rng);
        const Tensor ztr = r->encode(train.x), zte = r->encode(test.x);
        CHECK(knn_accuracy(ztr, train.y, zte, test.y, 5) > 0.9);  // the bars differ: 2 numbers separate 3 classes
        if (c.name == std::string("pca")) {  // (the DCT knows no mean image: 3 coefficients do worse than it)
            const Tensor x_hat = r->decode(zte);
            double se = 0;
            for (size_t i = 0; i < x_hat.size(); i++) se += std::pow(x_hat[i] - test.x[i], 2);
            CHECK(se < 0.8 * se_mean);
        }
    }
}

TEST_CASE("check_fit and max_code_dim: the limits of K, labels for LDA, [0, 1] for deep methods", "[reduce][registry][errors]") {
    Rng data_rng(7);
    const Dataset train = tiny_images(90, data_rng);
    ReducerOptions o = tiny_options();
    o.subsample = 10;
    struct Case {
        const char* name;
        int max_dim;
        const char* why;
    };
    const std::vector<Case> limits = {
        {"pca", 16, "input dimension"}, {"lda", 2, "classes - 1 = 2"}, {"dct", 16, "input dimension"},
        {"isomap", 9, "n - 1 = 9"},     {"lle", 9, "n - 1 = 9"},       {"ae", 16, "input dimension"},
    };
    for (const Case& c : limits) {
        INFO(c.name);
        std::string why;
        CHECK(max_code_dim(c.name, train, o, &why) == c.max_dim);
        CHECK_THAT(why, Contains(c.why));
        CHECK_NOTHROW(check_fit(c.name, train, c.max_dim, o));
        const Thrown t = error_of([&] { check_fit(c.name, train, c.max_dim + 1, o); });
        CHECK(t.code == EXIT_BAD_INPUT);
        CHECK_THAT(t.msg, Contains("--dim") && Contains(c.why));
        CHECK_THAT(error_of([&] { check_fit(c.name, train, 0, o); }).msg, Contains("--dim"));
    }

    Dataset unlabelled = train;
    unlabelled.y.clear();
    unlabelled.classes = 0;
    const Thrown t = error_of([&] { check_fit("lda", unlabelled, 1, o); });
    CHECK(t.code == EXIT_BAD_INPUT);
    CHECK_THAT(t.msg, Contains("labels"));
    Dataset one_class = train;
    std::fill(one_class.y.begin(), one_class.y.end(), 1);
    CHECK_THAT(error_of([&] { check_fit("lda", one_class, 1, o); }).msg, Contains("only one class"));

    Dataset big = train;
    big.x.at(3, 4) = 2.5;
    for (const char* deep : {"ae", "vae", "dbn"}) CHECK_THAT(error_of([&] { check_fit(deep, big, 2, o); }).msg, Contains("[0, 1]") && Contains("minmax"));
    CHECK_NOTHROW(check_fit("pca", big, 2, o));  // linear methods take any finite values
    CHECK_THAT(error_of([&] { check_fit("umap", train, 2, o); }).msg, Contains("unknown method"));
}

TEST_CASE("min-max scaling maps the training columns to [0, 1] and travels with the model", "[reduce][registry][checkpoint]") {
    TempDir dir("reduce");
    Tensor x(Shape{3, 3}, {1, -4, 7,  //
                           3, 6, 7,   //
                           2, 1, 7});  // the last column is constant
    MinMax s;
    s.fit(x);
    Tensor y = x;
    s.apply(y);
    const std::vector<real> want = {0, 0, 0, 1, 1, 0, 0.5, 0.5, 0};
    for (size_t i = 0; i < want.size(); i++) CHECK(y[i] == Approx(want[i]));
    Tensor wrong(Shape{2, 4});
    CHECK(error_of([&] { s.apply(wrong); }).code == EXIT_BAD_INPUT);

    Dataset d;
    d.x = y;
    std::unique_ptr<Reducer> pca = make_reducer("pca");
    Rng rng(1);
    pca->fit(d, 1, rng);
    save_reducer(dir / "scaled.ckpt", *pca, 3, s);
    LoadedReducer l = load_reducer(dir / "scaled.ckpt");
    REQUIRE(l.scale.active());
    CHECK(l.scale.lo.data == s.lo.data);
    CHECK(l.scale.range.data == s.range.data);
}

TEST_CASE("load_reducer refuses files that do not hold a reducer", "[reduce][registry][errors]") {
    TempDir dir("reduce");
    Checkpoint ck;
    ck.set("model", "gan");
    save_checkpoint(dir / "gan.ckpt", ck);
    Thrown t = error_of([&] { load_reducer(dir / "gan.ckpt"); });
    CHECK(t.code == EXIT_BAD_INPUT);
    CHECK_THAT(t.msg, Contains("'gan'") && Contains("pca|lda"));

    Checkpoint no_dim;  // a model name but no input_dim: not written by save_reducer
    no_dim.set("model", "dct");
    save_checkpoint(dir / "nodim.ckpt", no_dim);
    CHECK_THAT(error_of([&] { load_reducer(dir / "nodim.ckpt"); }).msg, Contains("input_dim"));
    CHECK(error_of([&] { load_reducer(dir / "missing.ckpt"); }).code == EXIT_BAD_INPUT);
}

TEST_CASE("codes CSV: header z1..zK and label, read back exactly by load_csv", "[reduce][csv]") {
    TempDir dir("reduce");
    Rng rng(3);
    const Tensor codes = Tensor::normal(Shape{7, 3}, 0, 100, rng);
    const std::vector<int> labels = {0, 2, 1, 1, 0, 9, 3};
    save_codes_csv(dir / "c.csv", codes, labels);
    std::FILE* f = std::fopen((dir / "c.csv").c_str(), "r");
    REQUIRE(f);
    char header[64] = {};
    REQUIRE(std::fgets(header, sizeof header, f));
    std::fclose(f);
    CHECK(std::string(header) == "z1,z2,z3,label\n");

    CsvOptions o;
    o.label_column = -1;
    const Dataset back = load_csv(dir / "c.csv", o);
    CHECK(back.x.shape == codes.shape);
    CHECK(back.x.data == codes.data);  // max_digits10: every value reads back to itself
    CHECK(back.y == labels);

    save_codes_csv(dir / "u.csv", codes);
    const Dataset plain = load_csv(dir / "u.csv");
    CHECK(plain.x.data == codes.data);
    CHECK_FALSE(plain.has_labels());

    CHECK_THROWS_AS(save_codes_csv(dir / "bad.csv", codes, {1, 2}), Error);
    CHECK(error_of([&] { save_codes_csv(dir / "no-such-folder/c.csv", codes); }).code == EXIT_BAD_INPUT);
}

TEST_CASE("knn_accuracy: the vote, ties to the nearest, on points of a line", "[reduce][probe]") {
    // reference points 0 1 2 (class 0) and 10 11 12 (class 1)
    const Tensor ref(Shape{6, 1}, {0, 1, 2, 10, 11, 12});
    const std::vector<int> ref_y = {0, 0, 0, 1, 1, 1};
    struct Case {
        real q;
        int k, want;
        const char* why;
    };
    const std::vector<Case> cases = {
        {0.4f, 5, 0, "near the first group"},
        {10.6f, 5, 1, "near the second group"},
        {6.0f, 5, 0, "5 nearest: 2, 10 (tie broken by index), 1, 11, 0: three of class 0"},
        {6.0f, 2, 0, "a 1-1 vote goes to the nearest: 2 (tied with 10, lower index first)"},
        {6.2f, 2, 1, "a 1-1 vote goes to the nearest: 10"},
        {6.2f, 6, 1, "a 3-3 vote goes to the nearest: 10"},
        {5.8f, 6, 0, "a 3-3 vote goes to the nearest: 2"},
    };
    for (const Case& c : cases) {
        INFO(c.why);
        const Tensor q(Shape{1, 1}, {c.q});
        CHECK(knn_accuracy(ref, ref_y, q, {c.want}, c.k) == 1.0);
        CHECK(knn_accuracy(ref, ref_y, q, {1 - c.want}, c.k) == 0.0);
    }
    CHECK_THROWS_AS(knn_accuracy(ref, ref_y, Tensor(Shape{1, 1}), {0}, 7), Error);
}

TEST_CASE("linear_probe: near 100% on separable codes, near chance on random labels, whatever the scale", "[reduce][probe]") {
    Rng rng(9);
    auto blobs = [&rng](int n, double scale, Tensor* x, std::vector<int>* y) {  // 3 classes at the corners of a triangle
        *x = Tensor(Shape{n, 2});
        y->clear();
        const double cx[3] = {0, 4, 2}, cy[3] = {0, 0, 3.5};
        for (int i = 0; i < n; i++) {
            const int c = i % 3;
            y->push_back(c);
            x->at(i, 0) = (real)(scale * (cx[c] + 0.5 * rng.normal()));
            x->at(i, 1) = (real)(scale * (cy[c] + 0.5 * rng.normal()));
        }
    };
    for (double scale : {0.01, 1.0, 500.0}) {
        INFO("scale " << scale);
        Tensor xtr, xte;
        std::vector<int> ytr, yte;
        blobs(300, scale, &xtr, &ytr);
        blobs(150, scale, &xte, &yte);
        CHECK(linear_probe(xtr, ytr, xte, yte, 3) > 0.97);
        std::vector<int> shuffled = yte;  // labels unrelated to the codes
        for (int i = (int)shuffled.size() - 1; i > 0; i--) std::swap(shuffled[(size_t)i], shuffled[rng.below((uint64_t)i + 1)]);
        CHECK(linear_probe(xtr, ytr, xte, shuffled, 3) < 0.55);
    }
}
