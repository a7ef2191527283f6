// mpi_comm.cpp — run/distributed.h's Comm over Open MPI: MPI_Allreduce, MPI_Bcast, MPI_Allgather on
// MPI_COMM_WORLD. Compiled by mpicxx and linked only into build/mpi/* (Makefile), where a static
// initializer hands its maker to run/, so the rest of tapegrad builds and runs without MPI.
// Failures: MPI_COMM_WORLD keeps MPI_ERRORS_ARE_FATAL (a lost peer stops the job), and a rank that ends
// with an error calls MPI_Abort, so mpirun stops every rank instead of leaving them waiting.
#define OMPI_SKIP_MPICXX 1   // the C API only: Open MPI's old C++ bindings do not compile warning-free
#define MPICH_SKIP_MPICXX 1
#include <mpi.h>
#include <stdlib.h>  // on_exit (glibc)

#include <cstdio>

#include "autograd/error.h"
#include "run/distributed.h"

namespace tg {
namespace {

struct MpiComm : Comm {
    MpiComm() {
        int ready = 0;
        MPI_Initialized(&ready);
        if (!ready) MPI_Init(nullptr, nullptr);
        MPI_Comm_set_errhandler(MPI_COMM_WORLD, MPI_ERRORS_ARE_FATAL);  // the default, stated
        MPI_Comm_rank(MPI_COMM_WORLD, &rank);
        MPI_Comm_size(MPI_COMM_WORLD, &ranks);
    }
    // Open MPI picks a reduction algorithm from the rank count and the message size alone, so for a given
    // R and buffer the order of the sums is fixed and two runs give the same bits (with R = 2, a + b is
    // the same on both ranks whatever the order).
    void allreduce_sum(float* x, size_t n) override { MPI_Allreduce(MPI_IN_PLACE, x, count(n), MPI_FLOAT, MPI_SUM, MPI_COMM_WORLD); }
    void allreduce_sum(double* x, size_t n) override { MPI_Allreduce(MPI_IN_PLACE, x, count(n), MPI_DOUBLE, MPI_SUM, MPI_COMM_WORLD); }
    void broadcast(void* bytes, size_t n) override { MPI_Bcast(bytes, count(n), MPI_BYTE, 0, MPI_COMM_WORLD); }
    std::vector<uint64_t> allgather(uint64_t v) override {
        std::vector<uint64_t> all((size_t)ranks);
        MPI_Allgather(&v, 1, MPI_UINT64_T, all.data(), 1, MPI_UINT64_T, MPI_COMM_WORLD);
        return all;
    }
    double seconds() override { return MPI_Wtime(); }
    static int count(size_t n) {
        if (n > (size_t)2147483647) throw Error("--distributed: a buffer of " + std::to_string(n) + " values is more than MPI's int count; use fewer parameters");
        return (int)n;
    }
};

// Runs when the process exits (main returned or exit() was called), with its exit status. 0: print the
// communication summary on rank 0 and leave the job in order. Anything else: this rank failed (its error
// is on stderr); MPI_Abort stops the others, which would otherwise wait forever in the next allreduce.
void finish(int status, void*) {
    int done = 0;
    MPI_Finalized(&done);
    if (done) return;
    if (status == 0) {
        std::string s = distributed_summary();
        if (!s.empty()) printf("%s\n", s.c_str());
        fflush(stdout);
        MPI_Finalize();
        return;
    }
    fprintf(stderr, "error: rank %d of %d stopped with exit code %d; stopping every rank (MPI_Abort)\n", this_rank(), rank_count(), status);
    fflush(stderr);
    MPI_Abort(MPI_COMM_WORLD, status);
}

Comm* make_mpi_comm() {
    static MpiComm comm;
    on_exit(finish, nullptr);
    return &comm;
}

const bool registered = (set_comm_maker(make_mpi_comm), true);

}  // namespace
}  // namespace tg
