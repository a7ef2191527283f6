// classifier.h — the MLP classifier (x → Linear-ReLU-Dropout per hidden size → Linear → class logits) that
// examples/mlp_classifier trains and the sample-quality judge reuses, and the one evaluation every
// classifier here shares: mean cross-entropy and accuracy over a set (mlp_classifier, the DBN classifier,
// the judge). D = input, C = classes, B = batch.
#pragma once
#include <cstdint>
#include <string>
#include <vector>

#include "data/dataset.h"
#include "nn/layers.h"

namespace tg {

// Its layers are named mlp.fc1, mlp.relu1, mlp.drop1, ..., mlp.fcL, so the checkpoints of
// examples/mlp_classifier load into it.
struct Classifier {
    Rng rng;            // initialisation, then dropout masks
    Sequential net;
    std::string arch;   // "784-256-128-10"

    Classifier() : rng(0), net("mlp") {}
    // (Re)create the layers: sizes = {D, hidden..., C}, Linear-ReLU-Dropout(p) per hidden size, then a
    // Linear to the logits; rng = Rng(seed) draws the weights (PyTorch's default init), then the masks.
    void build(const std::vector<int>& sizes, real dropout, uint64_t seed);
    int classes() const;
};

// Load a checkpoint written by examples/mlp_classifier (meta model=mlp_classifier) as the judge (it needs a
// hidden layer: its features). input_error naming the file and the fix when it is missing or holds another model.
void load_classifier(Classifier& c, const std::string& path);

// Any net that maps (B, D) to (B, C) logits, over a whole set in evaluation mode (no dropout, no graph),
// 1000 images at a time: *loss = mean cross-entropy, *accuracy = share of images whose largest logit is
// their label. The net's training mode is restored afterwards.
void evaluate_classifier(Sequential& net, const Dataset& d, double* loss, double* accuracy);

}  // namespace tg
