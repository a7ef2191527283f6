// make_seeds.cpp — writes the starting corpora for the fuzz targets, using the library's own writers so
// the seeds always follow the current formats: <dir>/idx (images and labels, raw and gzipped),
// <dir>/csv (headers, labels, quotes, separators) and <dir>/checkpoint (a run checkpoint that load_run in
// fuzz_checkpoint.cpp accepts, and a file with tensors of every rank). Usage: make_seeds DIR
#include <sys/stat.h>
#include <zlib.h>

#include <cstdio>
#include <string>
#include <vector>

#include "io/checkpoint.h"
#include "run/training.h"

using namespace tg;
using Bytes = std::vector<unsigned char>;

static void write_raw(const std::string& path, const Bytes& b) {
    FILE* f = fopen(path.c_str(), "wb");
    if (!f || (!b.empty() && fwrite(b.data(), 1, b.size(), f) != b.size()) || fclose(f) != 0) throw Error("cannot write " + path);
}
static void write_gz(const std::string& path, const Bytes& b) {
    gzFile f = gzopen(path.c_str(), "wb");
    if (!f || gzwrite(f, b.data(), (unsigned)b.size()) != (int)b.size() || gzclose(f) != Z_OK) throw Error("cannot write " + path);
}
static void write_text(const std::string& path, const std::string& s) { write_raw(path, Bytes(s.begin(), s.end())); }

// An idx file of unsigned bytes: magic 0x0000080<ndim>, big-endian dims, then the body.
static Bytes idx(const std::vector<uint32_t>& dims, const Bytes& body) {
    Bytes b = {0, 0, 8, (unsigned char)dims.size()};
    for (uint32_t d : dims)
        for (int s = 24; s >= 0; s -= 8) b.push_back((unsigned char)(d >> s));
    b.insert(b.end(), body.begin(), body.end());
    return b;
}

int main(int argc, char** argv) try {
    if (argc != 2) { fprintf(stderr, "usage: make_seeds DIR\n"); return 2; }
    const std::string dir = argv[1];
    for (const char* sub : {"", "/idx", "/csv", "/checkpoint"}) mkdir((dir + sub).c_str(), 0755);

    Bytes img3 = idx({3, 2, 2}, {0, 255, 51, 102, 1, 2, 3, 4, 250, 251, 252, 253}), lab3 = idx({3}, {2, 0, 1});
    Bytes big(2 * 28 * 28);
    for (size_t i = 0; i < big.size(); i++) big[i] = (unsigned char)(i * 7);
    write_raw(dir + "/idx/images-3x2x2", img3);
    write_gz(dir + "/idx/images-3x2x2.gz", img3);
    write_raw(dir + "/idx/labels-3", lab3);
    write_gz(dir + "/idx/labels-3.gz", lab3);
    write_gz(dir + "/idx/images-2x28x28.gz", idx({2, 28, 28}, big));

    write_text(dir + "/csv/header.csv", "a,b,c\n1,2,3\n4.5,-6e-1,7\n");
    write_text(dir + "/csv/labels-last.csv", "1,2,0\n3,4,1\n5,6,2\n");
    write_text(dir + "/csv/labels-first.csv", "label,p0,p1\n3,0.5,1\n0,2,3\n");
    write_text(dir + "/csv/quotes-semicolons.csv", "\xEF\xBB\xBF\"x\";\"y\"\r\n 1 ;\"2\"\r\n\r\n3;4");
    write_text(dir + "/csv/tabs.csv", "1\t2\t0\n3\t4\t1\n");

    Param w("w", Tensor(Shape{2, 3}, {1, -2, 0.5, 0, 3, -0.25}));
    Adam opt({&w}, 1e-3);
    Rng rng(12345);
    RunState run{"fuzz", "2-3", {&w}, {}, {&opt}, {&rng}};
    save_run(dir + "/checkpoint/run.ckpt", run, 1, "--epochs 2");
    Checkpoint ck;
    ck.set("model", "vae");
    ck.put("scalar", Tensor(Shape{}, {3}));
    ck.put("v", Tensor(Shape{4}, {1, 2, 3, 4}));
    ck.put("t4", Tensor(Shape{1, 2, 1, 2}, {5, 6, 7, 8}));
    ck.put("empty", Tensor(Shape{0, 3}));
    save_checkpoint(dir + "/checkpoint/ranks.ckpt", ck);
    printf("seeds written under %s\n", dir.c_str());
    return 0;
} catch (const Error& e) {
    fprintf(stderr, "error: %s\n", e.what());
    return 1;
}
