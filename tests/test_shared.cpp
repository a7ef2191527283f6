// test_shared.cpp — the pieces the examples share instead of writing them again (issue 16): layer sizes as
// text, the one classifier evaluation, per-column standardisation, metrics by column name, method lists,
// and the comparison's method table and commentary.
#include <catch2/catch.hpp>

#include <cmath>
#include <fstream>
#include <sstream>

#include "data/standardise.h"
#include "models/classifier.h"
#include "models/comparison.h"
#include "models/registry.h"
#include "models/sizes.h"
#include "run/metrics.h"
#include "tests/helpers.h"

using namespace tg;
using namespace tg_test;

TEST_CASE("parse_sizes: flags and checkpoint archs alike; bad items named", "[shared]") {
    CHECK(parse_sizes("500,250,30", "--layers") == std::vector<int>({500, 250, 30}));
    CHECK(parse_sizes("784-256-128-10", "arch") == std::vector<int>({784, 256, 128, 10}));
    CHECK(sizes_str({784, 400, 20}) == "784-400-20");
    for (const char* bad : {"", "256,", "0,128", "12a", "-5", "256,,128", "2000000"})
        CHECK_THROWS_WITH(parse_sizes(bad, "--hidden"), Catch::Contains("--hidden: '") && Catch::Contains("is not a positive layer size"));
}

TEST_CASE("evaluate_classifier: loss and accuracy by hand, training mode restored", "[shared]") {
    Classifier c;
    c.build({2, 3}, 0, 7);  // one Linear: logits = W x + b
    Linear& lin = static_cast<Linear&>(*c.net.layers[0]);
    lin.weight.value.data = {1, 0, 0, 1, 0, 0};  // logits (x0, x1, 0)
    lin.bias.value.data = {0, 0, 0};
    Dataset d;
    d.x = Tensor(Shape{4, 2});
    d.x.data = {2, 0, 0, 2, 0, 0, 1, 1};  // argmax 0, 1, first of three equal (0), first of two equal (0)
    d.y = {0, 1, 2, 1};
    d.classes = 3;
    double loss, acc;
    c.net.set_training(true);
    evaluate_classifier(c.net, d, &loss, &acc);
    CHECK(acc == Approx(0.5));  // rows 0 and 1 right; ties go to the first class, as torch.argmax
    auto ce = [](double a, double b, double cc, int y) {  // -log softmax
        double m = std::max(a, std::max(b, cc)), s = std::exp(a - m) + std::exp(b - m) + std::exp(cc - m);
        return -((y == 0 ? a : y == 1 ? b : cc) - m - std::log(s));
    };
    CHECK(loss == Approx((ce(2, 0, 0, 0) + ce(0, 2, 0, 1) + ce(0, 0, 0, 2) + ce(1, 1, 0, 1)) / 4).epsilon(1e-5));
    CHECK(c.net.training);
}

TEST_CASE("Standardiser: zero mean and unit scale per column, a floor for constant columns, undo inverts", "[shared]") {
    Tensor x(Shape{4, 2});
    x.data = {1, 5, 3, 5, 5, 5, 7, 5};  // column 0: mean 4, σ √5; column 1 constant
    Standardiser st;
    st.fit(x);
    CHECK(st.mean[0] == Approx(4));
    CHECK(st.scale[0] == Approx(std::sqrt(5.0)));
    CHECK(st.scale[1] == Approx(0.1));  // the floor
    Tensor y = x;
    st.apply(y);
    CHECK(y.at(0, 0) == Approx(-3 / std::sqrt(5.0)));
    CHECK(y.at(2, 1) == Approx(0).margin(1e-6));
    Tensor back = st.undo(y);
    for (size_t i = 0; i < x.size(); i++) CHECK(back[i] == Approx(x[i]));
    CHECK(Standardiser().undo(x).data == x.data);  // not fitted: the identity
}

TEST_CASE("MetricsLog::add_named: values land in their named columns, the rest empty, unknown names refused", "[shared]") {
    TempDir dir("metrics");
    MetricsLog log(dir.path, {"train_loss", "test_loss", "test_accuracy"});
    log.add_named(1, 0.5, {{"test_accuracy", 0.75}, {"train_loss", 1.5}});
    std::ifstream in(dir.path + "/metrics.csv");
    std::stringstream text;
    text << in.rdbuf();
    CHECK(text.str() == "epoch,seconds,train_loss,test_loss,test_accuracy\n1,0.500,1.5,,0.75\n");
    CHECK_THROWS_WITH(log.add_named(2, 0.5, {{"test_acc", 0.7}}), Catch::Contains("no column 'test_acc'"));
}

TEST_CASE("parse_reducer_names: a list of known methods, an unknown one named with the flag", "[shared]") {
    CHECK(parse_reducer_names("pca,ae", "--methods") == std::vector<std::string>({"pca", "ae"}));
    CHECK_THROWS_WITH(parse_reducer_names("pca,umap", "--methods"), Catch::Contains("--methods: unknown method 'umap'"));
    CHECK_THROWS_WITH(parse_reducer_names("pca,", "--methods"), Catch::Contains("unknown method ''"));
}

TEST_CASE("comparison: every registry method has a row; LDA runs at 9 for 10; a new method at 2, 10, 30", "[shared]") {
    for (const std::string& m : reducer_names()) CHECK(compared_method(m).title != "");
    CHECK(compared_methods().size() == reducer_names().size());
    const ComparedMethod lda = compared_method("lda");
    CHECK(table_ks(lda) == std::vector<int>({2, 9, 30}));
    CHECK(runs_at(lda, 9));
    CHECK_FALSE(runs_at(lda, 30));
    CHECK(table_ks(compared_method("tsne")) == std::vector<int>({2, 10, 30}));
}

TEST_CASE("commentary: the winner per metric and K, by a factor for errors and by points for accuracies", "[shared]") {
    std::vector<ReportRow> rows(3);
    rows[0] = {"pca", 30, "", 0.1, 0.1, NAN, 20, 0.80, 0.81};
    rows[1] = {"ae", 30, "", 1, 0.1, NAN, 10, 0.75, 0.85};
    rows[2] = {"lda", 30, "LDA: at most 9 components (classes - 1)"};
    Commentary c = commentary(rows);
    REQUIRE(c.by_k.size() == 1);
    CHECK(c.by_k[0].first == "K = 30");
    REQUIRE(c.by_k[0].second.size() == 3);
    CHECK(c.by_k[0].second[0] == "reconstruction (squared error per image): ae wins with 10.00, 2.00x lower than pca (20.00); last pca (20.00).");
    CHECK(c.by_k[0].second[1] == "linear probe: pca wins with 80.0%, 5.0 points above ae (75.0%); last ae (75.0%).");
    CHECK_THAT(c.bar, Catch::Contains("PCA's error is 2.00 times the autoencoder's, so the autoencoder wins"));
}
