// stream.h — images that stay on disk (--stream; docs/distributed.md): an uncompressed cache file of
// uint8 pixels and labels, memory-mapped, from which the Batcher converts one batch at a time to floats
// (byte / 255, as the idx loader does). N = items, D = pixels per item. After each batch the mapped pages
// are handed back (madvise), so the resident set holds one batch, not the data set; the file's pages stay
// in the kernel's page cache for the next epoch. run/training.cpp writes the cache once, atomically.
#pragma once
#include <cstddef>
#include <cstdint>
#include <memory>
#include <string>
#include <vector>

namespace tg {

// The cache file: "TGU8", then int32 N, H, W, classes (little-endian), then N·H·W pixel bytes, then N
// label bytes.
struct ByteImages {
    int n = 0, height = 0, width = 0, classes = 0;
    const uint8_t* pixels = nullptr;  // (N, D) inside the mapping
    const uint8_t* labels = nullptr;  // (N)
    std::string path;

    // Maps `path`, checking its header against its length; a clear error names a damaged file.
    static std::shared_ptr<ByteImages> open(const std::string& path);
    ~ByteImages();
    // Drops this process's mapped pages (MADV_DONTNEED): the next read maps them again from the page cache.
    void release() const;

    ByteImages() = default;
    ByteImages(const ByteImages&) = delete;
    ByteImages& operator=(const ByteImages&) = delete;

  private:
    void* map = nullptr;
    size_t map_size = 0;
};

// The bytes of a cache file for n images of h x w with these pixels (N·H·W) and labels (N).
std::string image_cache_bytes(int n, int h, int w, int classes, const std::vector<uint8_t>& pixels, const std::vector<uint8_t>& labels);

}  // namespace tg
