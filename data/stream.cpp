// stream.cpp — the memory-mapped uint8 image cache (stream.h).
#include "data/stream.h"

#include <fcntl.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>

#include "autograd/error.h"

namespace tg {

static const size_t HEADER = 20;  // "TGU8" + 4 int32

static void put32(std::string& s, int v) {
    for (int k = 0; k < 4; k++) s.push_back((char)((uint32_t)v >> (8 * k) & 255));
}
static int get32(const uint8_t* p) { return (int)((uint32_t)p[0] | (uint32_t)p[1] << 8 | (uint32_t)p[2] << 16 | (uint32_t)p[3] << 24); }

std::string image_cache_bytes(int n, int h, int w, int classes, const std::vector<uint8_t>& pixels, const std::vector<uint8_t>& labels) {
    std::string s = "TGU8";
    put32(s, n); put32(s, h); put32(s, w); put32(s, classes);
    s.append((const char*)pixels.data(), pixels.size());
    s.append((const char*)labels.data(), labels.size());
    return s;
}

std::shared_ptr<ByteImages> ByteImages::open(const std::string& path) {
    const std::string fix = "; delete it and run again with --stream to rebuild it";
    int fd = ::open(path.c_str(), O_RDONLY | O_CLOEXEC);
    if (fd < 0) throw input_error("--stream: cannot open the image cache " + path + " (" + std::strerror(errno) + ")" + fix);
    struct stat st;
    if (fstat(fd, &st) != 0 || (size_t)st.st_size < HEADER) {
        ::close(fd);
        throw input_error("--stream: the image cache " + path + " is shorter than its header" + fix);
    }
    auto b = std::make_shared<ByteImages>();
    b->path = path;
    b->map_size = (size_t)st.st_size;
    b->map = mmap(nullptr, b->map_size, PROT_READ, MAP_PRIVATE, fd, 0);
    ::close(fd);  // the mapping keeps the file
    if (b->map == MAP_FAILED) {
        b->map = nullptr;
        throw Error("--stream: cannot map the image cache " + path + " (" + std::strerror(errno) + ")");
    }
    const uint8_t* p = (const uint8_t*)b->map;
    b->n = get32(p + 4), b->height = get32(p + 8), b->width = get32(p + 12), b->classes = get32(p + 16);
    const uint64_t want = HEADER + (uint64_t)b->n * b->height * b->width + (uint64_t)b->n;
    if (std::memcmp(p, "TGU8", 4) != 0 || b->n < 0 || b->height <= 0 || b->width <= 0 || want != b->map_size)
        throw input_error("--stream: " + path + " is not a tapegrad image cache of the size its header declares" + fix);
    b->pixels = p + HEADER;
    b->labels = b->pixels + (size_t)b->n * b->height * b->width;
    madvise(b->map, b->map_size, MADV_RANDOM);  // batches jump around the file: no read-ahead
    return b;
}

void ByteImages::release() const {
    if (map) madvise(map, map_size, MADV_DONTNEED);
}

ByteImages::~ByteImages() {
    if (map) munmap(map, map_size);
}

}  // namespace tg
