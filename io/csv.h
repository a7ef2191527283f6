// csv.h — tables of numbers in and out: load_csv reads features (and optionally labels) into a Dataset,
// save_csv writes codes or features for other tools (the `reduce` example uses both).
// What is read: one row per line (\n or \r\n), cells split by ',' — or by ';' or tab when the first line
// has one —, cells may be wrapped in double quotes (no separators inside them), blank lines are skipped,
// a UTF-8 byte-order mark is skipped. Every cell must be a finite number; labels non-negative integers.
#pragma once
#include <climits>
#include <string>
#include <vector>

#include "data/dataset.h"

namespace tg {

const int NO_LABEL = INT_MIN;        // CsvOptions::label_column when no column holds labels
const int AUTO_LABEL = INT_MIN + 1;  // the column whose header cell is label, class or target (any case); none without one
                                     // (not `y`: an x,y table is usually a regression, not classes)

struct CsvOptions {
    // AUTO_LABEL, NO_LABEL, or the 0-based column index of the labels; negative counts from the end (-1 = last)
    int label_column = AUTO_LABEL;
    int header = -1;              // -1: auto (a header when the first row has a non-numeric cell), 0: none, 1: yes
    int max_classes = 256;        // labels must be below this
};

// Reads a CSV of numbers: x is (N, D) with D = columns minus the label column; no scaling is applied.
// Errors are input_errors naming the file, the line and column, the text and the fix.
Dataset load_csv(const std::string& path, const CsvOptions& opt = {});

// Writes x viewed as (rows, cols) with a header row c0,c1,...; when labels are given (one per row), a
// last column `label` holds them (read it back with label_column = -1). Values are written with enough
// digits to read back exactly. Written to PATH.tmp, then renamed, so a crash never leaves half a file.
void save_csv(const std::string& path, const Tensor& x, const std::vector<int>& labels = {});

}  // namespace tg
