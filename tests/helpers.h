// helpers.h — what several test files share: a temporary folder removed (with everything in it) when the
// test ends, a file's bytes read and written (raw or gzipped), and running a call to look at the
// tg::Error it throws (its exit code and message).
#pragma once
#include <stdlib.h>

#include <zlib.h>

#include <filesystem>
#include <fstream>
#include <functional>
#include <iterator>
#include <stdexcept>
#include <string>
#include <vector>

#include "autograd/error.h"

namespace tg_test {

// A unique folder /tmp/tapegrad-<what>-XXXXXX. file("a.ckpt") and dir / "a.ckpt" both name a file in it.
struct TempDir {
    std::string path;
    explicit TempDir(const std::string& what = "test") {
        std::string tmpl = "/tmp/tapegrad-" + what + "-XXXXXX";
        if (!mkdtemp(tmpl.data())) throw std::runtime_error("mkdtemp " + tmpl + " failed");
        path = tmpl;
    }
    ~TempDir() {
        std::error_code ignored;  // a test may have made a sub-folder read-only: give it back first
        std::filesystem::permissions(path, std::filesystem::perms::owner_all, ignored);
        std::filesystem::remove_all(path, ignored);
    }
    TempDir(const TempDir&) = delete;
    TempDir& operator=(const TempDir&) = delete;
    std::string file(const std::string& name) const { return path + "/" + name; }
    std::string operator/(const std::string& name) const { return file(name); }
};

using Bytes = std::vector<unsigned char>;

inline Bytes read_bytes(const std::string& path) {
    std::ifstream f(path, std::ios::binary);
    return Bytes(std::istreambuf_iterator<char>(f), std::istreambuf_iterator<char>());
}

// Writes b to path as it is (replacing the file); throws if the file cannot be written.
inline void write_bytes(const std::string& path, const Bytes& b) {
    std::ofstream f(path, std::ios::binary | std::ios::trunc);
    f.write((const char*)b.data(), (std::streamsize)b.size());
    if (!f) throw std::runtime_error("write_bytes: cannot write " + path);
}

// Writes b gzipped (one gzip member, as gzip(1) does); throws if the file cannot be written.
inline void write_gz(const std::string& path, const Bytes& b) {
    gzFile f = gzopen(path.c_str(), "wb");
    if (!f) throw std::runtime_error("write_gz: cannot open " + path);
    bool ok = b.empty() || gzwrite(f, b.data(), (unsigned)b.size()) == (int)b.size();
    ok = gzclose(f) == Z_OK && ok;
    if (!ok) throw std::runtime_error("write_gz: cannot write " + path);
}

struct Thrown {
    bool threw = false;
    int code = 0;
    std::string msg;
};

// Runs f; catches only tg::Error, so anything else (std::bad_alloc, a crash) fails the test.
inline Thrown error_of(const std::function<void()>& f) {
    Thrown t;
    try {
        f();
    } catch (const tg::Error& e) {
        t.threw = true;
        t.code = e.code;
        t.msg = e.what();
    }
    return t;
}

}  // namespace tg_test
