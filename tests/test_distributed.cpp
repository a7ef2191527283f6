// test_distributed.cpp — data-parallel sharding (data/batcher.h, Batcher::shard; docs/distributed.md):
// the ranks' batches of each step together are exactly one process's batch of B·R items, every rank walks
// the same number of batches, and a too-small last global batch is left out on every rank.
// --stream's mapped uint8 cache (data/stream.h) gives the very batches of the in-memory set. BatchNorm
// under data parallelism is local (docs/distributed.md): its training forward reads only its batch, which is
// why rank 0's running statistics can be shared once an epoch.
// The MPI side (allreduce, hash check, kill and resume) runs under mpirun in scripts/test-distributed.sh.
#include <catch2/catch.hpp>

#include <unistd.h>

#include <cstdio>
#include <fstream>
#include <vector>

#include "autograd/ops.h"
#include "data/batcher.h"
#include "data/stream.h"
#include "nn/conv.h"

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

TEST_CASE("a streamed set gives the in-memory set's batches, bit for bit", "[distributed][stream]") {
    const int n = 300, h = 3, w = 5, d = h * w;
    std::vector<uint8_t> px((size_t)n * d), lab(n);
    Rng rng(9);
    for (uint8_t& v : px) v = (uint8_t)rng.below(256);
    for (int i = 0; i < n; i++) lab[i] = (uint8_t)(i % 7);
    Dataset mem;  // what the idx loader makes of the same bytes
    mem.x = Tensor(Shape{n, d});
    for (size_t i = 0; i < px.size(); i++) mem.x[i] = (real)px[i] / (real)255;
    mem.y.assign(lab.begin(), lab.end());
    mem.height = h, mem.width = w, mem.classes = 7;

    const std::string path = "/tmp/tapegrad-stream-test-" + std::to_string(getpid()) + ".u8";
    {
        std::ofstream f(path, std::ios::binary);
        f << image_cache_bytes(n, h, w, 7, px, lab);
    }
    Dataset disk;
    disk.bytes = ByteImages::open(path);
    disk.streamed = disk.bytes->n;
    disk.height = h, disk.width = w, disk.classes = 7;
    disk.y.assign(disk.bytes->labels, disk.bytes->labels + n);
    CHECK(disk.size() == n);
    CHECK(disk.dim() == d);

    for (int limit : {300, 123}) {
        Dataset a = mem.subset(limit), b = disk.subset(limit);
        REQUIRE(b.size() == limit);
        for (int ranks : {1, 2}) {
            Batcher ba(a, 32, 4), bb(b, 32, 4);
            ba.shard(ranks - 1, ranks), bb.shard(ranks - 1, ranks);
            for (int epoch : {0, 3}) {
                ba.start_epoch(epoch), bb.start_epoch(epoch);
                int batches = 0;
                while (ba.next()) {
                    REQUIRE(bb.next());
                    CHECK(ba.xb.data == bb.xb.data);
                    CHECK(ba.yb == bb.yb);
                    batches++;
                }
                CHECK(!bb.next());
                CHECK(batches > 0);
            }
        }
    }
    disk.bytes.reset();

    {  // a damaged cache: cut short
        std::ofstream f(path, std::ios::binary);
        f << image_cache_bytes(n, h, w, 7, px, lab).substr(0, 100);
    }
    CHECK_THROWS_WITH(ByteImages::open(path), Catch::Contains("not a tapegrad image cache"));
    std::remove(path.c_str());
    CHECK_THROWS_WITH(ByteImages::open(path), Catch::Contains("cannot open the image cache"));
}

TEST_CASE("BatchNorm2d in training reads its batch only; its running statistics follow the batch", "[distributed]") {
    // DataParallel::end_epoch broadcasts rank 0's running statistics once an epoch, not before every step as
    // PyTorch DDP does. The same result, because in training a BatchNorm's output and gradients never read
    // them (checked here bit for bit), while its update of them does depend on the rank's batch, so ranks'
    // statistics drift apart within an epoch and must be shared before anything evaluates or saves.
    Rng rng(11);
    const Tensor X = Tensor::normal(Shape{4, 3, 2, 2}, 0.5, 2, rng), R = Tensor::normal(Shape{4, 3, 2, 2}, 0, 1, rng);
    struct Out { Tensor y, dx, dgamma, dbeta, mean, var; };
    auto run = [&](const Tensor& x, real start) {
        BatchNorm2d bn("bn", 3);
        bn.running_mean.fill(start), bn.running_var.fill(1 + start);  // what another rank's statistics might hold
        Tape t;
        Var xv = t.input(x, true);
        Var y = bn(xv);
        t.backward(sum(y * t.input(R)));
        return Out{y.value(), xv.grad(), bn.weight.grad, bn.bias.grad, bn.running_mean, bn.running_var};
    };
    const Out a = run(X, 0), b = run(X, 3);
    CHECK(a.y.data == b.y.data);
    CHECK(a.dx.data == b.dx.data);
    CHECK(a.dgamma.data == b.dgamma.data);
    CHECK(a.dbeta.data == b.dbeta.data);
    CHECK(a.mean.data != b.mean.data);  // the same batch moves different statistics to different places
    Tensor other = X;
    for (real& v : other.data) v = 2 * v + 1;  // another rank's batch
    const Out c = run(other, 0);
    CHECK(c.mean.data != a.mean.data);  // from the same start, another batch gives other statistics
    CHECK(c.var.data != a.var.data);
}
