// judge.h — the judge a program needs before it can score samples (models/sample_quality.h): load it from
// its checkpoint, or, when that file is missing, train it as examples/mlp_classifier does, with a progress
// line and the loss guard, and save it there as a run checkpoint that example can --resume. A judge belongs
// to its data: the checkpoint records the data's fingerprint, and one made for other data (another input
// size, other classes, another fingerprint) is refused by name. On unlabelled data there is no judge to
// train, and the measures step aside (prepare_judge says so in one line).
#pragma once
#include <cstdint>
#include <string>

#include "data/dataset.h"
#include "models/sample_quality.h"

namespace tg {

// load_classifier if `path` exists; otherwise train the judge as examples/mlp_classifier does by default
// (784-256-128-10, dropout 0.2, Adam 1e-3, batch 128) for `epochs` epochs on `train`, print its test
// accuracy, and save it at `path` (a checkpoint that example can --resume) with meta data_fingerprint =
// `fingerprint` when it is not empty. A loaded judge whose input size or classes differ from train's, or
// whose recorded fingerprint differs from a non-empty `fingerprint`, is an input_error naming both.
void load_or_train_classifier(Classifier& c, const std::string& path, const Dataset& train, const Dataset& test,
                              int epochs, uint64_t seed, const std::string& fingerprint = "");

// 16 hex digits: a hash of the rows' shape, values (or, for a --stream set, its size) and labels of both sets.
std::string data_fingerprint(const Dataset& train, const Dataset& test);

// --classifier's default, "auto": out/classifier/model.ckpt (the Fashion-MNIST judge examples/mlp_classifier
// writes) for an idx directory, out/judges/<data name>-<fingerprint>/model.ckpt for an image folder or a CSV.
std::string judge_path(const std::string& flag_value, const std::string& data_path, const std::string& fingerprint);

// What a generator program judges its samples with. prepare_judge fills it from --classifier (`flag_value`,
// "auto" as above) and returns true; on unlabelled data with no judge checkpoint there it prints one line
// saying why the classifier score, Frechet distance and class shares step aside, and returns false.
struct SampleJudge {
    Classifier net;
    References ref;
};
bool prepare_judge(SampleJudge& j, const std::string& flag_value, const std::string& data_path, const Dataset& train,
                   const Dataset& test, int epochs, uint64_t seed);

// Generators make values in [0, 1] (a tanh's (x + 1) / 2, a sigmoid): data outside it (in either set) is an
// input_error naming `program`, the first value outside, and the fix.
void check_unit_range(const Dataset& train, const Dataset& test, const std::string& program);

}  // namespace tg
