// test_distributed.cpp — data-parallel sharding (data/batcher.h, Batcher::shard; docs/distributed.md):
// the ranks' batches of each step together are exactly one process's batch of B·R items, every rank walks
// the same number of batches, and a too-small last global batch is left out on every rank.
// The MPI side (allreduce, hash check, kill and resume) runs under mpirun in scripts/test-distributed.sh.
#include <catch2/catch.hpp>

#include <vector>

#include "data/batcher.h"

using namespace tg;

// N items whose single value is their index, so a batch says which items it holds
static Dataset numbered(int n) {
    Dataset d;
    d.x = Tensor(Shape{n, 1});
    for (int i = 0; i < n; i++) d.x[i] = (real)i;
    return d;
}

// the items of every batch of `epoch`
static std::vector<std::vector<int>> batches_of(Batcher& b, int epoch) {
    std::vector<std::vector<int>> all;
    b.start_epoch(epoch);
    while (b.next()) {
        all.emplace_back();
        for (int k = 0; k < b.xb.rows(); k++) all.back().push_back((int)b.xb[k]);
    }
    return all;
}

TEST_CASE("shards of a step make up one process's batch of B x R", "[distributed]") {
    struct Case { int n, batch, ranks; };
    for (Case c : {Case{1000, 64, 2}, Case{1000, 64, 3}, Case{1000, 50, 4}, Case{128, 64, 2}, Case{130, 64, 2}}) {
        CAPTURE(c.n, c.batch, c.ranks);
        Dataset d = numbered(c.n);
        Batcher one(d, c.batch * c.ranks, 7);
        std::vector<Batcher> rank;
        for (int r = 0; r < c.ranks; r++) {
            rank.emplace_back(d, c.batch, 7);
            rank.back().shard(r, c.ranks);
            CHECK(rank.back().batches_per_epoch() == rank[0].batches_per_epoch());  // every rank takes the same steps
        }
        for (int epoch : {1, 2}) {
            std::vector<std::vector<int>> whole = batches_of(one, epoch);
            std::vector<std::vector<std::vector<int>>> parts;
            for (Batcher& b : rank) parts.push_back(batches_of(b, epoch));
            const size_t steps = parts[0].size();
            CHECK((int)steps == rank[0].batches_per_epoch());
            const int last = c.n % (c.batch * c.ranks);
            CHECK(steps == whole.size() - (last > 0 && last < c.ranks ? 1 : 0));
            for (size_t k = 0; k < steps; k++) {
                std::vector<int> joined;
                for (int r = 0; r < c.ranks; r++) {
                    REQUIRE(parts[r].size() == steps);
                    CHECK(!parts[r][k].empty());
                    CHECK((int)parts[r][k].size() <= c.batch);
                    joined.insert(joined.end(), parts[r][k].begin(), parts[r][k].end());
                }
                CHECK(joined == whole[k]);  // the same items in the same order as the one process's batch k
            }
        }
    }
}

TEST_CASE("a last global batch smaller than the rank count is left out", "[distributed]") {
    Dataset d = numbered(193);  // 192 = 64 x 3, then 1 item for 3 ranks
    for (int r = 0; r < 3; r++) {
        Batcher b(d, 64, 1);
        b.shard(r, 3);
        CHECK(b.batches_per_epoch() == 1);
        CHECK(b.order().size() == 64);
    }
    Batcher b(d, 64, 1);
    CHECK_THROWS_AS(b.shard(3, 3), Error);  // rank out of range
    CHECK_THROWS_AS(b.shard(0, 0), Error);
}
