// progress.cpp — the progress line and the output directory check.
#include "run/progress.h"

#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <cstdio>
#include <cstring>

#include "autograd/error.h"

namespace tg {

Progress::Progress(int epoch, int epochs, int batches)
    : epoch(epoch), epochs(epochs), batches(batches), tty(isatty(fileno(stderr))), start(std::chrono::steady_clock::now()) {}

double Progress::seconds() const {
    return std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
}

std::string format_duration(double s) {
    long t = (long)(s + 0.5);
    char buf[32];
    if (t >= 3600) snprintf(buf, sizeof buf, "%ld:%02ld:%02ld", t / 3600, t / 60 % 60, t % 60);
    else snprintf(buf, sizeof buf, "%ld:%02ld", t / 60, t % 60);
    return buf;
}

void Progress::step(int batch, double loss, int batch_samples) {
    n++;
    loss_sum += loss;
    samples += batch_samples;
    if (!tty) return;
    double now = seconds();
    if (now - last_print < 0.2 && batch < batches) return;
    last_print = now;
    double rate = samples / std::max(now, 1e-9);
    double eta = now / batch * (batches - batch);
    fprintf(stderr, "\r  epoch %d/%d [%d/%d] loss %.4f  %.0f samples/s  ETA %s   ", epoch, epochs, batch, batches,
            mean_loss(), rate, format_duration(eta).c_str());
    fflush(stderr);
}

void Progress::done(const std::string& summary) {
    if (tty) fprintf(stderr, "\r\033[K");  // clear the progress line
    printf("%s\n", summary.c_str());
    fflush(stdout);
}

void prepare_out_dir(const std::string& dir) {
    if (dir.empty()) throw input_error("--out: the output directory name is empty; pass --out DIR");
    std::string path;
    for (size_t i = 0; i <= dir.size(); i++) {  // mkdir -p
        if (i < dir.size() && dir[i] != '/') continue;
        path = dir.substr(0, i);
        if (path.empty()) continue;
        if (mkdir(path.c_str(), 0755) != 0 && errno != EEXIST)
            throw input_error("--out " + dir + ": cannot create directory " + path + ": " + std::strerror(errno) + "; choose a writable place with --out DIR");
    }
    struct stat st;
    if (stat(dir.c_str(), &st) != 0 || !S_ISDIR(st.st_mode))
        throw input_error("--out " + dir + ": exists but is not a directory; choose another --out DIR");
    if (access(dir.c_str(), W_OK) != 0)
        throw input_error("--out " + dir + ": directory is not writable (" + std::strerror(errno) + "); choose a writable place with --out DIR");
}

}  // namespace tg
