// sample_quality.h — how good are a generative model's samples? A classifier trained on the real images
// (the MLP of examples/mlp_classifier.cpp, 784-256-128-10) judges them three ways:
//   classifier score  exp(E_x KL(p(y|x) ‖ p(y))): the Inception Score (Salimans et al. 2016) with our
//                     judge; from 1 (all alike or all ambiguous) to C (sharp, and the C classes balanced)
//   Fréchet distance  between Gaussian fits of the judge's penultimate features (the 128 ReLU outputs)
//                     of samples and of real test images: the FID (Heusel et al. 2017); 0 = the same fit
//   mode coverage     the share of samples the judge puts in each class; a collapsed GAN leaves some ~0
// Math and how to read the numbers: docs/sample-quality.md.  N = samples, C = classes, F = features.
#pragma once
#include <functional>
#include <string>
#include <vector>

#include "data/dataset.h"
#include "models/classifier.h"

namespace tg {

// ----------------------------------------------------------------------------------------------
// The judge: the MLP classifier of models/classifier.h, trained on real images.

// The judge on images (N, D) in [0, 1], in evaluation mode (no dropout, no graph), 1000 at a time.
struct Judged {
    Tensor probs;     // (N, C) p(y|x), a softmax of the logits
    Tensor features;  // (N, F) the input of the last layer: the penultimate ReLU outputs
};
Judged judge(Classifier& c, const Tensor& images);

// ----------------------------------------------------------------------------------------------
// The measures, on the judge's outputs.

// exp( (1/N) Σ_i Σ_y p(y|x_i) (log p(y|x_i) - log p(y)) ),  p(y) = (1/N) Σ_i p(y|x_i);  0 log 0 = 0.
double classifier_score(const Tensor& probs);

// share[c] = (samples whose most probable class is c) / N;  min_share = min over c.
struct Coverage { std::vector<double> share; double min_share; };
Coverage mode_coverage(const Tensor& probs);

// A Gaussian fit in double precision: mean (F) and covariance (F, F), row-major, with the unbiased
// 1/(N - 1) of numpy.cov and the reference FID code.
struct GaussianFit {
    int dim = 0;
    std::vector<double> mean, cov;
};
GaussianFit fit_gaussian(const Tensor& features);  // features (N, F), N >= 2

// S with S S = A, for A (n, n) symmetric positive semi-definite, row-major, in double:
// S = Vᵀ diag(√max(λ, 0)) V from the eigendecomposition A = Vᵀ diag(λ) V (tiny negative λ from
// round-off are clamped to 0).
std::vector<double> psd_sqrt(int n, const std::vector<double>& A);

// d² = ‖μ1 − μ2‖² + Tr(Σ1 + Σ2 − 2 (Σ1^½ Σ2 Σ1^½)^½). The last trace is Σ √λ over the eigenvalues of the
// symmetric PSD matrix Σ1^½ Σ2 Σ1^½ (it has the same eigenvalues as Σ1 Σ2). derivation: docs/sample-quality.md
double frechet_distance(const GaussianFit& a, const GaussianFit& b);

// ----------------------------------------------------------------------------------------------
// Putting it together.

// All three measures for a set of images (N, D) in [0, 1], against the real images' feature fit.
struct Quality {
    int n = 0;
    double score = 0, frechet = 0;
    Coverage coverage;
};
Quality judge_samples(Classifier& c, const Tensor& images, const GaussianFit& real);

// What a perfect generator would get: the real test set's own score and coverage (its Fréchet distance
// to itself is 0), and the distance between its two halves (the noise floor of a 5000-image fit).
struct References {
    GaussianFit test_fit;  // of all test images: the `real` every model is compared with
    Quality test;          // the whole test set (frechet = 0)
    Quality halves;        // the first half, with frechet = the distance between the two halves
};
References reference_quality(Classifier& c, const Dataset& test);

// A generator z (n, K) -> images (n, D), applied to the rows of z `batch` at a time (bounded memory).
using GenerateFn = std::function<Tensor(const Tensor&)>;
Tensor generate_in_batches(const GenerateFn& g, const Tensor& z, int batch = 1000);

}  // namespace tg
