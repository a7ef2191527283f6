// distributed.h — data-parallel training over several processes: --distributed (docs/distributed.md).
// R = ranks (processes under mpirun), B = --batch per rank, so a step's global batch is B·R (as in
// PyTorch DDP). Every rank walks its shard of each global batch (data/batcher.h, Batcher::shard), backward
// gives its gradient, DataParallel sums the ranks' gradients (nn/train.h's GradientSync hook) and every
// rank takes the same step. Rank 0 alone prints and writes files. The transport is a Comm: Open MPI's in
// dist/mpi_comm.cpp, linked only into build/mpi/*, so run/ and the library build without MPI.
#pragma once
#include <cstddef>
#include <cstdint>
#include <string>
#include <vector>

#include "data/batcher.h"
#include "run/flags.h"
#include "run/training.h"

namespace tg {

// What data-parallel training needs from a transport. Every call is collective: all ranks make it, in
// the same order, with the same sizes.
struct Comm {
    int rank = 0, ranks = 1;
    virtual ~Comm() = default;
    virtual void allreduce_sum(float* x, size_t n) = 0;   // x = Σ_r x_r: the same bits on every rank
    virtual void allreduce_sum(double* x, size_t n) = 0;
    virtual void broadcast(void* bytes, size_t n) = 0;    // rank 0's bytes to every rank
    virtual std::vector<uint64_t> allgather(uint64_t v) = 0;  // every rank's v, indexed by rank
    virtual double seconds() = 0;                         // a wall clock, for the communication timings
};
// dist/mpi_comm.cpp hands its maker to this when it is linked into a program (a static initializer);
// a program built without it has none, and --distributed says how to get one.
void set_comm_maker(Comm* (*make)());

// start_run(const CommonFlags&) and training_batches(), which every data-parallel example calls, are
// declared in run/training.h and defined in run/distributed.cpp.

int this_rank();   // 0 without --distributed
int rank_count();  // 1 without --distributed

// "2 ranks x batch 64 = global batch 128; 938 steps; 2.62 MB allreduced per step; ..." ("" when not
// distributed): rank 0 prints it when the job ends.
std::string distributed_summary();

}  // namespace tg
