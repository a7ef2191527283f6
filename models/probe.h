// probe.h — how useful are codes as features? The two standard read-outs of a representation, used by the
// comparison (examples/compare.cpp) for every method alike:
//   linear probe  softmax regression (one Linear layer, cross-entropy, Adam) trained on the train codes and
//                 scored on the test codes: how much class information a linear read-out can find
//   k-NN          each test code takes the majority class of its k nearest train codes (Euclidean, in the
//                 code space as it is): how well the code space's neighbourhoods follow the classes
// N = reference (train) codes, M = query (test) codes, K = code dimension, C = classes.
#pragma once
#include <cstdint>
#include <vector>

#include "autograd/tensor.h"

namespace tg {

struct ProbeOptions {
    int epochs = 20, batch = 128;
    double lr = 1e-2;  // Adam; the codes are standardised first, so one rate suits every method
    uint64_t seed = 1;
};

// Test accuracy in [0, 1] of softmax regression trained on train_codes (N, K) with labels in [0, C), tested
// on test_codes (M, K). Both are standardised with the train codes' per-column mean and std (a probe
// should not depend on a code's scale: Isomap's codes are in the hundreds, the VAE's near 1); this changes
// the optimisation only, not the best linear classifier.
double linear_probe(const Tensor& train_codes, const std::vector<int>& train_y, const Tensor& test_codes,
                    const std::vector<int>& test_y, int classes, const ProbeOptions& opt = {});

// Accuracy in [0, 1] of the k-nearest-neighbour vote: each row of query (M, K) gets the most common label
// among its k nearest rows of ref (N, K); a tied vote goes to the tied class with the nearest member.
// Distances by one gemm per block of 256 queries (memory O(256 N)).
double knn_accuracy(const Tensor& ref, const std::vector<int>& ref_y, const Tensor& query,
                    const std::vector<int>& query_y, int k);

}  // namespace tg
