// test_conv_models.cpp — the convolutional models' full losses under gradcheck on tiny instances (every
// entry of every parameter, tight in the double build): the CNN classifier, the conv autoencoder (even and
// odd image sizes: output_padding 1 and 0), the conv VAE, and the DCGAN's D and G losses with BatchNorm2d;
// short fixed-seed trainings on Fashion-MNIST whose test loss must fall; arch strings read back.
#include <catch2/catch.hpp>

#include "autograd/gradcheck.h"
#include "io/idx.h"
#include "models/cnn.h"
#include "models/conv_autoencoder.h"
#include "models/conv_vae.h"
#include "models/dcgan.h"
#include "tests/helpers.h"

using namespace tg;
using namespace tg_test;

namespace {
Tensor pixels(int n, int d, uint64_t seed) {  // values in (0, 1), like pixels
    Rng r(seed);
    return Tensor::uniform(Shape{n, d}, 0.05, 0.95, r);
}
ConvBodyConfig tiny_body(int h, int w) {
    ConvBodyConfig b;
    b.height = h, b.width = w, b.conv1 = 3, b.conv2 = 4;
    return b;
}
}  // namespace

TEST_CASE("CNN classifier: gradcheck of the cross-entropy with a fixed dropout mask", "[convmodels][gradcheck]") {
    CNNConfig c;
    c.height = c.width = 8, c.conv1 = 3, c.conv2 = 4, c.hidden = 5, c.classes = 3, c.dropout = 0.3;
    CNN cnn(c, 5);
    Tensor x = pixels(4, 64, 1);
    const std::vector<int> y = {0, 2, 1, 2};
    GradcheckResult g = gradcheck("cnn", [&](Tape& t, const std::vector<Var>&) {
        cnn.rng.state = 99;  // the same dropout mask at every evaluation
        return cnn.loss(t, x, y);
    }, {}, cnn.params());
    INFO(g.report());
    CHECK(g.ok);
    CHECK(g.tensors.size() == 8);  // conv1, conv2, fc1, fc2: weight and bias each
    CHECK(parse_cnn_arch(cnn.arch(), "test").conv2 == 4);
}

TEST_CASE("conv autoencoder: gradcheck of the BCE loss at even and odd image sizes", "[convmodels][gradcheck]") {
    for (int side : {8, 7}) {  // 8 -> 4 -> 2, back with output_padding 1 twice; 7 -> 4 -> 2, back 2 -> 4 (1) -> 7 (0)
        ConvAutoencoderConfig c;
        c.body = tiny_body(side, side);
        c.code = 2;
        ConvAutoencoder ae(c, 3);
        Tensor x = pixels(3, side * side, 4);
        GradcheckResult g = gradcheck("cae", [&](Tape& t, const std::vector<Var>&) { return ae.loss(t, x); }, {}, ae.params());
        INFO("side " << side << "\n" << g.report());
        CHECK(g.ok);
        CHECK(g.tensors.size() == 12);  // 3 layers each side, weight and bias
        Tensor z = ae.encode(x);
        CHECK(z.shape == Shape({3, 2}));
        CHECK(ae.decode(z).shape == x.shape);
    }
}

TEST_CASE("conv VAE: gradcheck of the negative ELBO with a fixed eps", "[convmodels][gradcheck]") {
    ConvVAEConfig c;
    c.body = tiny_body(8, 8);
    c.latent = 2;
    ConvVAE vae(c, 5);
    Tensor x = pixels(4, 64, 1);
    Rng r(2);
    Tensor eps = Tensor::normal(Shape{4, 2}, 0, 1, r);
    GradcheckResult g = gradcheck("conv vae", [&](Tape& t, const std::vector<Var>&) { return vae.loss(t, x, eps).objective; }, {}, vae.params());
    INFO(g.report());
    CHECK(g.ok);
    CHECK(g.tensors.size() == 12);
    CHECK(parse_conv_vae_arch(vae.arch(), "test").latent == 2);
}

TEST_CASE("DCGAN: gradcheck of D's params through the D loss and G's (BatchNorm2d included) through the G loss", "[convmodels][gradcheck]") {
    for (bool d_bn : {true, false}) {  // D with BatchNorm (two passes: real, fake) and without (one stacked pass)
        DCGANConfig c;
        c.height = c.width = 8, c.latent = 3, c.g1 = 4, c.g2 = 3, c.d1 = 3, c.d2 = 4, c.d_batchnorm = d_bn;
        DCGAN dcgan(c, 5);
        Tensor x = pixels(4, 64, 1);
        for (real& v : x.data) v = 2 * v - 1;
        Rng r(2);
        Tensor z = Tensor::normal(Shape{4, 3}, 0, 1, r);
        GradcheckResult gd = gradcheck("dcgan D", [&](Tape& t, const std::vector<Var>&) { return discriminator_loss(dcgan.gan, t, x, z).loss; },
                                       {}, dcgan.gan.d_params());
        GradcheckResult gg = gradcheck("dcgan G", [&](Tape& t, const std::vector<Var>&) { return generator_loss(dcgan.gan, t, z); },
                                       {}, dcgan.gan.g_params());
        INFO("D BatchNorm " << d_bn << "\n" << gd.report() << gg.report());
#ifdef TAPEGRAD_DOUBLE  // in float, finite differences across D's many LeakyReLU kinks are too coarse (rel. err. 0.1-0.25
        CHECK(gd.ok);       // on conv2, one-sided near kinks); the double build is where this check holds (docs/gradcheck.md)
        CHECK(gg.ok);
#else
        if (!d_bn) CHECK(gg.ok);  // G's loss through D's BatchNorm over 4 images of 2x2: as coarse in float (G's fc 0.2)
#endif
        // conv1 weight and bias, conv2 weight (+ bias without BatchNorm), bn2 γ β (with it), fc weight and bias
        CHECK(gd.tensors.size() == (d_bn ? 7u : 6u));
        CHECK(gg.tensors.size() == 8);  // fc weight, bn1 γ β, deconv1 weight, bn2 γ β, deconv2 weight and bias
        CHECK(dcgan.buffers().size() == (d_bn ? 6u : 4u));  // each BatchNorm2d's running mean and variance, G's and D's
        DCGANConfig back = parse_dcgan_arch(dcgan.arch(), "test");
        CHECK(back.g2 == 3);
        CHECK(back.d_batchnorm == d_bn);
        // sampling is in evaluation mode: a sample does not depend on the others in its batch
        Tensor one = dcgan.sample(z.first_slice(0, 1)), four = dcgan.sample(z);
        for (int i = 0; i < 64; i++) CHECK(one[(size_t)i] == Approx(four[(size_t)i]).margin(1e-6));
    }
}

TEST_CASE("conv models: malformed arch strings and non-image data are input errors", "[convmodels]") {
    CHECK(error_of([] { parse_cnn_arch("784-10", "x.ckpt"); }).code == EXIT_BAD_INPUT);
    CHECK(error_of([] { parse_conv_vae_arch("1x28x28-c32", "x.ckpt"); }).code == EXIT_BAD_INPUT);
    CHECK(error_of([] { parse_dcgan_arch("1x28x28", "x.ckpt"); }).code == EXIT_BAD_INPUT);
    CHECK(error_of([] { parse_dcgan_arch("1x28x28-z100-g128-g64-d64-d128-xx", "x.ckpt"); }).code == EXIT_BAD_INPUT);
    CHECK_FALSE(parse_dcgan_arch("1x28x28-z100-g128-g64-d64-d128", "old.ckpt").d_batchnorm);  // before D had BatchNorm
    Dataset rows;
    rows.x = Tensor(Shape{5, 6});
    Thrown t = error_of([&] { conv_body_for(rows, "cae"); });
    CHECK(t.code == EXIT_BAD_INPUT);
    CHECK_THAT(t.msg, Catch::Contains("not images"));
    DCGANConfig odd;
    odd.height = odd.width = 10;
    CHECK(error_of([&] { DCGAN d(odd, 1); }).code == EXIT_BAD_INPUT);
}

TEST_CASE("CNN and conv autoencoder: a short fixed-seed training on Fashion-MNIST lowers the test loss", "[convmodels][train]") {
    Dataset train = load_idx_split(DEFAULT_DATA_DIR, true).subset(1000), test = load_idx_split(DEFAULT_DATA_DIR, false).subset(300);
    CNNConfig c;
    c.conv1 = 8, c.conv2 = 8, c.hidden = 32;
    CNN cnn(c, 1);
    CNNEval before = evaluate(cnn, test);
    Adam opt(cnn.params(), 3e-3);
    Batcher b(train, 50, 1);
    Tape tape;
    for (int e = 0; e < 3; e++) { b.start_epoch(e); train_epoch(cnn, b, opt, tape); }
    CNNEval after = evaluate(cnn, test);
    INFO("CNN test accuracy " << before.accuracy << " -> " << after.accuracy << ", loss " << before.loss << " -> " << after.loss);
    CHECK(after.accuracy > 0.5);            // chance is 0.1
    CHECK(after.loss < before.loss - 0.5);  // ln 10 = 2.3 at initialisation

    ConvAutoencoderConfig ac;
    ac.body.conv1 = 8, ac.body.conv2 = 8;
    ac.code = 8;
    ConvAutoencoder ae(ac, 1);
    CAEEval e0 = evaluate(ae, test);
    Adam aopt(ae.params(), 3e-3);
    for (int e = 0; e < 3; e++) { b.start_epoch(e); train_epoch(ae, b, aopt, tape); }
    CAEEval e1 = evaluate(ae, test);
    INFO("CAE test squared error per image " << e0.sq_error << " -> " << e1.sq_error);
    CHECK(e1.sq_error < 0.6 * e0.sq_error);
}

TEST_CASE("conv body: grayscale or RGB images; rows that are not images are refused by name", "[convmodels]") {
    Dataset d;
    d.height = d.width = 4, d.source = "rgb/";
    d.x = Tensor::zeros(Shape{2, 4 * 4});
    CHECK(conv_body_for(d, "cae").channels == 1);
    d.channels = 3, d.x = Tensor::zeros(Shape{2, 3 * 4 * 4});
    CHECK(conv_body_for(d, "cae").channels == 3);  // read channels last (models/image_rows.h, tests/test_image_rows.cpp)
    d.x = Tensor::zeros(Shape{2, 17});
    Thrown t = error_of([&] { conv_body_for(d, "cae"); });
    CHECK(t.code == EXIT_BAD_INPUT);
    CHECK_THAT(t.msg, Catch::Contains("holds rows of 17 values, not images"));
}
