// test_docs_autoencoder.cpp — what docs/autoencoder.md's clean/corrupted table rests on: evaluate()
// scores clean inputs (its first two numbers) and, for a denoising model, corrupted ones (the third, one
// fixed corruption, the same on every call); for a plain model the two coincide.
#include <catch2/catch.hpp>

#include "models/autoencoder.h"

using namespace tg;

TEST_CASE("autoencoder evaluate: clean inputs, and the denoising task on fixed corrupted inputs", "[models]") {
    Rng r(3);
    Dataset d;
    d.x = Tensor::uniform(Shape{40, 16}, 0, 1, r);
    AutoencoderConfig c;
    c.input = 16; c.hidden = {12}; c.code = 4;
    Autoencoder plain(c, 1);
    double loss, se, noisy;
    evaluate(plain, d, &loss, &se, &noisy);
    CHECK(noisy == se);  // nothing to corrupt

    c.noise = Noise::Mask;
    c.noise_level = 0.5;
    Autoencoder den(c, 1);  // the same seed: the same weights as `plain`
    double loss2, se2, noisy2, noisy3, l3, s3;
    evaluate(den, d, &loss2, &se2, &noisy2);
    CHECK(loss2 == loss);    // clean inputs: the weights are the same, so are the numbers
    CHECK(se2 == se);
    CHECK(noisy2 != se2);    // half the pixels masked: another input, another error
    evaluate(den, d, &l3, &s3, &noisy3);
    CHECK(noisy3 == noisy2); // the corruption is fixed (seed 7), not drawn anew
    double l4, s4;
    evaluate(den, d, &l4, &s4);  // the two-number form still works and is the clean one
    CHECK(s4 == se2);
}
