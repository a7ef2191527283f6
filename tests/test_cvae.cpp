// test_cvae.cpp — the class-conditional VAE (models/cvae.h): its full loss under gradcheck (every entry of every
// parameter, tight in the double build), the label reaching the decoder (another one-hot, another image), the
// shared training epoch lowering its loss, and labels outside the model's classes refused by name.
#include <catch2/catch.hpp>

#include <cmath>

#include "autograd/gradcheck.h"
#include "models/cvae.h"

using namespace tg;

namespace {
Tensor pixels(int n, int d, uint64_t seed) {  // values in (0, 1), like pixels
    Rng r(seed);
    return Tensor::uniform(Shape{n, d}, 0.05, 0.95, r);
}
CVAEConfig tiny_config(real beta = 1) {
    CVAEConfig c;
    c.input = 12; c.hidden = 7; c.latent = 3; c.classes = 4; c.beta = beta;
    return c;
}
}  // namespace

TEST_CASE("cVAE: gradcheck of the full negative conditional ELBO with a fixed ε", "[models][gradcheck]") {
    for (real beta : {real(1), real(4)}) {
        CVAE vae(tiny_config(beta), 5);
        Tensor x = pixels(4, 12, 1);
        const std::vector<int> y = {0, 3, 1, 3};
        Rng r(2);
        Tensor eps = Tensor::normal(Shape{4, 3}, 0, 1, r);
        GradcheckResult g = gradcheck("cvae nelbo", [&](Tape& t, const std::vector<Var>&) { return vae.loss(t, x, y, eps).objective; }, {},
                                      vae.params());
        INFO("beta " << beta << "\n" << g.report());
        CHECK(g.ok);
        CHECK(g.tensors.size() == 8);
    }
}

TEST_CASE("cVAE: the one-hot label changes the decoder's output and the loss", "[models]") {
    CVAE vae(tiny_config(), 5);
    Rng r(3);
    Tensor z = Tensor::normal(Shape{1, 3}, 0, 1, r);
    Tensor a = vae.decode(z, {0}), b = vae.decode(z, {2});  // one z, two classes
    REQUIRE((a.rows() == 1 && a.cols() == 12));
    double diff = 0;
    for (int j = 0; j < 12; j++) diff += std::fabs(a[j] - b[j]);
    CHECK(diff > 1e-3);
    // the same z and label twice: the same image (no hidden randomness in decode)
    Tensor a2 = vae.decode(z, {0});
    for (int j = 0; j < 12; j++) CHECK(a2[j] == a[j]);
    // and the label reaches the loss through the encoder and the decoder
    Tensor x = pixels(2, 12, 4), eps = Tensor::normal(Shape{2, 3}, 0, 1, r);
    Tape t;
    double l1 = vae.loss(t, x, {1, 1}, eps).objective.item();
    t.reset();
    double l2 = vae.loss(t, x, {1, 2}, eps).objective.item();
    CHECK(std::fabs(l1 - l2) > 1e-6);
    CHECK(one_hot({2, 0}, 3).data == std::vector<real>{0, 0, 1, 1, 0, 0});
}

TEST_CASE("cVAE: the shared VAE epoch lowers the loss on a labelled toy set; bad labels are named", "[models][train]") {
    // two classes of 12-pixel "images": class 0 bright on the left half, class 1 on the right
    Dataset d;
    Rng r(9);
    d.x = Tensor(Shape{64, 12});
    for (int i = 0; i < 64; i++) {
        d.y.push_back(i % 2);
        for (int j = 0; j < 12; j++) d.x.at(i, j) = ((j < 6) == (i % 2 == 0)) ? 0.8f + 0.1f * (real)r.uniform() : 0.1f * (real)r.uniform();
    }
    d.classes = 2;
    CVAEConfig c = tiny_config();
    c.classes = 2;
    CVAE vae(c, 1);
    Adam opt(vae.params(), 1e-2);
    Batcher batches(d, 16, 1);
    Tape tape;
    const double before = evaluate(vae, d).nelbo;
    for (int e = 0; e < 30; e++) {
        batches.start_epoch(e);
        train_epoch(vae, batches, opt, tape);
    }
    const double after = evaluate(vae, d).nelbo;
    INFO("nelbo before " << before << " after " << after);
    CHECK(after < before - 1);
    // after training, asking for class 0 draws a brighter left half than asking for class 1
    Rng g(4);
    Tensor left = vae.generate({0}, g);
    double l = 0, rgt = 0;
    for (int j = 0; j < 12; j++) (j < 6 ? l : rgt) += left[j];
    CHECK(l > rgt);
    CHECK_THROWS_WITH(one_hot({0, 5}, 4), Catch::Contains("label 5 of item 1 is outside [0, 4)"));
    Dataset unlabelled = d;
    unlabelled.y.clear();
    CHECK_THROWS_WITH(evaluate(vae, unlabelled), Catch::Contains("has no labels"));
}
