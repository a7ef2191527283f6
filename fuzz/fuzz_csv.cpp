// fuzz_csv.cpp — libFuzzer target for the CSV reader (io/csv.cpp). Each input is read three ways: with
// the defaults (header auto-detected, no labels), with labels in the last column, and with labels in
// column 0, no header and at most 10 classes. It must load or give a clean bad-input error naming the
// file: no crash, no hang, no allocation beyond what the text holds. Contract: fuzz/fuzz_file.h.
#include "fuzz/fuzz_file.h"
#include "io/csv.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
    const std::string path = fuzz::write("input.csv", data, size);
    tg::CsvOptions last, first;
    last.label_column = -1;
    first.label_column = 0;
    first.header = 0;
    first.max_classes = 10;
    for (const tg::CsvOptions& opt : {tg::CsvOptions(), last, first})
        fuzz::expect_clean(path, [&] {
            tg::Dataset d = tg::load_csv(path, opt);
            if (d.x.size() != (size_t)d.size() * d.dim()) abort();  // the shape must match the values
        });
    return 0;
}
