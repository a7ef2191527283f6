// atomic_file.h — how every file a program writes reaches the disk (PNG, CSV, HTML, codes, metrics,
// checkpoints): the bytes go to a temporary file beside the target, are fsynced, and the temporary is renamed
// over the target, then the directory is fsynced. A reader, a crash (even SIGKILL) or a full disk therefore
// leaves either the old complete file or the new complete one, never a partial one, and no temporary.
#pragma once
#include <cstddef>
#include <string>

namespace tg {

// Write `size` bytes to `path` atomically. On failure the temporary is removed, `path` is left as it was,
// and a tg::Error names the file and the fix: exit code 2 (bad input) when the directory is missing or not
// writable, 1 when the write itself failed (a full disk, an I/O error). `what` starts the message ("png",
// "csv", "checkpoint"...).
void write_file_atomically(const std::string& path, const void* data, size_t size, const std::string& what);
inline void write_file_atomically(const std::string& path, const std::string& bytes, const std::string& what) {
    write_file_atomically(path, bytes.data(), bytes.size(), what);
}

// Data-parallel runs (docs/distributed.md): every rank but rank 0 calls set_file_writes(false), after which
// the writes above (and run/metrics.cpp's) do nothing, so each output file has exactly one writer.
void set_file_writes(bool on);
bool file_writes();

}  // namespace tg
