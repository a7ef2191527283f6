// sample_quality.cpp — the judge's outputs on images, the classifier score, mode coverage, Gaussian fits
// and the Fréchet distance, and the reference numbers of real data.
// The fits and the distance are in double whatever `real` is: the distance is a difference of traces of
// ~10² that must come out near 0 for two samples of the same images. derivations: docs/sample-quality.md
#include "models/sample_quality.h"

#include <algorithm>
#include <cmath>
#include <cstdio>

#include "data/batcher.h"
#include "io/checkpoint.h"
#include "models/linalg.h"

namespace tg {

// ----------------------------------------------------------------------------------------------
// the judge's outputs

Judged judge(Classifier& c, const Tensor& images) {
    const int N = images.dim(0), C = c.classes();
    const int F = static_cast<const Linear&>(*c.net.layers.back()).in();
    for (size_t i = 0; i < images.size(); i++)
        if (!(images[i] >= -1e-3 && images[i] <= 1 + 1e-3))  // also catches NaN
            throw Error("judge: image values must be in [0, 1], found " + std::to_string(images[i]) + " in image " +
                        std::to_string(i / images.cols()) + "; map a tanh generator's samples with (x + 1) / 2 (NaN: it diverged)");
    bool was_training = c.net.training;
    c.net.set_training(false);
    Judged out{Tensor(Shape{N, C}), Tensor(Shape{N, F})};
    Tape tape;
    for (int i0 = 0; i0 < N; i0 += 1000) {
        int i1 = std::min(N, i0 + 1000);
        tape.reset();
        NoGrad ng(tape);
        Var h = tape.input(images.first_slice(i0, i1));
        for (size_t l = 0; l + 1 < c.net.layers.size(); l++) h = c.net.layers[l]->forward(h);  // (n, F)
        Var probs = softmax(c.net.layers.back()->forward(h));                                   // (n, C)
        std::copy(h.value().data.begin(), h.value().data.end(), out.features.ptr() + (size_t)i0 * F);
        std::copy(probs.value().data.begin(), probs.value().data.end(), out.probs.ptr() + (size_t)i0 * C);
    }
    c.net.set_training(was_training);
    return out;
}

// ----------------------------------------------------------------------------------------------
// the measures

double classifier_score(const Tensor& probs) {
    const int N = probs.rows(), C = probs.cols();
    std::vector<double> py(C, 0);  // p(y), the marginal over the samples
    for (int i = 0; i < N; i++)
        for (int y = 0; y < C; y++) py[y] += probs.at(i, y) / (double)N;
    double kl = 0;  // Σ_i KL(p(y|x_i) ‖ p(y))
    for (int i = 0; i < N; i++)
        for (int y = 0; y < C; y++) {
            double p = probs.at(i, y);
            if (p > 0) kl += p * (std::log(p) - std::log(py[y]));  // p > 0 implies p(y) > 0
        }
    return std::exp(kl / N);
}

Coverage mode_coverage(const Tensor& probs) {
    const int N = probs.rows(), C = probs.cols();
    std::vector<long> count(C, 0);
    for (int i = 0; i < N; i++) {
        const real* row = probs.ptr() + (size_t)i * C;
        count[std::max_element(row, row + C) - row]++;
    }
    Coverage cov{std::vector<double>(C), 0};
    for (int c = 0; c < C; c++) cov.share[c] = (double)count[c] / N;
    cov.min_share = *std::min_element(cov.share.begin(), cov.share.end());
    return cov;
}

GaussianFit fit_gaussian(const Tensor& features) {
    const int N = features.rows(), F = features.cols();
    if (N < 2) throw Error("fit_gaussian: needs at least 2 rows to estimate a covariance, got " + std::to_string(N));
    GaussianFit g{F, std::vector<double>(F, 0), std::vector<double>((size_t)F * F, 0)};
    for (int i = 0; i < N; i++)
        for (int j = 0; j < F; j++) g.mean[j] += features.at(i, j);
    for (double& m : g.mean) m /= N;
    std::vector<double> c(F);
    for (int i = 0; i < N; i++) {  // Σ (x - μ)(x - μ)ᵀ, upper triangle
        for (int j = 0; j < F; j++) c[j] = features.at(i, j) - g.mean[j];
        for (int j = 0; j < F; j++)
            for (int k = j; k < F; k++) g.cov[(size_t)j * F + k] += c[j] * c[k];
    }
    for (int j = 0; j < F; j++)
        for (int k = j; k < F; k++) g.cov[(size_t)k * F + j] = g.cov[(size_t)j * F + k] /= (N - 1);
    return g;
}

std::vector<double> psd_sqrt(int n, const std::vector<double>& A) {
    std::vector<double> V = A, lambda;
    sym_eig_double(n, V, lambda);  // V's rows become the unit eigenvectors
    std::vector<double> S((size_t)n * n, 0);
    for (int k = 0; k < n; k++) {  // S += √λ_k v_k v_kᵀ
        double s = std::sqrt(std::max(lambda[k], 0.0));
        const double* v = &V[(size_t)k * n];
        for (int i = 0; i < n; i++)
            for (int j = 0; j < n; j++) S[(size_t)i * n + j] += s * v[i] * v[j];
    }
    return S;
}

// C = A B for (n, n) row-major matrices in double
static std::vector<double> matmul(int n, const std::vector<double>& A, const std::vector<double>& B) {
    std::vector<double> C((size_t)n * n, 0);
    for (int i = 0; i < n; i++)
        for (int k = 0; k < n; k++) {
            double a = A[(size_t)i * n + k];
            for (int j = 0; j < n; j++) C[(size_t)i * n + j] += a * B[(size_t)k * n + j];
        }
    return C;
}

double frechet_distance(const GaussianFit& a, const GaussianFit& b) {
    if (a.dim != b.dim || a.dim == 0)
        throw Error("frechet_distance: Gaussians of " + std::to_string(a.dim) + " and " + std::to_string(b.dim) +
                    " dimensions; fit both on the same features");
    const int n = a.dim;
    double d2 = 0, traces = 0;
    for (int i = 0; i < n; i++) {
        d2 += (a.mean[i] - b.mean[i]) * (a.mean[i] - b.mean[i]);
        traces += a.cov[(size_t)i * n + i] + b.cov[(size_t)i * n + i];
    }
    std::vector<double> S = psd_sqrt(n, a.cov);
    std::vector<double> M = matmul(n, matmul(n, S, b.cov), S), lambda;  // Σ1^½ Σ2 Σ1^½: symmetric PSD
    for (int i = 0; i < n; i++)
        for (int j = i + 1; j < n; j++)  // symmetrize away the round-off
            M[(size_t)i * n + j] = M[(size_t)j * n + i] = (M[(size_t)i * n + j] + M[(size_t)j * n + i]) / 2;
    sym_eig_double(n, M, lambda);
    double tr_sqrt = 0;  // Tr (Σ1^½ Σ2 Σ1^½)^½ = Σ √λ
    for (double l : lambda) tr_sqrt += std::sqrt(std::max(l, 0.0));
    return d2 + traces - 2 * tr_sqrt;
}

// ----------------------------------------------------------------------------------------------
// putting it together

Quality judge_samples(Classifier& c, const Tensor& images, const GaussianFit& real) {
    Judged j = judge(c, images);
    Quality q;
    q.n = images.dim(0);
    q.score = classifier_score(j.probs);
    q.coverage = mode_coverage(j.probs);
    q.frechet = frechet_distance(fit_gaussian(j.features), real);
    return q;
}

References reference_quality(Classifier& c, const Dataset& test) {
    const int N = test.size(), half = N / 2;
    Judged j = judge(c, test.x);
    References r;
    r.test_fit = fit_gaussian(j.features);
    r.test.n = N;
    r.test.score = classifier_score(j.probs);
    r.test.coverage = mode_coverage(j.probs);
    r.test.frechet = 0;
    Tensor first = j.probs.first_slice(0, half);
    r.halves.n = half;
    r.halves.score = classifier_score(first);
    r.halves.coverage = mode_coverage(first);
    r.halves.frechet = frechet_distance(fit_gaussian(j.features.first_slice(0, half)), fit_gaussian(j.features.first_slice(half, N)));
    return r;
}

Tensor generate_in_batches(const GenerateFn& g, const Tensor& z, int batch) {
    const int N = z.dim(0);
    Tensor out;
    for (int i0 = 0; i0 < N; i0 += batch) {
        Tensor x = g(z.first_slice(i0, std::min(N, i0 + batch)));
        if (i0 == 0) out = Tensor(Shape{N, x.cols()});
        std::copy(x.data.begin(), x.data.end(), out.ptr() + (size_t)i0 * x.cols());
    }
    return out;
}

}  // namespace tg
