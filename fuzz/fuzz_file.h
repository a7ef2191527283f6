// fuzz_file.h — what the three libFuzzer targets share. The readers take file paths, so each input is
// written to a file in a private temp folder (under /dev/shm when it exists: no disk writes), and read
// back by the reader under test. The contract every target checks: a reader either loads the bytes or
// throws a tg::Error with exit code 2 (bad input) whose message names the file; anything else (another
// exception, a crash, a sanitizer report, a hang, a huge allocation) is a bug that libFuzzer reports.
// Build and run: make fuzz (fuzz/run.sh); replay one input: <build>/fuzz/fuzz_idx FILE
#pragma once
#include <stdlib.h>
#include <unistd.h>

#include <cstdint>
#include <cstdio>
#include <filesystem>
#include <functional>
#include <string>

#include "autograd/error.h"

namespace fuzz {

// The private folder, made once and removed at exit. (A plain char array: it must still be there when the
// exit handler runs, after static strings are destroyed.)
inline const char* folder() {
    static char dir[64];
    if (!dir[0]) {
        snprintf(dir, sizeof dir, "%s/tapegrad-fuzz-XXXXXX", std::filesystem::is_directory("/dev/shm") ? "/dev/shm" : "/tmp");
        if (!mkdtemp(dir)) abort();
        atexit([] { std::error_code ignored; std::filesystem::remove_all(dir, ignored); });
    }
    return dir;
}

// Writes bytes to `name` in the folder; returns its path.
inline std::string write(const std::string& name, const uint8_t* data, size_t size) {
    std::string path = std::string(folder()) + "/" + name;
    FILE* f = fopen(path.c_str(), "wb");
    if (!f || (size && fwrite(data, 1, size, f) != size) || fclose(f) != 0) abort();
    return path;
}

// Runs `load`; a tg::Error is fine if it is a bad-input error (code 2) naming `path`. Any other
// exception escapes to libFuzzer, which reports it as a crash together with the input.
inline void expect_clean(const std::string& path, const std::function<void()>& load) {
    try {
        load();
    } catch (const tg::Error& e) {
        const std::string msg = e.what();
        if (e.code != tg::EXIT_BAD_INPUT || msg.find(path) == std::string::npos) {
            fprintf(stderr, "fuzz: a tg::Error with code %d that should be a bad-input error naming %s:\n%s\n", e.code,
                    path.c_str(), msg.c_str());
            abort();
        }
    }
}

}  // namespace fuzz
