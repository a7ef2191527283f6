// distributed.cpp — data-parallel training over a Comm (distributed.h): the gradient hook, the epoch's
// parameter check, rank-specific random streams, and the timings docs/distributed.md reports.
#include "run/distributed.h"

#include <cstdio>

#include "autograd/fast/denormals.h"
#include "autograd/fast/threads.h"
#include "io/atomic_file.h"
#include "nn/train.h"

namespace tg {

static Comm* (*comm_maker)() = nullptr;
static Comm* comm = nullptr;  // set by start_run under --distributed; lives until the process ends
void set_comm_maker(Comm* (*make)()) { comm_maker = make; }
int this_rank() { return comm ? comm->rank : 0; }
int rank_count() { return comm ? comm->ranks : 1; }

// FNV-1a over the bytes of every value: two ranks whose parameters differ in one bit disagree.
static uint64_t fnv1a(uint64_t h, const void* p, size_t n) {
    const unsigned char* b = (const unsigned char*)p;
    for (size_t i = 0; i < n; i++) h = (h ^ b[i]) * 0x100000001B3ull;
    return h;
}

// rank r > 0's stream from rank 0's state s: a SplitMix64 draw of s mixed with r (rank 0 keeps s, so a
// 1-rank --distributed run is the plain run).
static uint64_t rank_stream(uint64_t s, int r) { return r == 0 ? s : Rng(s ^ (0x9E3779B97F4A7C15ull * (uint64_t)r)).next_u64(); }

// ----------------------------------------------------------------------------------------------
// The hook: nn/train.h calls reduce() between backward and step, end_epoch() after an epoch.
struct DataParallel : GradientSync {
    RunState* run = nullptr;
    std::vector<real> flat;  // every param's grad end to end: the one buffer a step allreduces
    long steps = 0, epochs = 0;
    double wait_seconds = 0, reduce_seconds = 0;  // in the first (tiny) allreduce, in the gradients' one
    double bytes = 0;                             // of the gradient buffers, all steps

    void reduce(Optimizer& opt, long& items, double& loss) override {
        // 1. the batch sizes and loss sums: a few bytes, so its time is mostly waiting for the slowest rank
        const double t0 = comm->seconds();
        double meta[2] = {(double)items, (double)items * loss};
        comm->allreduce_sum(meta, 2);
        const double t1 = comm->seconds();
        // 2. grad = Σ_r (items_r / Σ items) · grad_r: each rank scales its own, one allreduce sums them
        //    (items_r / Σ items is 1/R exactly for full batches and R a power of 2)
        const real scale = (real)(items / meta[0]);
        size_t n = 0;
        for (Param* p : opt.params) n += p->grad.size();
        flat.resize(n);
        size_t k = 0;
        for (Param* p : opt.params)
            for (size_t i = 0; i < p->grad.size(); i++) flat[k++] = p->grad[i] * scale;
        comm->allreduce_sum(flat.data(), n);
        k = 0;
        for (Param* p : opt.params)
            for (size_t i = 0; i < p->grad.size(); i++) p->grad[i] = flat[k++];
        items = (long)meta[0];
        loss = meta[1] / meta[0];
        wait_seconds += t1 - t0;
        reduce_seconds += comm->seconds() - t1;
        bytes += (double)n * sizeof(real);
        steps++;
    }

    void end_epoch() override {
        epochs++;
        if (!run) return;
        // buffers (BatchNorm's running statistics) are each rank's own during the epoch: rank 0's become
        // everyone's. Local BatchNorm, as PyTorch DDP's default: in training a BatchNorm normalises by its
        // rank's batch and never reads the running statistics, so sharing them once an epoch, before anything
        // evaluates, samples or saves, gives what sharing them before every step would (docs/distributed.md).
        for (NamedTensor& b : run->buffers) comm->broadcast(b.second->ptr(), b.second->size() * sizeof(real));
        // the parameters must be the same bits everywhere: every rank hashes its own, all compare
        uint64_t h = 0xCBF29CE484222325ull;
        std::vector<Param*> all = run->params;
        for (Optimizer* o : run->optimizers) all.insert(all.end(), o->params.begin(), o->params.end());
        for (Param* p : all) h = fnv1a(h, p->value.ptr(), p->value.size() * sizeof(real));
        compare(h, "parameters", "the ranks took different steps");
        // and so must the buffers everyone now holds, which evaluation, sampling and the checkpoint read
        if (!run->buffers.empty()) {
            h = 0xCBF29CE484222325ull;
            for (NamedTensor& b : run->buffers) h = fnv1a(h, b.second->ptr(), b.second->size() * sizeof(real));
            compare(h, "buffers (BatchNorm running statistics)", "rank 0's did not reach every rank");
        }
        // random streams: rank 0's state goes to every rank, rank r > 0 continues from its own mix of it
        for (Rng* g : run->rngs) {
            uint64_t s = g->state;
            comm->broadcast(&s, sizeof s);
            g->state = rank_stream(s, comm->rank);
        }
    }

    // every rank's hash h of `what` against rank 0's: a clear error naming the first rank that differs
    void compare(uint64_t h, const char* what, const char* meaning) {
        std::vector<uint64_t> hs = comm->allgather(h);
        for (int r = 1; r < comm->ranks; r++)
            if (hs[r] != hs[0]) {
                char msg[500];
                snprintf(msg, sizeof msg,
                         "--distributed: after training epoch %ld the %s of rank %d (hash %016llx) differ from rank 0's "
                         "(%016llx); %s. Run every rank from the same build, flags, data and checkpoint (docs/distributed.md)",
                         epochs, what, r, (unsigned long long)hs[r], (unsigned long long)hs[0], meaning);
                throw Error(msg);
            }
    }
};
static DataParallel data_parallel;

// ----------------------------------------------------------------------------------------------
void start_run(const CommonFlags& f) {
    flush_denormals();  // what start_run(threads) does, without its refusal of --distributed
    set_threads(f.threads);
    if (!f.distributed) return;
    if (!comm_maker)
        throw input_error("--distributed: this program was built without MPI. Install Open MPI (scripts/install-deps.sh: "
                          "libopenmpi-dev, openmpi-bin), run make, and start build/mpi/<program> under mpirun -np N");
    comm = comm_maker();
    gradient_sync = &data_parallel;
    if (comm->rank > 0) {  // rank 0 alone prints and writes; errors still reach stderr from every rank
        if (!std::freopen("/dev/null", "w", stdout)) throw Error("--distributed: cannot silence stdout on rank " + std::to_string(comm->rank));
        set_file_writes(false);
    }
    printf("distributed: %d ranks x batch %d = global batch %d, %d thread%s each\n", comm->ranks, f.batch, comm->ranks * f.batch,
           f.threads, f.threads == 1 ? "" : "s");
}

Batcher training_batches(const Dataset& train, const CommonFlags& f, RunState& run) {
    Batcher b(train, f.batch, (uint64_t)f.seed);
    if (!comm) return b;
    b.shard(comm->rank, comm->ranks);
    if (b.order().empty())
        throw input_error("--distributed: " + std::to_string(train.size()) + " training images cannot be shared by " +
                          std::to_string(comm->ranks) + " ranks; use more data (--train-limit) or fewer ranks (mpirun -np)");
    data_parallel.run = &run;
    for (Rng* g : run.rngs) g->state = rank_stream(g->state, comm->rank);  // every rank holds rank 0's state here
    return b;
}

std::string distributed_summary() {
    if (!comm || data_parallel.steps == 0) return "";
    const DataParallel& d = data_parallel;
    char s[400];
    snprintf(s, sizeof s,
             "distributed: %d ranks, %ld optimizer steps, %.3f MB allreduced per step (float%s); per step %.3f ms in the "
             "gradient allreduce + %.3f ms waiting for the slowest rank (rank 0's clock)",
             comm->ranks, d.steps, d.bytes / d.steps / 1e6, sizeof(real) == 4 ? "" : "64", 1e3 * d.reduce_seconds / d.steps,
             1e3 * d.wait_seconds / d.steps);
    return s;
}

}  // namespace tg
