// fuzz_idx.cpp — libFuzzer target for the idx reader (io/idx.cpp). Each input is tried as an images file
// (idx3) and as the labels file (idx1) beside three good 2 x 2 images, raw or gzipped alike (zlib reads
// both). It must load or give a clean bad-input error: no crash, no hang, no allocation the data does not
// back (a header's dims are checked before anything is allocated). Contract: fuzz/fuzz_file.h.
#include "fuzz/fuzz_file.h"
#include "io/idx.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
    // three 2 x 2 images: magic 0x00000803, dims 3, 2, 2, then 12 bytes
    static const uint8_t images[] = {0, 0, 8, 3, 0, 0, 0, 3, 0, 0, 0, 2, 0, 0, 0, 2, 0, 255, 51, 102, 1, 2, 3, 4, 250, 251, 252, 253};
    static const std::string good = fuzz::write("good-images", images, sizeof images);

    const std::string path = fuzz::write("input", data, size);
    fuzz::expect_clean(path, [&] { tg::load_idx(path, ""); });
    fuzz::expect_clean(path, [&] { tg::load_idx(good, path, 10); });
    return 0;
}
