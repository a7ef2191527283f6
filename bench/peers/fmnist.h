// fmnist.h — Fashion-MNIST for the libtorch peers: the training images (and labels) of an idx file,
// gzipped or raw (zlib's gzopen reads both), as tapegrad reads them (io/idx.cpp): pixels byte / 255 in
// a float tensor (N, 784), labels int64 (N). No tapegrad code, so a peer is a plain libtorch program.
// The directory: --data, else $TAPEGRAD_DATA, else /usr/share/datasets/fashion-mnist.
#pragma once
#include <torch/torch.h>
#include <zlib.h>

#include <cstdint>
#include <cstdlib>
#include <stdexcept>
#include <string>
#include <vector>

namespace fmnist {

inline std::string data_dir(const std::string& flag) {
    if (!flag.empty()) return flag;
    const char* env = std::getenv("TAPEGRAD_DATA");
    return env && *env ? env : "/usr/share/datasets/fashion-mnist";
}

// The bytes of dir/name(.gz), checked against the idx magic (0x0803 images, 0x0801 labels) and
// `ndims` big-endian sizes; dims gets the sizes.
inline std::vector<uint8_t> read_idx(const std::string& dir, const std::string& name, int ndims, std::vector<int>& dims) {
    std::string path = dir + "/" + name + ".gz";
    gzFile f = gzopen(path.c_str(), "rb");
    if (!f) {
        path = dir + "/" + name;
        f = gzopen(path.c_str(), "rb");
    }
    if (!f) throw std::runtime_error("cannot open " + dir + "/" + name + "(.gz); pass --data DIR");
    auto be32 = [&]() {
        uint8_t b[4];
        if (gzread(f, b, 4) != 4) throw std::runtime_error(path + ": truncated header");
        return (uint32_t)b[0] << 24 | (uint32_t)b[1] << 16 | (uint32_t)b[2] << 8 | b[3];
    };
    uint32_t magic = be32();
    if (magic != (0x0800u | (uint32_t)ndims)) throw std::runtime_error(path + ": not an idx file of unsigned bytes with " + std::to_string(ndims) + " dims");
    size_t n = 1;
    dims.clear();
    for (int i = 0; i < ndims; i++) {
        dims.push_back((int)be32());
        n *= dims.back();
    }
    std::vector<uint8_t> body(n);
    if (gzread(f, body.data(), (unsigned)n) != (int)n) throw std::runtime_error(path + ": shorter than its header says");
    gzclose(f);
    return body;
}

struct Train {
    torch::Tensor x;  // (N, D) float in [0, 1]
    torch::Tensor y;  // (N) int64 labels
};

// The training split; with limit > 0, only its first `limit` images (as tapegrad's Dataset::subset).
inline Train load_train(const std::string& dir_flag, int64_t limit) {
    std::string dir = data_dir(dir_flag);
    std::vector<int> di, dl;
    std::vector<uint8_t> img = read_idx(dir, "train-images-idx3-ubyte", 3, di);
    std::vector<uint8_t> lab = read_idx(dir, "train-labels-idx1-ubyte", 1, dl);
    int64_t n = di[0], d = (int64_t)di[1] * di[2];
    Train t;
    t.x = torch::from_blob(img.data(), {n, d}, torch::kUInt8).to(torch::kFloat32).div_(255);  // a copy: img may go
    t.y = torch::from_blob(lab.data(), {(int64_t)dl[0]}, torch::kUInt8).to(torch::kInt64);
    if (limit > 0 && limit < n) {
        t.x = t.x.slice(0, 0, limit).clone();
        t.y = t.y.slice(0, 0, limit).clone();
    }
    return t;
}

}  // namespace fmnist
