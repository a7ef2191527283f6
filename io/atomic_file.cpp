// atomic_file.cpp — temp file, fsync, rename, fsync the directory (atomic_file.h).
//
// rename() replaces the directory entry in one step, so a reader (or a crash) sees the old file or the new
// one. The fsync before it makes sure the new file's bytes are on disk before its name is; without it, a
// power cut right after the rename can leave the new name pointing at an empty file. The fsync of the
// directory makes the rename itself durable.
#include "io/atomic_file.h"

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>

#include "autograd/error.h"

namespace tg {

static std::string directory_of(const std::string& path) {
    size_t slash = path.rfind('/');
    if (slash == std::string::npos) return ".";
    return slash == 0 ? "/" : path.substr(0, slash);
}

static bool writes_on = true;
void set_file_writes(bool on) { writes_on = on; }
bool file_writes() { return writes_on; }

void write_file_atomically(const std::string& path, const void* data, size_t size, const std::string& what) {
    if (!writes_on) return;  // a data-parallel rank other than 0: rank 0 writes this file
    const std::string dir = directory_of(path);
    const std::string tmp = path + ".tmp." + std::to_string((long)getpid());
    int fd = open(tmp.c_str(), O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0644);
    if (fd < 0) {
        const int err = errno;
        struct stat st;
        if (stat(dir.c_str(), &st) != 0 || !S_ISDIR(st.st_mode))
            throw input_error(what + ": cannot write " + path + ": directory " + dir + " does not exist; create it (mkdir -p " +
                              dir + ") or choose another --out");
        if (err == EACCES || err == EROFS || err == EPERM)
            throw input_error(what + ": cannot write " + path + ": directory " + dir + " is not writable (" + std::strerror(err) +
                              "); fix its permissions or choose another --out");
        throw Error(what + ": cannot write " + path + ": creating " + tmp + " failed (" + std::strerror(err) +
                    "); check the disk, or choose another --out");
    }

    // From here on, any failure closes and removes the temporary and leaves `path` as it was.
    auto fail = [&](const std::string& step) {
        const int err = errno;
        if (fd >= 0) close(fd);
        unlink(tmp.c_str());
        const bool full = err == ENOSPC || err == EDQUOT || err == EFBIG;
        return Error(what + ": cannot write " + path + ": " + step + " failed (" + std::strerror(err) + "); " +
                     (full ? "free some disk space or choose another --out" : "check the disk and the directory, or choose another --out") +
                     " (the previous " + path + ", if any, is unchanged)");
    };
    const char* bytes = static_cast<const char*>(data);
    size_t done = 0;
    while (done < size) {
        ssize_t n = write(fd, bytes + done, size - done);
        if (n < 0 && errno == EINTR) continue;
        if (n <= 0) {
            if (n == 0) errno = EIO;
            throw fail("writing");
        }
        done += (size_t)n;
    }
    if (fsync(fd) != 0) throw fail("fsync");
    const int rc = close(fd);
    fd = -1;
    if (rc != 0) throw fail("closing");
    if (rename(tmp.c_str(), path.c_str()) != 0) throw fail("renaming " + tmp + " to it");

    // The new file is in place; this makes its name survive a power cut. EINVAL: the file system cannot
    // sync directories, and there is nothing more to do.
    int dfd = open(dir.c_str(), O_RDONLY | O_DIRECTORY | O_CLOEXEC);
    int err = dfd < 0 ? errno : 0;
    if (dfd >= 0) {
        if (fsync(dfd) != 0) err = errno;
        close(dfd);
    }
    if (err != 0 && err != EINVAL)
        throw Error(what + ": " + path + " was written, but the fsync of directory " + dir + " failed (" + std::strerror(err) +
                    "); it may not survive a power cut: check the disk");
}

}  // namespace tg
