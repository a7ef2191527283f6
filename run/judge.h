// judge.h — the judge a program needs before it can score samples (models/sample_quality.h): load it from
// its checkpoint, or, when that file is missing, train it as examples/mlp_classifier does, with a progress
// line and the loss guard, and save it there as a run checkpoint that example can --resume.
#pragma once
#include <cstdint>
#include <string>

#include "data/dataset.h"
#include "models/sample_quality.h"

namespace tg {

// load_classifier if `path` exists; otherwise train the judge as examples/mlp_classifier does by default
// (784-256-128-10, dropout 0.2, Adam 1e-3, batch 128) for `epochs` epochs on `train`, print its test
// accuracy, and save it at `path` (a checkpoint that example can --resume). Prints what it does.
void load_or_train_classifier(Classifier& c, const std::string& path, const Dataset& train, const Dataset& test,
                              int epochs, uint64_t seed);

}  // namespace tg
