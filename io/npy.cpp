// npy.cpp — the .npy header and values, and the zip container of .npz (see npy.h).
// A stored (uncompressed) zip: for each file a local header (signature 0x04034b50, sizes, CRC-32 from zlib,
// the name) and its bytes; then a central directory entry per file (0x02014b50, where its local header is);
// then the end record (0x06054b50, how many entries, where the directory starts). Little-endian throughout.
#include "io/npy.h"

#include <zlib.h>

#include <cstdint>
#include <cstring>
#include <set>

#include "io/atomic_file.h"

namespace tg {

namespace {

void put16(std::string& s, uint32_t v) { s += (char)(v & 0xFF), s += (char)((v >> 8) & 0xFF); }
void put32(std::string& s, uint32_t v) { put16(s, v & 0xFFFF), put16(s, v >> 16); }

}  // namespace

std::string npy_bytes(const Tensor& t) {
    std::string shape = "(";
    for (int i = 0; i < t.ndim(); i++) shape += std::to_string(t.dim(i)) + (t.ndim() == 1 ? "," : i + 1 < t.ndim() ? ", " : "");
    shape += ")";
    std::string header = "{'descr': '<f4', 'fortran_order': False, 'shape': " + shape + ", }";
    const size_t unpadded = 10 + header.size() + 1;                // magic 6, version 2, length 2, header, '\n'
    header += std::string((64 - unpadded % 64) % 64, ' ') + "\n";  // the values start 64-byte aligned
    std::string out = "\x93NUMPY";
    out += (char)1, out += (char)0;  // version 1.0
    put16(out, (uint32_t)header.size());
    out += header;
    const size_t n = t.size();
    out.reserve(out.size() + 4 * n);
    for (size_t i = 0; i < n; i++) {
        const float f = (float)t[i];
        uint32_t bits;
        std::memcpy(&bits, &f, 4);
        put32(out, bits);  // little-endian whatever the machine
    }
    return out;
}

void save_npy(const std::string& path, const Tensor& t) { write_file_atomically(path, npy_bytes(t), "npy"); }

void save_npz(const std::string& path, const std::vector<std::pair<std::string, Tensor>>& arrays) {
    std::string zip, directory;
    std::set<std::string> seen;
    for (const auto& a : arrays) {
        if (a.first.empty() || a.first.find('/') != std::string::npos || !seen.insert(a.first).second)
            throw Error("npz: " + path + ": array name '" + a.first + "' is empty, repeated or holds a '/'");
        const std::string name = a.first + ".npy", data = npy_bytes(a.second);
        if (zip.size() + data.size() + name.size() + 64 >= 0xFFFFFFFFull)
            throw input_error("npz: " + path + ": over 4 GB, beyond a plain zip; export fewer tensors");
        const uint32_t crc = (uint32_t)crc32(crc32(0, nullptr, 0), (const Bytef*)data.data(), (uInt)data.size());
        const uint32_t offset = (uint32_t)zip.size();
        auto common = [&](std::string& s) {  // the fields the local header and the directory entry share
            put16(s, 20), put16(s, 0), put16(s, 0);       // version needed 2.0, flags, method 0 = stored
            put16(s, 0), put16(s, (1 << 5) | 1);          // time 00:00, date 1980-01-01
            put32(s, crc), put32(s, (uint32_t)data.size()), put32(s, (uint32_t)data.size());
            put16(s, (uint32_t)name.size()), put16(s, 0);  // name length, no extra field
        };
        put32(zip, 0x04034b50);
        common(zip);
        zip += name + data;
        put32(directory, 0x02014b50);
        put16(directory, 20);  // made by: version 2.0
        common(directory);
        put16(directory, 0), put16(directory, 0), put16(directory, 0);  // comment length, disk, internal attributes
        put32(directory, 0), put32(directory, offset);                 // external attributes, local header offset
        directory += name;
    }
    const uint32_t dir_offset = (uint32_t)zip.size();
    zip += directory;
    put32(zip, 0x06054b50);
    put16(zip, 0), put16(zip, 0);  // this disk, the directory's disk
    put16(zip, (uint32_t)arrays.size()), put16(zip, (uint32_t)arrays.size());
    put32(zip, (uint32_t)directory.size()), put32(zip, dir_offset);
    put16(zip, 0);  // no comment
    write_file_atomically(path, zip, "npz");
}

}  // namespace tg
