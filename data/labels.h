// labels.h — labels are checked, not trusted: the class count a model is built with comes from the
// training labels, so one corrupt byte (a 99 among 0..9) must not make a 100-class model, and a test label
// the model never saw must not be scored. Both checks throw an input_error (exit code 2) naming the file,
// the item's index, its value and the labels seen in training. load_idx_split runs them on every idx split;
// a program that pairs its own files (reduce with CSVs) calls check_labels_seen itself.
#pragma once
#include <string>
#include <vector>

namespace tg {

// The training labels must run without a gap from their smallest to their largest value: in 0..9 and 99,
// the 99 is refused (its first index and value), since it alone would set the class count to 100.
void check_label_gaps(const std::vector<int>& labels, const std::string& source);

// Every label of `test` must occur among `train`'s labels; the first one that does not is refused with
// its index, its value and the range seen in training. Empty label lists (no labels) pass.
void check_labels_seen(const std::vector<int>& test, const std::string& test_source, const std::vector<int>& train,
                       const std::string& train_source);

}  // namespace tg
