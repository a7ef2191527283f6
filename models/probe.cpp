// probe.cpp — the linear probe and the k-NN vote (see probe.h).
// N = reference (train) codes, M = query (test) codes, K = code dimension, C = classes, B = batch.
#include "models/probe.h"

#include <algorithm>
#include <cmath>

#include "data/batcher.h"
#include "nn/train.h"
#include "autograd/blas.h"
#include "nn/layers.h"
#include "nn/optim.h"

namespace tg {

// (x - mean) / std per column, with the mean and std of `ref` (a constant column gets std 1)
static Tensor standardised(const Tensor& x, const Tensor& ref) {
    const int N = ref.rows(), K = ref.cols();
    Tensor out = x;
    for (int j = 0; j < K; j++) {
        double s = 0, s2 = 0;
        for (int i = 0; i < N; i++) s += ref.at(i, j), s2 += (double)ref.at(i, j) * ref.at(i, j);
        const double mean = s / N, var = std::max(0.0, s2 / N - mean * mean);
        const double sd = var > 0 ? std::sqrt(var) : 1.0;
        for (int i = 0; i < x.rows(); i++) out.at(i, j) = (real)((x.at(i, j) - mean) / sd);
    }
    return out;
}

double linear_probe(const Tensor& train_codes, const std::vector<int>& train_y, const Tensor& test_codes,
                    const std::vector<int>& test_y, int classes, const ProbeOptions& opt) {
    const int K = train_codes.cols();
    if (train_codes.rows() != (int)train_y.size() || test_codes.rows() != (int)test_y.size() || test_codes.cols() != K)
        throw Error("linear_probe: codes " + train_codes.shape.str() + " / " + test_codes.shape.str() + " do not match " +
                    std::to_string(train_y.size()) + " / " + std::to_string(test_y.size()) + " labels");
    Dataset train;  // the standardised train codes as a set the Batcher can walk
    train.x = standardised(train_codes, train_codes);
    train.y = train_y;
    train.classes = classes;
    Rng rng(opt.seed);
    Linear probe("probe", K, classes, rng);  // logits = z W^T + b: (B, C)
    Adam adam(probe.params(), opt.lr);
    Batcher batches(train, opt.batch, rng.next_u64());
    Tape tape;
    for (int e = 0; e < opt.epochs; e++) {
        batches.start_epoch(e);
        optimize_epoch("linear probe", batches, adam, tape, [&probe](Tape& t, const Tensor& xb, const std::vector<int>& yb) {
            return cross_entropy(probe(t.input(xb)), yb);
        }, nullptr);
    }
    const Tensor logits = apply_nograd(standardised(test_codes, train_codes), [&probe](Var z) { return probe(z); });  // (M, C)
    return accuracy(logits, test_y);  // data/dataset.h
}

// Ranking the reference rows r by distance to a query q only needs |r|² - 2 q·r (|q|² is the same for all of
// them): one gemm per block of queries, then one pass over each row keeping the k best in a sorted array.
double knn_accuracy(const Tensor& ref, const std::vector<int>& ref_y, const Tensor& query,
                    const std::vector<int>& query_y, int k) {
    const int N = ref.rows(), M = query.rows(), K = ref.cols();
    if (N != (int)ref_y.size() || M != (int)query_y.size() || query.cols() != K)
        throw Error("knn_accuracy: codes " + ref.shape.str() + " / " + query.shape.str() + " do not match their labels");
    if (k < 1 || k > N) throw Error("knn_accuracy: k = " + std::to_string(k) + " must be in [1, " + std::to_string(N) + "]");
    const int C = 1 + *std::max_element(ref_y.begin(), ref_y.end());
    std::vector<double> r2((size_t)N, 0.0);  // |r|²
    for (int j = 0; j < N; j++)
        for (int c = 0; c < K; c++) r2[(size_t)j] += (double)ref.at(j, c) * ref.at(j, c);
    const int kBlock = 256;
    Tensor qr(Shape{kBlock, N});                 // (m, N): q·r for a block of queries
    std::vector<double> best_d((size_t)k + 1);   // the k smallest scores so far, ascending, and their rows
    std::vector<int> best_j((size_t)k + 1), votes((size_t)C);
    long correct = 0;
    for (int m0 = 0; m0 < M; m0 += kBlock) {
        const int m = std::min(kBlock, M - m0);
        gemm(false, true, m, N, K, 1, query.ptr() + (size_t)m0 * K, K, ref.ptr(), K, 0, qr.ptr(), N);
        for (int i = 0; i < m; i++) {
            int filled = 0;
            const real* row = qr.ptr() + (size_t)i * N;
            for (int j = 0; j < N; j++) {
                const double d = r2[(size_t)j] - 2.0 * row[j];
                if (filled == k && d >= best_d[(size_t)k - 1]) continue;  // not among the k best (ties: the lower index stays)
                int p = filled < k ? filled++ : k - 1;                    // insert, dropping the worst when full
                while (p > 0 && best_d[(size_t)p - 1] > d) best_d[(size_t)p] = best_d[(size_t)p - 1], best_j[(size_t)p] = best_j[(size_t)p - 1], p--;
                best_d[(size_t)p] = d, best_j[(size_t)p] = j;
            }
            std::fill(votes.begin(), votes.end(), 0);
            for (int j = 0; j < k; j++) votes[(size_t)ref_y[(size_t)best_j[(size_t)j]]]++;
            const int top = *std::max_element(votes.begin(), votes.end());
            int pick = -1;  // a tied vote: the class of the nearest neighbour among the tied classes
            for (int j = 0; j < k && pick < 0; j++)
                if (votes[(size_t)ref_y[(size_t)best_j[(size_t)j]]] == top) pick = ref_y[(size_t)best_j[(size_t)j]];
            correct += pick == query_y[(size_t)(m0 + i)];
        }
    }
    return (double)correct / std::max(1, M);
}

}  // namespace tg
