// lda.cpp — LDA by the generalized symmetric eigenproblem S_b v = λ S_w v (see lda.h).
// N = rows, D = input dimension, C = classes, K = code dimension. Both scatters are built by one gemm
// each from centred copies of the data; scaling both by 1/N changes neither the directions nor λ.
#include "models/lda.h"

#include <algorithm>
#include <cmath>
#include <vector>

#include "autograd/blas.h"
#include "models/linalg.h"

namespace tg {

void LDA::fit(const Dataset& train, int dim, Rng&) {
    const Tensor& X = train.x;  // (N, D)
    const int N = train.size(), D = train.dim();
    if (!train.has_labels())
        throw input_error("lda: LDA is supervised: the training set " + train.source +
                          " needs labels; load its labels file too, or use an unsupervised method (pca)");
    if ((int)train.y.size() != N)
        throw input_error("lda: the training set " + train.source + " has " + std::to_string(N) + " rows but " +
                          std::to_string(train.y.size()) + " labels; pass one label per row");
    int C = 0;
    for (int label : train.y) {
        if (label < 0)
            throw input_error("lda: the training set " + train.source + " has a negative label " +
                              std::to_string(label) + "; labels must be 0, 1, ..., classes - 1");
        C = std::max(C, label + 1);
    }
    std::vector<int> count(C, 0);
    for (int label : train.y) count[label]++;
    const int present = (int)std::count_if(count.begin(), count.end(), [](int c) { return c > 0; });
    if (present < 2)
        throw input_error("lda: the training set " + train.source +
                          " has only one class; LDA separates classes and needs at least 2 (raise --train-limit?)");
    if (present - 1 <= D)
        check_dim("lda", dim, present - 1,
                  "LDA gives at most classes - 1 = " + std::to_string(present - 1) +
                      " directions: S_b is built from " + std::to_string(present) +
                      " class means around their mean, so its rank is at most " + std::to_string(present - 1));
    else
        check_dim("lda", dim, D, "the input dimension");
    check_finite("lda", X, "the training set " + train.source);

    // class means M (C, D) and the overall mean
    std::vector<double> sums((size_t)C * D, 0.0);
    for (int i = 0; i < N; i++)
        for (int j = 0; j < D; j++) sums[(size_t)train.y[i] * D + j] += X.at(i, j);
    Tensor M(Shape{C, D});
    for (int c = 0; c < C; c++)
        for (int j = 0; j < D; j++) M.at(c, j) = (real)(count[c] ? sums[(size_t)c * D + j] / count[c] : 0.0);
    mean = column_means(X);

    // S_w = Xw^T Xw / N with Xw = X - M[y] (each row minus its class mean): (D, D)
    Tensor Xw = X;
    for (int i = 0; i < N; i++)
        for (int j = 0; j < D; j++) Xw.at(i, j) -= M.at(train.y[i], j);
    Tensor Sw(Shape{D, D});
    gemm(true, false, D, D, N, real(1.0 / N), Xw.ptr(), D, Xw.ptr(), D, 0, Sw.ptr(), D);

    // S_b = Mb^T Mb with row c of Mb = sqrt(n_c / N) (M_c - mean), so S_b = sum_c (n_c/N) (M_c-mean)(M_c-mean)^T
    Tensor Mb(Shape{C, D});
    for (int c = 0; c < C; c++) {
        const double w = std::sqrt((double)count[c] / N);
        for (int j = 0; j < D; j++) Mb.at(c, j) = (real)(w * (M.at(c, j) - mean[j]));
    }
    Tensor Sb(Shape{D, D});
    gemm(true, false, D, D, C, 1, Mb.ptr(), D, Mb.ptr(), D, 0, Sb.ptr(), D);

    // shrinkage: S_w + α (tr(S_w)/D) I is positive definite even when S_w is singular
    double trace = 0;
    for (int j = 0; j < D; j++) trace += Sw.at(j, j);
    const double ridge = trace > 0 ? shrinkage * trace / D : shrinkage;  // tr = 0: every point on its class mean
    for (int j = 0; j < D; j++) Sw.at(j, j) += (real)ridge;

    // S_b v = λ S_w v: the top K v maximize the Fisher ratio (v^T S_b v) / (v^T S_w v)
    Tensor lambda, V;
    sym_gen_eig(Sb, Sw, &lambda, &V);
    components = V.first_slice(0, dim);  // (K, D)
    fix_signs(components);
    eigenvalues = lambda.first_slice(0, dim);
}

// z = (x - mean) W^T: (N, K)
Tensor LDA::encode(const Tensor& x) {
    const int D = (int)mean.size(), K = components.rows();
    check_rows("lda", x, D);
    const int N = x.rows();
    const Tensor xc = centred(x, mean);
    Tensor z(Shape{N, K});
    gemm(false, true, N, K, D, 1, xc.ptr(), D, components.ptr(), D, 0, z.ptr(), K);
    return z;
}

// ----------------------------------------------------------------------------------------------
void LDA::save(Checkpoint& ck) const {
    if (mean.size() == 0) throw Error("lda: save() before fit() or load(); fit the method first");
    ck.set("model", name());
    ck.set("dim", std::to_string(components.rows()));
    ck.set("input_dim", std::to_string(components.cols()));
    ck.set("shrinkage", exact_str(shrinkage));
    ck.put("lda.mean", mean);
    ck.put("lda.components", components);
    ck.put("lda.eigenvalues", eigenvalues);
}

void LDA::load(const Checkpoint& ck) {
    check_model(ck, name());
    const int K = meta_int(ck, name(), "dim", 1), D = meta_int(ck, name(), "input_dim", K);
    Tensor m(Shape{D}), W(Shape{K, D}), ev(Shape{K});  // all checked before any is kept
    restore_tensor(ck, "lda.mean", m);
    restore_tensor(ck, "lda.components", W);
    restore_tensor(ck, "lda.eigenvalues", ev);
    mean = m, components = W, eigenvalues = ev;
}

}  // namespace tg
