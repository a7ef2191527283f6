// checkpoint.cpp — the checkpoint file format, its writer and its careful reader.
// Saving encodes the whole file in memory and writes it atomically (io/atomic_file.h: a temp file beside the
// target, fsync, rename, fsync of the directory). Loading checks the magic, the version and the checksum, and
// checks every count and length against the bytes that remain before it allocates anything.
// Why each step, and every message a user may see: docs/checkpoints.md
#include "io/checkpoint.h"

#include <sys/stat.h>
#include <zlib.h>

#include <algorithm>
#include <cerrno>
#include <cstdint>
#include <cstdio>
#include <cstring>
#include <set>

#include "io/atomic_file.h"

// ----------------------------------------------------------------------------------------------
// Format 1. Integers are little-endian, written and read byte by byte, so the host's byte order does not
// matter. Strings are raw bytes (UTF-8 by convention) with no terminator. N is the file size.
//
//   offset   size               field
//   0        8                  magic "TAPEGRAD"
//   8        u32                format version = 1
//   12       u32                E = element size of the stored values: 4 (float) or 8 (double)
//   16       u32                M = number of meta entries
//            M times            u32 key length, key bytes, u32 value length, value bytes
//            u32                T = number of tensors
//            T times            u32 name length, name bytes, u32 ndim (0..4), ndim × i32 dims (>= 0),
//                               numel × E bytes of IEEE 754 values, row-major (numel = 1 when ndim = 0)
//   N - 4    u32                CRC-32 (zlib's crc32) of bytes [0, N - 4)

namespace tg {

static const char MAGIC[8] = {'T', 'A', 'P', 'E', 'G', 'R', 'A', 'D'};
static const uint32_t FORMAT_VERSION = 1;
static const char* FIX_DAMAGED = "use the previous checkpoint or retrain";

static std::string label(const std::string& path) {
    return "checkpoint " + (path.empty() ? std::string("(not saved yet)") : path);
}

// ----------------------------------------------------------------------------------------------
// The Checkpoint's small lookups: linear scans, since a model has tens of tensors, not thousands.

void Checkpoint::set(const std::string& key, const std::string& value) {
    for (auto& kv : meta)
        if (kv.first == key) { kv.second = value; return; }
    meta.emplace_back(key, value);
}

bool Checkpoint::has(const std::string& key) const {
    for (const auto& kv : meta)
        if (kv.first == key) return true;
    return false;
}

std::string Checkpoint::get(const std::string& key) const {
    for (const auto& kv : meta)
        if (kv.first == key) return kv.second;
    std::string keys;
    for (const auto& kv : meta) keys += (keys.empty() ? "" : ", ") + kv.first;
    throw input_error(label(path) + ": no '" + key + "' entry in its metadata (it has: " +
                      (keys.empty() ? "none" : keys) +
                      "); was it written by a different program or example? pass the right file or retrain");
}

void Checkpoint::put(const std::string& name, const Tensor& t) {
    for (auto& nt : tensors)
        if (nt.first == name) { nt.second = t; return; }
    tensors.emplace_back(name, t);
}

bool Checkpoint::has_tensor(const std::string& name) const {
    for (const auto& nt : tensors)
        if (nt.first == name) return true;
    return false;
}

const Tensor& Checkpoint::tensor(const std::string& name) const {
    for (const auto& nt : tensors)
        if (nt.first == name) return nt.second;
    const size_t shown = 4;
    std::string some;
    for (size_t i = 0; i < tensors.size() && i < shown; i++) some += (i ? ", '" : "'") + tensors[i].first + "'";
    if (tensors.size() > shown) some += ", ...";
    throw input_error(label(path) + ": no tensor '" + name + "' (it has " + std::to_string(tensors.size()) +
                      (tensors.empty() ? "" : ": " + some) +
                      "); was it saved by a different model or architecture? check --model/--hidden/--latent or retrain");
}

// ----------------------------------------------------------------------------------------------
// Encoding: the whole file as bytes in memory.

using Bytes = std::vector<unsigned char>;

static void put_u32(Bytes& out, uint32_t v) {
    for (int i = 0; i < 4; i++) out.push_back((unsigned char)(v >> (8 * i)));
}
static void put_u64(Bytes& out, uint64_t v) {
    for (int i = 0; i < 8; i++) out.push_back((unsigned char)(v >> (8 * i)));
}
// One value in this build's precision, as its IEEE 754 bit pattern (so NaN payloads and -0 survive).
static void put_value(Bytes& out, real v) {
    if (sizeof(real) == 4) {
        float f = (float)v;  // no-op in the float build
        uint32_t bits;
        std::memcpy(&bits, &f, 4);
        put_u32(out, bits);
    } else {
        double d = (double)v;
        uint64_t bits;
        std::memcpy(&bits, &d, 8);
        put_u64(out, bits);
    }
}
static void put_text(Bytes& out, const std::string& s) {
    put_u32(out, (uint32_t)s.size());
    out.insert(out.end(), s.begin(), s.end());
}

static uint32_t crc32_of(const unsigned char* p, size_t n) {
    uLong crc = crc32(0L, Z_NULL, 0);
    while (n > 0) {  // zlib takes at most 2^32 - 1 bytes per call
        uInt chunk = (uInt)std::min(n, (size_t)1 << 30);
        crc = crc32(crc, p, chunk);
        p += chunk;
        n -= chunk;
    }
    return (uint32_t)crc;
}

// Checks what the format cannot represent or the reader would reject (these are bugs in the caller, so
// they are plain Errors), then encodes.
static Bytes encode(const std::string& path, const Checkpoint& ck) {
    const std::string where = "save_checkpoint " + path;
    std::set<std::string> seen;
    for (const auto& kv : ck.meta) {
        if (kv.first.empty()) throw Error(where + ": a meta entry has an empty key; give every entry a name");
        if (!seen.insert(kv.first).second)
            throw Error(where + ": two meta entries have the key '" + kv.first + "'; use Checkpoint::set, which replaces");
        if (kv.second.size() > UINT32_MAX) throw Error(where + ": meta '" + kv.first + "' is longer than 4 GiB");
    }
    seen.clear();
    size_t value_bytes = 0;
    for (const auto& nt : ck.tensors) {
        const Tensor& t = nt.second;
        if (nt.first.empty() || nt.first.size() > UINT32_MAX)
            throw Error(where + ": a tensor has an empty name; give every tensor a name such as 'encoder.fc1.weight'");
        if (!seen.insert(nt.first).second)
            throw Error(where + ": two tensors are named '" + nt.first + "'; use Checkpoint::put, which replaces");
        if (t.data.size() != t.shape.numel())
            throw Error(where + ": tensor '" + nt.first + "' has shape " + t.shape.str() + " but holds " +
                        std::to_string(t.data.size()) + " values; give it a shape (Tensor(Shape{...}))");
        value_bytes += t.data.size() * sizeof(real);
    }

    Bytes out(MAGIC, MAGIC + 8);  // (constructed from the magic, not inserted: GCC 12 warns falsely on that insert)
    out.reserve(64 + value_bytes + 64 * (ck.meta.size() + ck.tensors.size()));
    put_u32(out, FORMAT_VERSION);
    put_u32(out, (uint32_t)sizeof(real));
    put_u32(out, (uint32_t)ck.meta.size());
    for (const auto& kv : ck.meta) {
        put_text(out, kv.first);
        put_text(out, kv.second);
    }
    put_u32(out, (uint32_t)ck.tensors.size());
    for (const auto& nt : ck.tensors) {
        const Tensor& t = nt.second;
        put_text(out, nt.first);
        put_u32(out, (uint32_t)t.shape.ndim);
        for (int i = 0; i < t.shape.ndim; i++) put_u32(out, (uint32_t)t.shape.d[i]);
        for (real v : t.data) put_value(out, v);
    }
    put_u32(out, crc32_of(out.data(), out.size()));
    return out;
}

// ----------------------------------------------------------------------------------------------
// Saving: the whole file encoded in memory, then written atomically (io/atomic_file.h).

void save_checkpoint(const std::string& path, const Checkpoint& ck) {
    Bytes bytes = encode(path, ck);
    write_file_atomically(path, bytes.data(), bytes.size(), "checkpoint");
}

// ----------------------------------------------------------------------------------------------
// Loading. The reader walks the bytes with a cursor; every read first checks that the bytes are there.
//
// The checksum is compared up front, only to choose the words of a message: if it matches, the bytes are
// exactly what some writer wrote, so a bad structure means a faulty writer ("malformed"); if it does not,
// the file was cut short or damaged after writing ("truncated" / "corrupt").

struct Reader {
    const Bytes& b;
    const std::string& path;
    bool checksum_ok;
    size_t pos = 0;

    size_t left() const { return b.size() - pos; }

    // Throws unless `n` more bytes are there; `what` names what they hold.
    void need(uint64_t n, const std::string& what) const {
        if (n > left()) run_out(what, std::to_string(n) + " bytes needed");
    }
    [[noreturn]] void run_out(const std::string& what, const std::string& needed) const {
        std::string at = "byte " + std::to_string(pos) + " of " + std::to_string(b.size());
        std::string detail = needed + ", " + std::to_string(left()) + " left";
        if (checksum_ok)
            throw input_error(label(path) + ": malformed: " + what + " would run past the end of the file (at " + at +
                              ": " + detail + "); it was not written by tapegrad's save_checkpoint: retrain or re-save it");
        throw input_error(label(path) + ": truncated at " + at + " (reading " + what + ": " + detail +
                          "): the write was interrupted; " + FIX_DAMAGED);
    }
    // A structural error other than running out of bytes.
    Error bad(const std::string& what) const {
        if (checksum_ok)
            return input_error(label(path) + ": malformed: " + what +
                               "; it was not written by tapegrad's save_checkpoint: retrain or re-save it");
        return input_error(label(path) + ": corrupt: " + what + " (and its checksum does not match); " +
                           FIX_DAMAGED);
    }

    uint32_t u32(const std::string& what) {
        need(4, what);
        uint32_t v = 0;
        for (int i = 0; i < 4; i++) v |= (uint32_t)b[pos + i] << (8 * i);
        pos += 4;
        return v;
    }
    std::string text(const std::string& what) {
        uint32_t n = u32("the length of " + what);
        need(n, what + " (" + std::to_string(n) + " bytes)");
        std::string s(b.begin() + pos, b.begin() + pos + n);
        pos += n;
        return s;
    }
};

static Bytes read_whole_file(const std::string& path) {
    FILE* f = std::fopen(path.c_str(), "rb");
    if (!f)
        throw input_error(label(path) + ": cannot open (" + std::strerror(errno) +
                          "); check the path given to --resume/--apply");
    struct stat st;
    if (fstat(fileno(f), &st) != 0 || !S_ISREG(st.st_mode)) {
        std::fclose(f);
        throw input_error(label(path) + ": is not a regular file; pass the model.ckpt file itself, e.g. " +
                          (path.empty() || path.back() == '/' ? path : path + "/") + "model.ckpt");
    }
    Bytes b((size_t)st.st_size);  // the file's real size: a header cannot make this bigger
    size_t got = b.empty() ? 0 : std::fread(b.data(), 1, b.size(), f);
    bool read_error = std::ferror(f) != 0;
    std::fclose(f);
    if (read_error || got != b.size())
        throw input_error(label(path) + ": read " + std::to_string(got) + " of " + std::to_string(b.size()) +
                          " bytes; was it being written by another process? try again or " + FIX_DAMAGED);
    return b;
}

// Stored values are converted to this build's `real` (float -> double is exact; double -> float rounds).
static real value_at(const Bytes& b, size_t pos, uint32_t elem) {
    if (elem == 4) {
        uint32_t bits = 0;
        for (int i = 0; i < 4; i++) bits |= (uint32_t)b[pos + i] << (8 * i);
        float v;
        std::memcpy(&v, &bits, 4);
        return (real)v;
    }
    uint64_t bits = 0;
    for (int i = 0; i < 8; i++) bits |= (uint64_t)b[pos + i] << (8 * i);
    double v;
    std::memcpy(&v, &bits, 8);
    return (real)v;
}

static std::string hex32(uint32_t v) {
    char s[16];
    std::snprintf(s, sizeof s, "0x%08x", v);
    return s;
}

Checkpoint load_checkpoint(const std::string& path) {
    const Bytes b = read_whole_file(path);
    const std::string where = label(path);

    // ---- magic, version, element size
    size_t have = std::min(b.size(), (size_t)8);
    if (have > 0 && std::memcmp(b.data(), MAGIC, have) != 0)
        throw input_error(where + ": not a tapegrad checkpoint (it does not start with \"TAPEGRAD\"); pass a "
                          "model.ckpt written by a tapegrad example");
    uint32_t stored_crc = 0, computed_crc = 0;
    if (b.size() >= 12) {
        computed_crc = crc32_of(b.data(), b.size() - 4);
        for (int i = 0; i < 4; i++) stored_crc |= (uint32_t)b[b.size() - 4 + i] << (8 * i);
    }
    Reader r{b, path, b.size() >= 12 && stored_crc == computed_crc};
    r.need(8, "the magic \"TAPEGRAD\"");
    r.pos = 8;
    uint32_t version = r.u32("the format version");
    if (version > FORMAT_VERSION)
        throw input_error(where + ": written by a newer tapegrad (format " + std::to_string(version) +
                          "); this build reads format " + std::to_string(FORMAT_VERSION) + ": upgrade tapegrad");
    if (version == 0) throw r.bad("format version 0 does not exist");
    uint32_t elem = r.u32("the element size");
    if (elem != 4 && elem != 8)
        throw r.bad("element size " + std::to_string(elem) + " (expected 4 for float or 8 for double)");

    Checkpoint ck;
    ck.path = path;

    // ---- meta: each entry takes at least 8 bytes (two lengths), so a count is checked before reserving
    uint32_t n_meta = r.u32("the meta count");
    r.need((uint64_t)n_meta * 8, std::to_string(n_meta) + " meta entries");
    ck.meta.reserve(n_meta);
    for (uint32_t i = 0; i < n_meta; i++) {
        std::string key = r.text("meta key " + std::to_string(i));
        std::string value = r.text("the value of meta '" + key + "'");
        if (key.empty()) throw r.bad("meta entry " + std::to_string(i) + " has an empty key");
        if (ck.has(key)) throw r.bad("meta key '" + key + "' appears twice");
        ck.meta.emplace_back(key, value);
    }

    // ---- tensors: each takes at least 9 bytes (name length, a 1-byte name, ndim)
    uint32_t n_tensors = r.u32("the tensor count");
    r.need((uint64_t)n_tensors * 9, std::to_string(n_tensors) + " tensors");
    ck.tensors.reserve(n_tensors);
    std::set<std::string> names;
    for (uint32_t i = 0; i < n_tensors; i++) {
        std::string name = r.text("the name of tensor " + std::to_string(i));
        if (name.empty()) throw r.bad("tensor " + std::to_string(i) + " has an empty name");
        if (!names.insert(name).second) throw r.bad("tensor '" + name + "' appears twice");
        uint32_t ndim = r.u32("the ndim of tensor '" + name + "'");
        if (ndim > 4) throw r.bad("tensor '" + name + "' has " + std::to_string(ndim) + " dimensions (at most 4)");
        r.need((uint64_t)ndim * 4, "the dims of tensor '" + name + "'");
        Shape shape;
        shape.ndim = (int)ndim;
        bool has_zero = false;
        for (uint32_t k = 0; k < ndim; k++) {
            int32_t d = (int32_t)r.u32("a dim");
            if (d < 0) throw r.bad("tensor '" + name + "' has a negative dimension " + std::to_string(d));
            shape.d[k] = d;
            has_zero = has_zero || d == 0;
        }
        // numel = the product of the dims (1 for ndim = 0); up to 4 dims of 2^31 can overflow 64 bits, so
        // stop as soon as the bytes needed pass 2^61 (no file is that big); then check them against the file.
        const std::string values = "the values of tensor '" + name + "' " + shape.str();
        const uint64_t limit = UINT64_MAX / 8;
        uint64_t numel = has_zero ? 0 : 1;
        for (uint32_t k = 0; k < ndim && numel != 0; k++) {
            if (numel > limit / (uint64_t)shape.d[k]) r.run_out(values, "over 2^61 bytes needed");
            numel *= (uint64_t)shape.d[k];
        }
        r.need(numel * elem, values);
        Tensor t(shape);  // numel values: at most the bytes left in the file
        for (uint64_t j = 0; j < numel; j++) t.data[j] = value_at(b, r.pos + j * elem, elem);
        r.pos += numel * elem;
        ck.tensors.emplace_back(name, std::move(t));
    }

    // ---- checksum, and nothing after it
    r.u32("the checksum");
    if (r.pos != b.size())
        throw r.bad(std::to_string(b.size() - r.pos) + " bytes follow the checksum at byte " + std::to_string(r.pos));
    if (!r.checksum_ok)
        throw input_error(where + ": corrupt: the CRC-32 checksum does not match (stored " + hex32(stored_crc) +
                          ", computed " + hex32(computed_crc) + "), so its bytes changed after it was written; " +
                          FIX_DAMAGED);
    return ck;
}

// ----------------------------------------------------------------------------------------------
// Between a checkpoint and live tensors.

void restore_tensor(const Checkpoint& ck, const std::string& name, Tensor& into) {
    const Tensor& t = ck.tensor(name);
    if (t.shape != into.shape) {
        std::string arch = ck.has("arch") ? " (the file's arch is " + ck.get("arch") + ")" : "";
        throw input_error(label(ck.path) + ": tensor '" + name + "' has shape " + t.shape.str() +
                          " in the file but " + into.shape.str() +
                          " in the model; was it trained with different --hidden/--latent?" + arch);
    }
    into.data.assign(t.data.begin(), t.data.end());  // same size: keeps the buffer
}

void store_params(Checkpoint& ck, const std::vector<Param*>& params) {
    std::set<std::string> seen;
    for (const Param* p : params) {
        if (p->name.empty())
            throw Error("store_params: a parameter of shape " + p->value.shape.str() +
                        " has no name; name it (e.g. 'encoder.fc1.weight') so the checkpoint can find it again");
        if (!seen.insert(p->name).second)
            throw Error("store_params: two parameters are named '" + p->name +
                        "'; give each module a unique name so they do not overwrite each other");
        ck.put(p->name, p->value);
    }
}

void restore_params(const Checkpoint& ck, const std::vector<Param*>& params) {
    for (Param* p : params) restore_tensor(ck, p->name, p->value);
}

}  // namespace tg
