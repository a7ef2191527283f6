// pca.cpp — PCA by eigendecomposition of the D x D covariance (see pca.h and docs/linear-methods.md).
// N = rows, D = input dimension, K = code dimension. Cost: O(N D^2) for the covariance gemm, O(D^3) for
// the eigendecomposition; for Fashion-MNIST (N = 60000, D = 784) the gemm dominates, about a second.
#include "models/pca.h"

#include <algorithm>

#include "autograd/blas.h"
#include "models/linalg.h"

namespace tg {

void PCA::fit(const Dataset& train, int dim, Rng&) {
    const Tensor& X = train.x;  // (N, D)
    const int N = train.size(), D = train.dim();
    if (N < 2)
        throw input_error("pca: the training set " + train.source + " has " + std::to_string(N) +
                          " rows; PCA needs at least 2 to estimate a covariance (raise --train-limit)");
    check_dim("pca", dim, D, "the input dimension");
    check_finite("pca", X, "the training set " + train.source);

    // C = Xc^T Xc / (N - 1): (D, D), the sample covariance
    mean = column_means(X);
    const Tensor Xc = centred(X, mean);  // (N, D)
    Tensor C(Shape{D, D});
    gemm(true, false, D, D, N, real(1.0 / (N - 1)), Xc.ptr(), D, Xc.ptr(), D, 0, C.ptr(), D);

    // C = V^T diag(λ) V, λ descending: the top K rows of V span the K-dim subspace of largest variance
    Tensor lambda, V;
    sym_eig(C, &lambda, &V);
    components = V.first_slice(0, dim);  // (K, D)
    fix_signs(components);

    double total = 0;  // total variance = tr(C) = sum of all eigenvalues
    for (int j = 0; j < D; j++) total += C.at(j, j);
    explained_variance = Tensor(Shape{dim});
    explained_variance_ratio = Tensor(Shape{dim});
    for (int k = 0; k < dim; k++) {
        const double v = std::max((double)lambda[k], 0.0);  // a PSD matrix; round-off can dip below 0
        explained_variance[k] = (real)v;
        explained_variance_ratio[k] = (real)(total > 0 ? v / total : 0.0);
    }
}

// z = (x - mean) W^T: (N, K)
Tensor PCA::encode(const Tensor& x) {
    const int D = mean.size() ? (int)mean.size() : 0, K = components.rows();
    check_rows("pca", x, D);
    const int N = x.rows();
    const Tensor xc = centred(x, mean);
    Tensor z(Shape{N, K});
    gemm(false, true, N, K, D, 1, xc.ptr(), D, components.ptr(), D, 0, z.ptr(), K);
    return z;
}

// x̂ = z W + mean: (N, D)
Tensor PCA::decode(const Tensor& z) {
    const int D = (int)mean.size(), K = components.rows();
    check_rows("pca", z, D ? K : 0, "decode input (codes)");
    const int N = z.rows();
    Tensor x(Shape{N, D});
    gemm(false, false, N, D, K, 1, z.ptr(), K, components.ptr(), D, 0, x.ptr(), D);
    for (int i = 0; i < N; i++)
        for (int j = 0; j < D; j++) x.at(i, j) += mean[j];
    return x;
}

// ----------------------------------------------------------------------------------------------
void PCA::save(Checkpoint& ck) const {
    if (mean.size() == 0) throw Error("pca: save() before fit() or load(); fit the method first");
    ck.set("model", name());
    ck.set("dim", std::to_string(components.rows()));
    ck.set("input_dim", std::to_string(components.cols()));
    ck.put("pca.mean", mean);
    ck.put("pca.components", components);
    ck.put("pca.explained_variance", explained_variance);
    ck.put("pca.explained_variance_ratio", explained_variance_ratio);
}

void PCA::load(const Checkpoint& ck) {
    check_model(ck, name());
    const int K = meta_int(ck, name(), "dim", 1), D = meta_int(ck, name(), "input_dim", K);
    Tensor m(Shape{D}), W(Shape{K, D}), ev(Shape{K}), ratio(Shape{K});  // all checked before any is kept
    restore_tensor(ck, "pca.mean", m);
    restore_tensor(ck, "pca.components", W);
    restore_tensor(ck, "pca.explained_variance", ev);
    restore_tensor(ck, "pca.explained_variance_ratio", ratio);
    mean = m, components = W, explained_variance = ev, explained_variance_ratio = ratio;
}

double pca_test_error(PCA& pca, const Dataset& train, const Dataset& test, int K) {
    Rng unused(0);
    pca.fit(train, K, unused);
    Tensor r = pca.decode(pca.encode(test.x));
    double se = 0;
    for (size_t i = 0; i < r.size(); i++) se += (double)(r[i] - test.x[i]) * (r[i] - test.x[i]);
    return se / test.size();
}

}  // namespace tg
