// helpers.h — what several test files share: a temporary folder removed (with everything in it) when the
// test ends, a file's bytes read and written (raw or gzipped), and running a call to look at the
// tg::Error it throws (its exit code and message), also as the user nobody when the tests run as root.
#pragma once
#include <grp.h>
#include <pwd.h>
#include <stdlib.h>
#include <sys/wait.h>
#include <unistd.h>

#include <zlib.h>

#include <cerrno>
#include <cstdio>
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

// Runs f as the user nobody when the tests run as root (as CI does), so that permissions apply: root writes
// into a read-only folder. The call runs in a forked child that drops to nobody (setgroups, setgid, setuid)
// and sends back what it threw; not root: error_of(f) here. A folder f touches must be reachable by nobody
// (mkdtemp makes 0700 folders: chmod them 0755 first). f must not start threads (a fork copies one thread).
inline Thrown error_as_nobody(const std::function<void()>& f) {
    if (geteuid() != 0) return error_of(f);
    const struct passwd* pw = getpwnam("nobody");
    if (!pw) throw std::runtime_error("error_as_nobody: no user nobody on this system");
    int fds[2];
    if (pipe(fds) != 0) throw std::runtime_error("error_as_nobody: pipe failed");
    fflush(nullptr);
    const pid_t pid = fork();
    if (pid < 0) throw std::runtime_error("error_as_nobody: fork failed");
    if (pid == 0) {  // the child: drop root for good, run f, write "threw code msg" to the pipe
        close(fds[0]);
        if (setgroups(0, nullptr) != 0 || setgid(pw->pw_gid) != 0 || setuid(pw->pw_uid) != 0 || geteuid() == 0) _exit(90);
        Thrown t;
        try {
            t = error_of(f);
        } catch (...) {
            _exit(91);
        }
        const std::string out = std::to_string((int)t.threw) + " " + std::to_string(t.code) + " " + t.msg;
        size_t done = 0;
        while (done < out.size()) {
            const ssize_t n = write(fds[1], out.data() + done, out.size() - done);
            if (n <= 0) _exit(92);
            done += (size_t)n;
        }
        _exit(0);
    }
    close(fds[1]);
    std::string got;
    char buf[4096];
    for (ssize_t n; (n = read(fds[0], buf, sizeof buf)) != 0;) {
        if (n < 0 && errno == EINTR) continue;
        if (n < 0) break;
        got.append(buf, (size_t)n);
    }
    close(fds[0]);
    int status = 0;
    waitpid(pid, &status, 0);
    if (!WIFEXITED(status) || WEXITSTATUS(status) != 0)
        throw std::runtime_error("error_as_nobody: the child running as nobody failed (status " + std::to_string(status) +
                                 "; 90 = could not drop privileges, 91 = f threw something other than tg::Error)");
    Thrown t;
    const size_t a = got.find(' '), b = got.find(' ', a + 1);
    t.threw = got.substr(0, a) == "1";
    t.code = std::stoi(got.substr(a + 1, b - a - 1));
    t.msg = got.substr(b + 1);
    return t;
}

}  // namespace tg_test
