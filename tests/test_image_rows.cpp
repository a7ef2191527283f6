// test_image_rows.cpp — RGB rows at a conv net's edges (models/image_rows.h): a known 2x2 RGB image, read from a
// PNG by the image-folder loader (channels last), becomes the planar (C, H, W) image the convolutions read, and
// back; the gradients of both reshapes; the conv models built for RGB rows.
#include <catch2/catch.hpp>

#include <filesystem>

#include "autograd/gradcheck.h"
#include "data/image_folder.h"
#include "io/image.h"
#include "io/png.h"
#include "models/cnn.h"
#include "models/conv_autoencoder.h"
#include "models/dcgan.h"
#include "models/image_rows.h"
#include "tests/helpers.h"

using namespace tg;
using namespace tg_test;

TEST_CASE("image rows: a 2x2 RGB image to planar (C, H, W) and back", "[own_data][convmodels]") {
    // pixels (row, col): (0,0) red, (0,1) green, (1,0) blue, (1,1) white
    TempDir t("image_rows");
    std::filesystem::create_directories(t / "one");
    Image img(2, 2, kBlack);
    img.set_pixel(0, 0, {255, 0, 0});
    img.set_pixel(1, 0, {0, 255, 0});
    img.set_pixel(0, 1, {0, 0, 255});
    img.set_pixel(1, 1, {255, 255, 255});
    write_png(t / "one/a.png", img);
    ImageFolderOptions rgb;
    rgb.channels = 3;
    Dataset d = load_image_folder(t.path, rgb);
    REQUIRE(d.dim() == 12);
    CHECK(d.x.data == std::vector<real>{1, 0, 0, 0, 1, 0, 0, 0, 1, 1, 1, 1});  // as loaded: pixel by pixel, R G B
    Tape tape;
    Var planar = rows_to_images(tape.input(d.x), 3, 2, 2);
    REQUIRE(planar.shape() == Shape{1, 3, 2, 2});
    // the R plane (of the red, green, blue, white pixels), then G, then B
    CHECK(planar.value().data == std::vector<real>{1, 0, 0, 1, 0, 1, 0, 1, 0, 0, 1, 1});
    Var back = images_to_rows(planar);
    CHECK(back.shape() == Shape{1, 12});
    CHECK(back.value().data == d.x.data);
    CHECK_THROWS_WITH(rows_to_images(tape.input(d.x), 3, 2, 3), Catch::Contains("rows of 12 values are not 2x3x3 images"));
}

TEST_CASE("image rows: gradients of both reshapes", "[own_data][convmodels]") {
    using V = const std::vector<Var>&;
    Rng rng(5);
    GradcheckResult a = gradcheck("rows_to_images", [](Tape&, V x) { return rows_to_images(x[0], 3, 2, 2); },
                                  {Tensor::uniform(Shape{2, 12}, -1, 1, rng)});
    INFO(a.report());
    CHECK(a.ok);
    GradcheckResult b = gradcheck("images_to_rows", [](Tape&, V x) { return images_to_rows(x[0]); },
                                  {Tensor::uniform(Shape{2, 3, 2, 2}, -1, 1, rng)});
    INFO(b.report());
    CHECK(b.ok);
}

TEST_CASE("conv models on RGB rows: C channels in, rows channels last out", "[convmodels]") {
    Dataset d;
    d.height = d.width = 4, d.channels = 3, d.source = "rgb/";
    Rng rng(2);
    d.x = Tensor::uniform(Shape{2, 4 * 4 * 3}, 0, 1, rng);
    ConvBodyConfig body = conv_body_for(d, "cae");
    CHECK(body.channels == 3);
    ConvAutoencoderConfig ac;
    ac.body = body, ac.code = 5;
    ConvAutoencoder ae(ac, 1);
    CHECK(ae.decode(ae.encode(d.x)).shape == Shape{2, 48});  // back as rows of (H, W, C)
    CNNConfig cc;
    cc.channels = 3, cc.height = cc.width = 4, cc.classes = 2;
    CNN cnn(cc, 1);
    Tape t;
    CHECK(cnn.net(t.input(d.x)).shape() == Shape{2, 2});
    DCGANConfig gc = dcgan_config_for(d);
    CHECK(gc.channels == 3);
    DCGAN g(gc, 1);
    CHECK(g.sample(Tensor::zeros(Shape{2, gc.latent})).shape == Shape{2, 48});
    // a red-only image and the same image with red moved to blue are different inputs to conv1
    Tensor red = Tensor::zeros(Shape{1, 48}), blue = Tensor::zeros(Shape{1, 48});
    for (int p = 0; p < 16; p++) red[(size_t)p * 3] = 1, blue[(size_t)p * 3 + 2] = 1;
    Var pr = rows_to_images(t.input(red), 3, 4, 4), pb = rows_to_images(t.input(blue), 3, 4, 4);
    for (int p = 0; p < 16; p++) {
        CHECK(pr.value()[(size_t)p] == 1);        // all of plane 0 (R)
        CHECK(pb.value()[(size_t)(32 + p)] == 1);  // all of plane 2 (B)
    }
}
