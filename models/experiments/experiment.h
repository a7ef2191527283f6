// experiment.h — what every experiment of the tour shares (examples/experiments.cpp, docs/experiments.md): its
// setup (data cut to the run's size, epochs, seeds, output folder, the model sizes), the mean ± sd of a measure
// over seeds, the verdict between two such means (a difference inside the spread is a tie), and the results
// table, printed and written as CSV. The experiments themselves: experiments.h, one file each.
// N = images, D = pixels, K = code size, H = hidden units.
#pragma once
#include <cmath>
#include <cstdint>
#include <string>
#include <vector>

#include "data/dataset.h"
#include "models/autoencoder.h"
#include "models/vae.h"

namespace tg {

struct ExperimentSetup {
    Dataset train, test;    // already cut to the run's size
    int epochs = 10;        // of every deep model
    int seeds = 3;          // seeds 1..seeds; every comparison is a mean over them
    int probe_epochs = 20;  // the linear probe's (models/probe.h)
    int knn_reference = 10000;  // train codes the 5-NN votes among (the first ones)
    bool quick = false;
    std::string out;        // out/experiments/NAME, created by the caller
    int hidden = 256, code = 20;  // every deep model: D-H-K-H-D; PCA keeps K components too
};

// ---- mean ± sd over seeds, and the verdict
struct MeanSd { double mean = NAN, sd = NAN; };
MeanSd mean_sd(const std::vector<double>& v);  // sd with n - 1 (0 for one value)
std::string fmt(const MeanSd& m, int decimals);  // "0.812 ± 0.004"
// a against b: "better", "worse" or "tie". A tie when the intervals mean ± sd overlap, |Δ| <= sd_a + sd_b:
// the difference is inside the spread the seeds alone produce.
std::string verdict(const MeanSd& a, const MeanSd& b, bool higher_is_better);

// ---- the results table: printed aligned on stdout, written as CSV (io/atomic_file.h)
struct ResultTable {
    std::vector<std::string> columns;
    std::vector<std::vector<std::string>> rows;
    explicit ResultTable(std::vector<std::string> cols) : columns(std::move(cols)) {}
    void add(std::vector<std::string> row);     // one cell per column
    void write(const std::string& csv_path) const;  // prints the table, then writes the CSV
};
std::string num(double v, int decimals = 4);  // "%.*f", "nan" for NaN

// ---- shared pieces
AutoencoderConfig experiment_ae(const ExperimentSetup& s, Noise noise = Noise::None, real level = 0);
VAEConfig experiment_vae(const ExperimentSetup& s, real beta = 1);
// x corrupted as a denoising autoencoder's input (Autoencoder::corrupt_into, the same noise it trains with):
// Gaussian (clipped to [0, 1]) or masked, from a fixed seed
Tensor corrupted(const Tensor& x, Noise kind, real level, uint64_t seed);
// the items of d whose label is not `label`
Dataset without_class(const Dataset& d, int label);
// the linear probe's and the 5-NN's test accuracy of codes: (N_train, K) and (N_test, K)
struct Readout { double probe, knn; };
Readout read_out(const ExperimentSetup& s, const Tensor& train_codes, const Tensor& test_codes, uint64_t seed);

}  // namespace tg
