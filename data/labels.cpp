// labels.cpp — the gap check on training labels and the seen-in-training check on test labels (labels.h).
#include "data/labels.h"

#include <algorithm>

#include "autograd/error.h"

namespace tg {

namespace {

// "0..9", "0..9 and 99", "3": the distinct values of a label list, as runs.
std::string runs_text(const std::vector<bool>& present) {
    std::string s;
    for (int v = 0; v < (int)present.size(); v++) {
        if (!present[v]) continue;
        int end = v;
        while (end + 1 < (int)present.size() && present[end + 1]) end++;
        if (!s.empty()) s += " and ";
        s += std::to_string(v) + (end > v ? ".." + std::to_string(end) : "");
        v = end;
    }
    return s.empty() ? "none" : s;
}

std::vector<bool> values_present(const std::vector<int>& labels) {
    int top = -1;
    for (int v : labels) top = std::max(top, v);
    std::vector<bool> present((size_t)(top + 1), false);
    for (int v : labels)
        if (v >= 0) present[(size_t)v] = true;
    return present;
}

}  // namespace

void check_label_gaps(const std::vector<int>& labels, const std::string& source) {
    for (size_t i = 0; i < labels.size(); i++)
        if (labels[i] < 0)
            throw input_error("labels: " + source + ": label " + std::to_string(labels[i]) + " at index " + std::to_string(i) +
                              " is negative; labels are class numbers 0, 1, 2, ...: fix that item or re-download the file");
    const std::vector<bool> present = values_present(labels);
    // The widest run of missing values between the smallest and the largest label; the label just above it
    // is the stray one (in 0..9 and 99, the run 10..98 and the label 99).
    int gap_lo = -1, gap_len = 0;
    for (int v = 0, last = -1; v < (int)present.size(); v++) {
        if (!present[v]) continue;
        if (last >= 0 && v - last - 1 > gap_len) gap_lo = last + 1, gap_len = v - last - 1;
        last = v;
    }
    if (gap_len == 0) return;
    const int stray = gap_lo + gap_len, gap_hi = stray - 1;
    const size_t at = (size_t)(std::find(labels.begin(), labels.end(), stray) - labels.begin());
    throw input_error("labels: " + source + ": label " + std::to_string(stray) + " at index " + std::to_string(at) +
                      " leaves a gap: the labels seen are " + runs_text(present) + " (" + std::to_string(gap_lo) +
                      (gap_hi > gap_lo ? ".." + std::to_string(gap_hi) + " never occur)" : " never occurs)") + ", so the class count would be " +
                      std::to_string(present.size()) + " with " + std::to_string(std::count(present.begin(), present.end(), false)) +
                      " classes never seen; the file is corrupt or not a class-label file: fix that item or re-download it");
}

void check_labels_seen(const std::vector<int>& test, const std::string& test_source, const std::vector<int>& train,
                       const std::string& train_source) {
    if (test.empty() || train.empty()) return;
    const std::vector<bool> present = values_present(train);
    for (size_t i = 0; i < test.size(); i++) {
        const int v = test[i];
        if (v >= 0 && v < (int)present.size() && present[(size_t)v]) continue;
        throw input_error("labels: " + test_source + ": label " + std::to_string(v) + " at index " + std::to_string(i) +
                          " does not occur among the training labels (" + runs_text(present) + " in " + train_source +
                          "); a test label must be a class the model is trained on: fix that item, re-download the file, or pair "
                          "files of the same data set");
    }
}

}  // namespace tg
