// test_compare_metrics.cpp — the neighbourhood columns of compare (issue 19, experiment 8): trustworthiness and
// continuity at k (models/tsne.h's trustworthiness, and the same with the roles of input and codes swapped),
// pinned on a hand-computed case, then on a swiss roll where Isomap keeps neighbourhoods and PCA to 2-D folds
// the roll flat; and the mean and sd over seeds of compare --seeds.
#include <catch2/catch.hpp>

#include <cmath>

#include "data/synthetic.h"
#include "models/comparison.h"
#include "models/isomap.h"
#include "models/pca.h"
#include "models/tsne.h"

using namespace tg;

// Six points on a line at 0, 1, 3, 6, 10, 15 (no ties); the codes swap the first and the last. With k = 1:
// point 0's code neighbour is point 4 (input rank 4, penalty 4 - 1 = 3), point 1's is point 5 (rank 5: 4),
// point 5's is point 1 (rank 4: 3), the others keep their nearest input neighbour (0). Σ = 10, and
// T = 1 - 2 / (N k (2N - 3k - 1)) · 10 = 1 - 20 / 48 = 7/12. Continuity, input neighbours ranked among the
// codes: points 0, 1, 5 lose theirs at code ranks 4, 5, 4, so Σ = 10 again: 7/12.
TEST_CASE("trustworthiness and continuity: a hand-computed swap", "[compare][metrics]") {
    const Tensor x(Shape{6, 1}, {0, 1, 3, 6, 10, 15}), z(Shape{6, 1}, {15, 1, 3, 6, 10, 0});
    CHECK(trustworthiness(x, z, 1) == Approx(7.0 / 12));
    CHECK(continuity(x, z, 1) == Approx(7.0 / 12));
    CHECK(trustworthiness(x, x, 1) == Approx(1.0));
    CHECK(continuity(x, x, 2) == Approx(1.0));
    // a code that keeps every neighbour but not the distances: still 1 (only ranks count)
    const Tensor stretched(Shape{6, 1}, {0, 10, 30, 60, 100, 150});
    CHECK(trustworthiness(x, stretched, 2) == Approx(1.0));
}

TEST_CASE("trustworthiness and continuity at k = 10: Isomap keeps a swiss roll's neighbourhoods, PCA to 2-D does not", "[compare][metrics]") {
    Rng rng(1);
    const Dataset roll = swiss_roll(1000, 0.0, rng);  // n = 1000: fewer points and the 10-NN graph may short-circuit (test_baselines)
    Isomap iso;
    iso.fit(roll, 2, rng);
    PCA pca;
    pca.fit(roll, 2, rng);
    const Tensor zi = iso.encode(roll.x), zp = pca.encode(roll.x);
    const double ti = trustworthiness(roll.x, zi, 10), ci = continuity(roll.x, zi, 10);
    const double tp = trustworthiness(roll.x, zp, 10), cp = continuity(roll.x, zp, 10);
    INFO("isomap T " << ti << " C " << ci << "; pca T " << tp << " C " << cp);
    CHECK(ti > 0.99);  // measured 0.9996 and 0.9995
    CHECK(ci > 0.99);
    CHECK(tp < 0.95);  // measured 0.936: PCA lays the turns of the roll on top of each other, false neighbours
    CHECK(cp < ci - 0.005);  // measured 0.985: fewer torn neighbourhoods than false ones, but some
}

TEST_CASE("compare --seeds: mean and sample sd of each metric over the runs", "[compare][metrics]") {
    std::vector<ReportRow> runs(3);
    const double probe[] = {0.5, 0.6, 0.7}, se[] = {10, 10, 10};
    for (int s = 0; s < 3; s++) runs[(size_t)s].method = "ae", runs[(size_t)s].K = 2, runs[(size_t)s].probe = probe[s], runs[(size_t)s].se_image = se[s];
    const ReportRow r = mean_and_sd(runs);
    CHECK(r.seeds == 3);
    CHECK(r.probe == Approx(0.6));
    CHECK(r.sd(&ReportRow::probe) == Approx(0.1));  // sqrt(((0.1)² + 0 + (0.1)²) / (3 - 1))
    CHECK(r.se_image == Approx(10));
    CHECK(r.sd(&ReportRow::se_image) == Approx(0));
    CHECK(std::isnan(r.knn));  // a metric that does not apply stays NaN
    CHECK(std::isnan(r.sd(&ReportRow::knn)));
}
