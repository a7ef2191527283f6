// fuzz_checkpoint.cpp — libFuzzer target for the checkpoint loader (io/checkpoint.cpp) and for --resume
// (load_run in run/training.cpp). Each input is tried twice: as it is, and with its last 4 bytes replaced
// by the right CRC-32, so that mutations get past the checksum and reach the structure checks (a random
// change almost never keeps the CRC valid). A file that loads is then resumed into a small run: one
// (2, 3) parameter "w", Adam, one Rng, model "fuzz", arch "2-3". It must load or give a clean bad-input
// error naming the file (and a negative epoch is not "loaded"): no crash, no other exception, no
// allocation beyond the file's size.
#include <zlib.h>

#include <algorithm>
#include <vector>

#include "fuzz/fuzz_file.h"
#include "io/checkpoint.h"
#include "run/training.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
    std::vector<uint8_t> fixed(data, data + size);
    if (size >= 12) {
        uint32_t crc = (uint32_t)crc32(crc32(0L, Z_NULL, 0), fixed.data(), (uInt)(size - 4));
        for (int i = 0; i < 4; i++) fixed[size - 4 + i] = (uint8_t)(crc >> (8 * i));
    }
    for (int as_is = 0; as_is < 2; as_is++) {
        if (as_is && (size < 12 || std::equal(fixed.begin(), fixed.end(), data))) continue;  // nothing new
        const uint8_t* p = as_is ? data : fixed.data();
        const std::string path = fuzz::write("model.ckpt", p, size);
        fuzz::expect_clean(path, [&] { tg::load_checkpoint(path); });

        tg::Param w("w", tg::Tensor(tg::Shape{2, 3}));
        tg::Adam opt({&w}, 1e-3);
        tg::Rng rng(1);
        tg::RunState run{"fuzz", "2-3", {&w}, {}, {&opt}, {&rng}};
        fuzz::expect_clean(path, [&] {
            int epoch = tg::load_run(path, run);
            if (epoch < 0) {  // an example would start at epoch + 1 <= 0: load_run must refuse it
                fprintf(stderr, "fuzz: load_run accepted epoch %d\n", epoch);
                abort();
            }
        });
    }
    return 0;
}
