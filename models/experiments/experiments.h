// experiments.h — the experiments of the tour (docs/experiments.md), one file each. Each trains what it
// compares at every seed of the setup, prints its table, and writes results.csv and its pictures in s.out.
#pragma once
#include "models/experiments/experiment.h"

namespace tg {

void experiment_beta(const ExperimentSetup& s);        // 1: what β does to a VAE (beta.cpp)
void experiment_robustness(const ExperimentSetup& s);  // 4: codes of noisy inputs (robustness.cpp)
void experiment_novelty(const ExperimentSetup& s);     // 5: a held-out class by reconstruction (novelty.cpp)
void experiment_optimizers(const ExperimentSetup& s);  // 2: SGD ... AdamW on the autoencoder (optimizers.cpp)
void experiment_sparsity(const ExperimentSetup& s);    // 3: L1 code, L1 / L2 weight penalties (sparsity.cpp)
void experiment_augment(const ExperimentSetup& s);     // 6: a classifier from 600 labels, with generated or shifted images (augment.cpp)
void experiment_compression(const ExperimentSetup& s); // 7: rate-distortion, importance-sampled log p(x) (compression.cpp)
void experiment_linear(const ExperimentSetup& s);      // 8b: a linear autoencoder against PCA, then nonlinearities (linear.cpp)

}  // namespace tg
