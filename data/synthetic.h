// synthetic.h — small generated data sets for tests, demos and the manifold-learning baselines.
// Nothing is shipped: each set is drawn from the Rng you pass, so a seed fixes it. N = items.
// Labelled sets interleave their classes (item i has class i % classes), so subset(n) stays balanced.
// Unlabelled sets can hand back the true low-dimensional coordinates through an optional out-param,
// which is what Isomap / LLE / autoencoder tests compare an embedding against.
#pragma once
#include "data/dataset.h"

namespace tg {

// `classes` spiral arms in 2-D, each turning ~1.3 times out from the origin to radius 1; Gaussian noise
// of std `noise` is added to each coordinate. x (N, 2), labels = arm index. classes >= 1.
Dataset spirals(int n, int classes, double noise, Rng& rng);
Dataset two_spirals(int n, double noise, Rng& rng);  // spirals(n, 2, noise, rng)

// Two interleaving half circles of radius 1 in 2-D (class 0 arching up from (-1, 0) to (1, 0); class 1
// arching down from (0, 0.5) to (2, 0.5)), plus Gaussian noise. x (N, 2), labels 0/1.
Dataset moons(int n, double noise, Rng& rng);

// The Swiss roll: a 2-D sheet rolled up in 3-D. With t uniform in [1.5 pi, 4.5 pi], h uniform in [0, 21]:
// x = (t cos t, h, t sin t) + noise. No labels. When `coords` is given it receives (N, 2) rows (t, h),
// the sheet's true unrolled coordinates.
Dataset swiss_roll(int n, double noise, Rng& rng, Tensor* coords = nullptr);

// A smooth k-dimensional manifold in D dimensions (k = intrinsic_dim <= D = ambient_dim):
// latent z uniform in [-1, 1]^k, lifted to phi(z) = (z, sin(pi z), cos(pi z)) in R^{3k}, then mapped
// by one random Gaussian matrix A (D x 3k, entries N(0, 1/(3k))) drawn first from rng:
// x = A phi(z) + noise * N(0, I_D). phi is smooth and one-to-one (it contains z), so the points lie
// on a curved k-dim sheet; for D >= 3k, A is one-to-one too (almost surely) and so is z -> x.
// No labels. When `latent` is given it receives z, (N, k).
Dataset noisy_manifold(int n, int intrinsic_dim, int ambient_dim, double noise, Rng& rng, Tensor* latent = nullptr);

}  // namespace tg
