// idx.cpp — reading idx files through zlib (gzopen reads gzipped and raw files alike), and finding
// a split's files in a directory. See idx.h for the format. N = items, H x W = image size.
// Order of checks: the file exists; the header is whole; the magic says unsigned bytes with the
// expected number of dims; the dims are non-zero, their product neither overflows 64 bits nor passes
// MAX_BYTES; a raw file's length matches exactly; only then is the body read, in chunks, so a gzipped
// file whose header lies makes us fail at its real end instead of allocating what the header claims.
#include "io/idx.h"

#include <sys/stat.h>
#include <zlib.h>

#include <cerrno>
#include <cstdint>
#include <cstdio>
#include <cstring>
#include <vector>

#include "data/labels.h"

namespace tg {

namespace {

const uint64_t MAX_BYTES = 0x7FFFFFFF;  // 2^31 - 1: the largest body we read (N*H*W then fits an int)
const char* const FIX_CORRUPT = "re-download it, or reinstall dataset-fashion-mnist";

std::string hex32(uint32_t v) {
    char buf[16];
    snprintf(buf, sizeof buf, "0x%08X", v);
    return buf;
}

std::string hex8(int v) {
    char buf[8];
    snprintf(buf, sizeof buf, "0x%02X", v & 0xFF);
    return buf;
}

std::string type_name(int type) {
    switch (type) {
        case 0x08: return "unsigned byte";
        case 0x09: return "signed byte";
        case 0x0B: return "int16";
        case 0x0C: return "int32";
        case 0x0D: return "float32";
        case 0x0E: return "float64";
        default: return "unknown type";
    }
}

// Closes the gzFile however we leave the reader.
struct GzFile {
    gzFile f = nullptr;
    ~GzFile() {
        if (f) gzclose(f);
    }
};

// Reads up to n bytes; returns how many it got (fewer only at the end of the data). A corrupt gzip
// stream throws; zlib reports a stream cut short as a short read, which the caller names.
size_t read_some(gzFile f, const std::string& path, unsigned char* out, size_t n) {
    size_t got = 0;
    while (got < n) {
        size_t ask = n - got < (1u << 20) ? n - got : (1u << 20);
        int r = gzread(f, out + got, (unsigned)ask);
        if (r < 0) {
            int errnum = 0;
            std::string msg = gzerror(f, &errnum);
            if (msg.compare(0, path.size() + 2, path + ": ") == 0) msg.erase(0, path.size() + 2);  // zlib prefixes the path
            throw input_error("idx: " + path + ": the gzip data is corrupt (zlib: " + msg + "); " + FIX_CORRUPT);
        }
        if (r == 0) break;
        got += (size_t)r;
    }
    return got;
}

struct IdxBytes {
    int ndim = 0;
    uint32_t dims[3] = {0, 0, 0};
    std::vector<unsigned char> body;  // the product of dims, in file order
};

// Reads an idx file of unsigned bytes with `want_ndim` dims (3 for images, 1 for labels).
IdxBytes read_idx_ubyte(const std::string& path, int want_ndim) {
    const uint32_t want_magic = 0x00000800u | (uint32_t)want_ndim;
    const char* what = want_ndim == 3 ? "an idx3 image file" : "an idx1 label file";

    struct stat st;
    if (stat(path.c_str(), &st) != 0)
        throw input_error("idx: " + path + ": cannot open (" + strerror(errno) +
                          "); check the path, or pass --data DIR / set TAPEGRAD_DATA to the folder holding the idx files");
    if (!S_ISREG(st.st_mode)) throw input_error("idx: " + path + ": is not a regular file; pass the path of " + what);
    GzFile gz;
    gz.f = gzopen(path.c_str(), "rb");
    if (!gz.f) throw input_error("idx: " + path + ": cannot open (" + strerror(errno) + "); check its permissions");

    // ---- header: magic, then one big-endian uint32 per dim
    unsigned char head[16];
    const size_t head_len = 4 + 4 * (size_t)want_ndim;
    size_t got = read_some(gz.f, path, head, 4);
    if (got < 4)
        throw input_error("idx: " + path + ": truncated header: the data is " + std::to_string(got) +
                          " bytes long, an idx header needs " + std::to_string(head_len) + "; " + FIX_CORRUPT);
    uint32_t magic = (uint32_t)head[0] << 24 | (uint32_t)head[1] << 16 | (uint32_t)head[2] << 8 | head[3];
    if (head[0] == 0 && head[1] == 0 && head[2] != 0x08)
        throw input_error("idx: " + path + ": magic number " + hex32(magic) + " says data type " + hex8(head[2]) +
                          " (" + type_name(head[2]) + "); only unsigned bytes (0x08, magic " + hex32(want_magic) +
                          ") are supported; convert the file to ubyte");
    if (magic != want_magic) {
        std::string hint = "is it an idx file at all?";
        if (magic == 0x00000801u) hint = "is this a labels file?";
        if (magic == 0x00000803u) hint = "is this an images file?";
        if (head[0] == 0x1F && head[1] == 0x8B) hint = "it is gzipped twice; gunzip it once";
        throw input_error("idx: " + path + ": wrong magic number " + hex32(magic) + ", expected " + hex32(want_magic) +
                          " (" + what + "); " + hint);
    }
    got = read_some(gz.f, path, head + 4, head_len - 4);
    if (got < head_len - 4)
        throw input_error("idx: " + path + ": truncated header: the data is " + std::to_string(4 + got) +
                          " bytes long, an idx header with " + std::to_string(want_ndim) + " dims needs " +
                          std::to_string(head_len) + "; " + FIX_CORRUPT);

    IdxBytes out;
    out.ndim = want_ndim;
    uint64_t bytes = 1;
    std::string dims_text;
    for (int k = 0; k < want_ndim; k++) {
        const unsigned char* p = head + 4 + 4 * k;
        uint32_t d = (uint32_t)p[0] << 24 | (uint32_t)p[1] << 16 | (uint32_t)p[2] << 8 | p[3];
        out.dims[k] = d;
        dims_text += (k ? " x " : "") + std::to_string(d);
        if (d == 0)
            throw input_error("idx: " + path + ": dimension " + std::to_string(k) + " in the header is 0, so the file holds no data; " +
                              FIX_CORRUPT);
        if (bytes > UINT64_MAX / d)
            throw input_error("idx: " + path + ": the header's dims " + dims_text + " overflow 64 bits when multiplied; the header is corrupt; " +
                              FIX_CORRUPT);
        bytes *= d;
    }
    if (bytes > MAX_BYTES)
        throw input_error("idx: " + path + ": the header declares " + dims_text + " = " + std::to_string(bytes) +
                          " bytes, too large (the limit is 2^31 - 1); the header is corrupt or the file is not meant for tapegrad; " +
                          FIX_CORRUPT);

    // ---- a raw file's length is known: it must be exactly header + body, checked before allocating
    if (gzdirect(gz.f)) {
        uint64_t want = head_len + bytes, have = (uint64_t)st.st_size;
        if (have < want)
            throw input_error("idx: " + path + ": truncated body: the header declares " + dims_text + " = " + std::to_string(bytes) +
                              " data bytes after the " + std::to_string(head_len) + "-byte header, but the file is " +
                              std::to_string(have) + " bytes (" + std::to_string(want - have) + " missing); " + FIX_CORRUPT);
        if (have > want)
            throw input_error("idx: " + path + ": " + std::to_string(have - want) + " extra bytes after the " + std::to_string(bytes) +
                              " data bytes the header declares (" + dims_text + "); the header and the file disagree; " + FIX_CORRUPT);
        out.body.reserve(bytes);
    }

    // ---- the body, in chunks: the buffer only grows as data actually arrives
    const size_t CHUNK = (size_t)1 << 22;
    while (out.body.size() < bytes) {
        size_t at = out.body.size();
        size_t n = bytes - at < CHUNK ? (size_t)(bytes - at) : CHUNK;
        out.body.resize(at + n);
        size_t r = read_some(gz.f, path, out.body.data() + at, n);
        if (r < n)
            throw input_error("idx: " + path + ": truncated body: the header declares " + dims_text + " = " + std::to_string(bytes) +
                              " data bytes, but the data ends after " + std::to_string(at + r) + "; " + FIX_CORRUPT);
    }
    unsigned char extra;
    if (read_some(gz.f, path, &extra, 1) != 0)
        throw input_error("idx: " + path + ": extra bytes after the " + std::to_string(bytes) + " data bytes the header declares (" +
                          dims_text + "); the header and the file disagree; " + FIX_CORRUPT);
    return out;
}

bool is_file(const std::string& path) {
    struct stat st;
    return stat(path.c_str(), &st) == 0 && S_ISREG(st.st_mode);
}

// The first of the four spellings of `stem` (e.g. "train-images" + "idx3-ubyte") present in dir.
std::string find_idx_file(const std::string& dir, const std::string& stem, const std::string& kind, const char* what) {
    const std::string names[4] = {stem + "-" + kind + ".gz", stem + "-" + kind, stem + "." + kind + ".gz", stem + "." + kind};
    std::string tried;
    for (const std::string& name : names) {
        std::string path = dir + "/" + name;
        if (is_file(path)) return path;
        tried += (tried.empty() ? "" : ", ") + name;
    }
    throw input_error("data: " + dir + " has no " + what + " (looked for " + tried +
                      "); install them with `apt-get install dataset-fashion-mnist`, or pass --data DIR / set TAPEGRAD_DATA to a folder holding them");
}

// The training labels beside a test split, or "" when the folder has none.
std::string find_train_labels(const std::string& dir) {
    try {
        return find_idx_file(dir, "train-labels", "idx1-ubyte", "training labels");
    } catch (const Error&) {
        return "";
    }
}

}  // namespace

// ----------------------------------------------------------------------------------------------
Dataset load_idx(const std::string& images_path, const std::string& labels_path, int max_classes) {
    IdxBytes img = read_idx_ubyte(images_path, 3);
    const int n = (int)img.dims[0], h = (int)img.dims[1], w = (int)img.dims[2];  // fit: N*H*W <= 2^31 - 1

    Dataset d;
    d.height = h;
    d.width = w;
    d.source = images_path;
    d.x = Tensor(Shape{n, h * w});  // (N, H*W)
    real* x = d.x.ptr();
    for (size_t i = 0; i < img.body.size(); i++) x[i] = (real)img.body[i] / (real)255;

    if (labels_path.empty()) return d;
    IdxBytes lab = read_idx_ubyte(labels_path, 1);
    if (lab.dims[0] != img.dims[0])
        throw input_error("idx: " + labels_path + ": holds " + std::to_string(lab.dims[0]) + " labels but " + images_path + " holds " +
                          std::to_string(n) + " images; pair files of the same split (train-* with train-*, t10k-* with t10k-*)");
    d.y.resize(n);
    int top = -1;
    for (int i = 0; i < n; i++) {
        int v = lab.body[i];
        if (v >= max_classes)
            throw input_error("idx: " + labels_path + ": label " + std::to_string(v) + " at item " + std::to_string(i) +
                              " is not below max_classes = " + std::to_string(max_classes) + "; the labels file is corrupt or not for this task; " +
                              FIX_CORRUPT);
        d.y[i] = v;
        if (v > top) top = v;
    }
    d.classes = top + 1;
    d.source = images_path + " + " + labels_path;
    return d;
}

Dataset load_idx_split(const std::string& dir, bool train) {
    struct stat st;
    const bool exists = stat(dir.c_str(), &st) == 0;
    if (!exists || !S_ISDIR(st.st_mode))
        throw input_error("data: " + dir + (exists ? " is not a directory" : " does not exist") +
                          "; install the Fashion-MNIST files with `apt-get install dataset-fashion-mnist` (they go to " +
                          DEFAULT_DATA_DIR + "), or pass --data DIR / set TAPEGRAD_DATA to a folder holding train-images-idx3-ubyte.gz and friends");
    const std::string split = train ? "train" : "t10k";
    std::string images = find_idx_file(dir, split + "-images", "idx3-ubyte", train ? "training images" : "test images");
    std::string labels = find_idx_file(dir, split + "-labels", "idx1-ubyte", train ? "training labels" : "test labels");
    Dataset d = load_idx(images, labels);
    // Labels are checked, not trusted (data/labels.h): the training labels without a gap; the test labels
    // against the training labels of the same folder (read again: 60,000 bytes), or, without them, for gaps.
    const std::string train_labels = train ? "" : find_train_labels(dir);
    if (train_labels.empty()) {
        check_label_gaps(d.y, labels);
    } else {
        IdxBytes lab = read_idx_ubyte(train_labels, 1);
        const std::vector<int> seen(lab.body.begin(), lab.body.end());
        check_label_gaps(seen, train_labels);
        check_labels_seen(d.y, labels, seen, train_labels);
    }
    return d;
}

}  // namespace tg
