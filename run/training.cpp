// training.cpp — run checkpoints, resume, the loss guard.
#include "run/training.h"

#include <sys/stat.h>

#include <cerrno>
#include <cmath>
#include <cstdint>
#include <cstdio>
#include <cstdlib>

#include "autograd/fast/threads.h"
#include "autograd/fast/denormals.h"
#include "data/labels.h"
#include "data/stream.h"
#include "io/atomic_file.h"
#include "io/checkpoint.h"
#include "io/idx.h"
#include "io/load_any.h"
#include "run/progress.h"  // prepare_out_dir

namespace tg {

void start_run(int threads) {
    if (const CommonFlags* f = common_flags(); f && (f->distributed || f->stream))
        throw input_error(std::string(f->distributed ? "--distributed" : "--stream") + ": this program does not take it; the "
                          "programs trained by backprop do: vae, mlp_classifier, autoencoder, gan, cnn_classifier, conv_autoencoder, "
                          "conv_vae, dcgan (docs/distributed.md)");
    flush_denormals();
    set_threads(threads);  // workers started now inherit the mode too
}

// An optimizer's state tensor as saved: its own name ("adam.m.fc1.weight") when the run has one optimizer;
// "opt<i>." before it when there are several (a GAN's two Adams would both write "adam.t").
static std::string state_name(const RunState& s, size_t i, const std::string& name) {
    return s.optimizers.size() == 1 ? name : "opt" + std::to_string(i) + "." + name;
}

void save_run(const std::string& path, const RunState& s, int epoch, const std::string& flags) {
    Checkpoint ck;
    ck.set("model", s.model);
    ck.set("arch", s.arch);
    ck.set("epoch", std::to_string(epoch));
    ck.set("flags", flags);
    for (size_t i = 0; i < s.rngs.size(); i++) ck.set("rng." + std::to_string(i), std::to_string(s.rngs[i]->state));
    store_params(ck, s.params);
    for (const NamedTensor& b : s.buffers) ck.put(b.first, *b.second);
    for (size_t i = 0; i < s.optimizers.size(); i++)
        for (auto& st : s.optimizers[i]->state()) ck.put(state_name(s, i, st.first), *st.second);
    save_checkpoint(path, ck);
}

// A meta entry that must be a whole number in [0, hi]. (std::stoi would throw std::invalid_argument, which
// is not a tg::Error, on "abc", and accept "-1" or "3x"; found by fuzz/fuzz_checkpoint.cpp.)
static uint64_t meta_whole(const Checkpoint& ck, const std::string& key, uint64_t hi) {
    const std::string v = ck.get(key);
    bool ok = !v.empty() && v.size() <= 20;
    for (char c : v) ok = ok && c >= '0' && c <= '9';
    errno = 0;
    uint64_t n = ok ? std::strtoull(v.c_str(), nullptr, 10) : 0;
    if (!ok || errno == ERANGE || n > hi)
        throw input_error("--resume " + ck.path + ": meta '" + key + "' = '" + v.substr(0, 40) + (v.size() > 40 ? "..." : "") +
                          "' is not a whole number from 0 to " + std::to_string(hi) +
                          "; the file is damaged or was not saved by a training run: resume from another checkpoint or retrain");
    return n;
}

int load_run(const std::string& path, RunState& s) {
    Checkpoint ck = load_checkpoint(path);
    std::string model = ck.get("model"), arch = ck.get("arch");
    if (model != s.model)
        throw input_error("--resume " + path + ": this checkpoint is of a '" + model + "' model, not '" + s.model + "'; resume it with that example");
    if (arch != s.arch)
        throw input_error("--resume " + path + ": the checkpoint's architecture is " + arch + " but the flags build " + s.arch +
                          "; pass the flags it was trained with (its flags: " + (ck.has("flags") ? ck.get("flags") : "?") + ")");
    const int epoch = (int)meta_whole(ck, "epoch", 1000000000);  // read and checked before anything changes
    std::vector<uint64_t> rng_states;
    for (size_t i = 0; i < s.rngs.size(); i++) rng_states.push_back(meta_whole(ck, "rng." + std::to_string(i), UINT64_MAX));
    restore_params(ck, s.params);
    for (NamedTensor& b : s.buffers) restore_tensor(ck, b.first, *b.second);
    for (size_t i = 0; i < s.optimizers.size(); i++)
        for (auto& st : s.optimizers[i]->state()) restore_tensor(ck, state_name(s, i, st.first), *st.second);
    for (size_t i = 0; i < s.rngs.size(); i++) s.rngs[i]->state = rng_states[i];
    return epoch;
}

int resume_run(const CommonFlags& f, RunState& s, MetricsLog& log) {
    const int start = f.resume.empty() ? 0 : load_run(f.resume, s);
    if (!f.resume.empty()) printf("resumed from %s after epoch %d\n", f.resume.c_str(), start);
    log.resume(start);
    return start;
}

// --stream: the training images of `dir` as a mapped uint8 cache (data/stream.h), in $TAPEGRAD_CACHE or
// ~/.cache/tapegrad, named after the directory. Written once, atomically, by decoding the idx files (which
// holds them in memory that once); rebuilt when an idx file is newer than it.
static Dataset stream_train(const std::string& dir) {
    const char* env = std::getenv("TAPEGRAD_CACHE");
    const char* home = std::getenv("HOME");
    const std::string folder = env && *env ? env : std::string(home && *home ? home : "/tmp") + "/.cache/tapegrad";
    std::string name = dir;
    for (char& c : name) if (c == '/') c = '_';
    const std::string path = folder + "/" + name + "-train.u8";
    struct stat cache, src;
    bool fresh = stat(path.c_str(), &cache) == 0;
    for (const char* f : {"train-images-idx3-ubyte.gz", "train-images-idx3-ubyte", "train-images.idx3-ubyte.gz", "train-images.idx3-ubyte"})
        if (fresh && stat((dir + "/" + f).c_str(), &src) == 0 && src.st_mtime > cache.st_mtime) fresh = false;
    if (!fresh) {
        Dataset full = load_idx_split(dir, true);
        std::vector<uint8_t> px(full.x.size()), lab(full.y.begin(), full.y.end());
        for (size_t i = 0; i < px.size(); i++) px[i] = (uint8_t)std::lrint(full.x[i] * 255);  // exact: x was byte / 255
        prepare_out_dir(folder);
        // every rank of a --distributed run writes the cache it is about to read, rank 0's switch aside: the
        // bytes are the same, each goes through its own temporary, and whichever rename lands last wins
        const bool writes = file_writes();
        set_file_writes(true);
        write_file_atomically(path, image_cache_bytes(full.size(), full.height, full.width, full.classes, px, lab), "image cache");
        set_file_writes(writes);
        printf("stream: wrote the image cache %s\n", path.c_str());
    }
    Dataset d;
    d.bytes = ByteImages::open(path);
    d.streamed = d.bytes->n;
    d.height = d.bytes->height;
    d.width = d.bytes->width;
    d.classes = d.bytes->classes;
    d.y.assign(d.bytes->labels, d.bytes->labels + d.bytes->n);
    d.source = path;
    return d;
}

Dataset load_idx_train(const CommonFlags& f, const std::string& dir) {
    if (f.stream && f.gradcheck) throw input_error("--stream: --gradcheck needs the images in memory; run it without --stream");
    return f.stream ? stream_train(dir) : load_idx_split(dir, true);
}

TrainTest load_train_test(const CommonFlags& f) {
    std::string dir = resolve_data_dir(f.data);
    if (f.stream && f.gradcheck) throw input_error("--stream: --gradcheck needs the images in memory; run it without --stream");
    TrainTest d;
    if (f.data.empty() || is_idx_dir(dir)) {
        d = {load_idx_train(f, dir), load_idx_split(dir, false)};
    } else {  // an image folder or a CSV (io/load_any.h): a seeded 20% of it is the test set
        if (f.stream) throw input_error("--stream: streams idx image files only; " + dir + " is not an idx directory (run without --stream)");
        Dataset all = load_any(dir, {}, "--data");
        if (all.class_names.empty()) check_label_gaps(all.y, dir);  // CSV labels: a stray value must not make a class
        Split s = train_test_split(all, 0.2, (uint64_t)f.seed);
        d = {s.train, s.test};
    }
    if (f.train_limit > 0) d.train = d.train.subset(f.train_limit);
    announce_data(d, dir);
    return d;
}

void announce_data(const TrainTest& d, const std::string& dir) {
    if (d.train.is_image())
        printf("data: %d train, %d test images of %dx%d%s from %s\n", d.train.size(), d.test.size(), d.train.height, d.train.width,
               d.train.channels == 3 ? " RGB" : "", dir.c_str());
    else
        printf("data: %d train, %d test rows of %d values from %s\n", d.train.size(), d.test.size(), d.train.dim(), dir.c_str());
}

void guard_loss(double loss, int epoch, int batch, const std::string& ckpt) {
    if (std::isfinite(loss)) return;
    throw Error("training diverged: the loss is " + std::string(std::isnan(loss) ? "NaN" : "infinite") + " at epoch " +
                    std::to_string(epoch) + ", batch " + std::to_string(batch) + ". The last good checkpoint (" + ckpt +
                    ", if any) is untouched. Try: a lower --lr (e.g. half), gradient clipping, checking that the data is "
                    "in the range the model expects; --detect-anomaly names the first op that produced the NaN",
                EXIT_NUMERIC);
}

GradcheckOptions model_check_options(int per_tensor) {
    GradcheckOptions o;
    if (sizeof(real) == sizeof(float)) o.eps = 1e-3;
    o.max_per_tensor = per_tensor;
    return o;
}

bool print_gradcheck(const GradcheckResult& r) {
    printf("gradcheck of %s (tolerance %.0e relative; docs/gradcheck.md):\n%s", r.op.c_str(), GradcheckOptions().tol,
           r.report().c_str());
    printf("gradcheck %s: worst relative error %.2e (gradients below %.2g are compared absolutely: the float\n"
           "  resolution of a loss this large; the double-precision test suite checks the model tightly)\n",
           r.ok ? "passed" : "FAILED", r.worst, r.floor);
    return r.ok;
}

}  // namespace tg
