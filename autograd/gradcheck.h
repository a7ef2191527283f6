// gradcheck.h — check the tape's gradients against central finite differences.
// For a function f of some input tensors and/or Params, it forms L = Σ R ⊙ f(x) with a fixed random R
// (a plain sum would hide errors that cancel, e.g. in softmax), takes dL/dx from the tape, and compares
// each checked entry with (L(x + ε) - L(x - ε)) / 2ε. Why these choices and tolerances: docs/gradcheck.md
// f must be deterministic: if it draws random numbers (dropout, a VAE's ε), it seeds its own Rng each call.
// Near a kink (relu at 0) the central difference blends two slopes; an entry that fails it is compared with
// the two one-sided differences, one of which lies on the kink-free side (docs/gradcheck.md, "Kinks").
#pragma once
#include <functional>
#include <string>
#include <vector>

#include "autograd/tape.h"

namespace tg {

struct GradcheckOptions {
    double eps;                 // the finite-difference step
    double tol;                 // largest accepted relative error
    double floor;               // |a - n| / max(|a|, |n|, floor·max(1, |L|)): tiny gradients compare absolutely
    int max_per_tensor = 0;     // check at most this many entries per tensor (0 = every entry), sampled
    uint64_t seed = 1234;       // for R and for the sampled entries
    bool require_nonzero = true;// fail a tensor whose analytic gradient is all zero (a check that can't fail)
    GradcheckOptions();         // defaults for the build's `real`: tight in double, loose in float
};

// One tensor's outcome: the worst entry found.
struct GradcheckTensor {
    std::string name;          // "input 0" or the Param's name
    size_t checked = 0;
    size_t at_kinks = 0;       // entries near a kink (relu at 0), checked against a one-sided difference
    size_t worst_index = 0;
    double analytic = 0, numeric = 0, rel_error = 0;
    bool all_zero = false;     // every analytic entry was exactly zero
    bool ok = true;
};

struct GradcheckResult {
    std::string op;
    std::vector<GradcheckTensor> tensors;
    bool ok = true;
    double worst = 0;
    double floor = 0;            // the floor used: differences between gradients smaller than this are absolute
    std::string report() const;  // one line per tensor: name, checked, worst index, analytic, numeric, error
};

// f builds the function on the tape from Vars of `inputs` (in order) and reads any Params it likes;
// the output may have any shape.
using GradcheckFn = std::function<Var(Tape&, const std::vector<Var>&)>;

GradcheckResult gradcheck(const std::string& op, const GradcheckFn& f, std::vector<Tensor> inputs,
                          const std::vector<Param*>& params = {}, GradcheckOptions opt = GradcheckOptions());

}  // namespace tg
