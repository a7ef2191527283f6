// rbm.cpp — the conditionals, Gibbs sampling, the free energy, the CD-k/PCD update and the monitors.
// Every product with W is one gemm; the rest are plain loops over (rows, units). Derivations: docs/rbm.md
// D = visible units, H = hidden units, N = rows, B = batch, C = persistent chains, M = negative-phase rows.
#include "models/rbm.h"

#include <algorithm>
#include <cmath>
#include <cstdio>

#include "autograd/blas.h"
#include "autograd/loops.h"
#include "autograd/ops.h"
#include "autograd/fast/vmath.h"

namespace tg {

Units parse_units(const std::string& name, const std::string& flag) {
    if (name == "bernoulli") return Units::Bernoulli;
    if (name == "gaussian") return Units::Gaussian;
    throw input_error(flag + ": unknown unit type '" + name + "'; use bernoulli or gaussian");
}

const char* units_name(Units u) { return u == Units::Bernoulli ? "bernoulli" : "gaussian"; }

// softplus(x) = log(1 + e^x) = max(x, 0) + log(1 + e^-|x|): no overflow for large x
static double softplus_of(double x) { return std::max(x, 0.0) + std::log1p(std::exp(-std::fabs(x))); }

// ----------------------------------------------------------------------------------------------
// construction

RBM::RBM(const RBMConfig& config, uint64_t seed, const std::string& prefix_)
    : cfg(config), prefix(prefix_), rng(seed) {
    if (cfg.visible <= 0) throw input_error(prefix + ": the visible layer needs at least 1 unit, got " + std::to_string(cfg.visible));
    if (cfg.hidden <= 0) throw input_error("--hidden: " + prefix + " needs at least 1 hidden unit, got " + std::to_string(cfg.hidden));
    if (cfg.visible_units == Units::Gaussian && cfg.hidden_units == Units::Gaussian)
        throw input_error(prefix + ": Gaussian visible and Gaussian hidden units together make a Gaussian whose covariance "
                                   "need not exist (docs/rbm.md); make one of the two layers bernoulli");
    if (cfg.cd_k < 1) throw input_error("--cd-k: the number of Gibbs steps must be at least 1, got " + std::to_string(cfg.cd_k));
    if (cfg.persistent && cfg.chains < 1) throw input_error("--chains: PCD needs at least 1 fantasy chain, got " + std::to_string(cfg.chains));
    if (!(cfg.weight_decay >= 0)) throw input_error("--weight-decay: must be >= 0, got " + std::to_string(cfg.weight_decay));
    W = Param(prefix + ".weight", Tensor::normal(Shape{cfg.hidden, cfg.visible}, 0, (real)cfg.init_std, rng));
    b = Param(prefix + ".visible_bias", Tensor(Shape{cfg.visible}));
    c = Param(prefix + ".hidden_bias", Tensor(Shape{cfg.hidden}));
    if (cfg.persistent) chains = Tensor(Shape{cfg.chains, cfg.visible});
}

std::string RBM::arch() const {
    return std::to_string(cfg.visible) + "-" + std::to_string(cfg.hidden) + " " + units_name(cfg.visible_units) + "-" +
           units_name(cfg.hidden_units);
}

std::vector<Param*> RBM::params() { return {&W, &b, &c}; }

void RBM::init_from_data(const Tensor& data) {
    const int N = data.rows(), D = cfg.visible;
    if (data.cols() != D || N == 0)
        throw input_error(prefix + ": the data has shape " + data.shape.str() + " but the RBM has " + std::to_string(D) + " visible units");
    for (int i = 0; i < D; i++) {
        double mean = 0;
        for (int n = 0; n < N; n++) mean += data.at(n, i);
        mean /= N;
        if (cfg.visible_units == Units::Gaussian) { b.value[i] = (real)mean; continue; }
        double p = std::min(0.999, std::max(0.001, mean));  // log-odds of the unit being on
        b.value[i] = (real)std::log(p / (1 - p));
    }
    if (!cfg.persistent) return;
    for (int r = 0; r < cfg.chains; r++)  // the first C rows (cycled), sampled, so chains start near the data
        for (int i = 0; i < D; i++) {
            real x = data.at(r % N, i);
            chains.at(r, i) = cfg.visible_units == Units::Bernoulli ? (real)(rng.uniform() < x) : x;
        }
}

// ----------------------------------------------------------------------------------------------
// conditionals and sampling

// every row of x (N, K) set to the bias (K): the GEMM then adds onto it (beta = 1)
static void fill_rows(Tensor& x, const Tensor& bias) {
    const size_t K = bias.size();
    const real* src = bias.ptr();
    real* dst = x.ptr();
    for_each_index(x.rows(), [=](size_t n) { std::copy_n(src, K, dst + n * K); }, kMinPerThread / K + 1);
}

// x = σ(x), elementwise (vsigmoid: autograd/fast/vmath.h)
static void sigmoid_in_place(Tensor& x) {
    real* p = x.ptr();
    for_each_index(x.size(), [=](size_t i) { p[i] = vsigmoid(p[i]); }, kMinPerThreadMath);
}

// x = v Wᵀ + c: (N, D) (D, H) -> (N, H), each hidden unit's total input
void RBM::hidden_input(const Tensor& v, Tensor& x) const {
    const int N = v.rows(), D = cfg.visible, H = cfg.hidden;
    if (v.cols() != D) throw shape_error("rbm hidden_mean", v.shape, W.value.shape, "v (N, D) and W (H, D) disagree on D");
    x.resize(Shape{N, H});
    fill_rows(x, c.value);
    gemm(false, true, N, H, D, 1, v.ptr(), D, W.value.ptr(), D, 1, x.ptr(), H);
}

// ph = σ(v Wᵀ + c) for Bernoulli units, v Wᵀ + c for Gaussian ones
void RBM::hidden_mean(const Tensor& v, Tensor& ph) const {
    hidden_input(v, ph);
    if (cfg.hidden_units == Units::Bernoulli) sigmoid_in_place(ph);
}

// pv = σ(h W + b) for Bernoulli units, h W + b for Gaussian ones: (N, H) (H, D) -> (N, D)
void RBM::visible_mean(const Tensor& hs, Tensor& pv) const {
    const int N = hs.rows(), D = cfg.visible, H = cfg.hidden;
    if (hs.cols() != H) throw shape_error("rbm visible_mean", hs.shape, W.value.shape, "h (N, H) and W (H, D) disagree on H");
    pv.resize(Shape{N, D});
    fill_rows(pv, b.value);
    gemm(false, false, N, D, H, 1, hs.ptr(), H, W.value.ptr(), D, 1, pv.ptr(), D);
    if (cfg.visible_units == Units::Bernoulli) sigmoid_in_place(pv);
}

void RBM::sample(Units u, const Tensor& mean, Tensor& s) {
    s.resize(mean.shape);
    const real* m = mean.ptr();
    real* out = s.ptr();
    const Rng r = rng;  // the i-th draw by position (rng.h): the serial loop's numbers, on every thread
    if (u == Units::Bernoulli) {
        for_each_index(mean.size(), [=](size_t i) { out[i] = r.uniform_at(i) < m[i] ? 1 : 0; }, 8192);  // s_i = [u_i < p_i]
        rng.skip(mean.size());
    } else {
        for_each_index(mean.size(), [=](size_t i) { out[i] = m[i] + (real)r.normal_at(i); }, 2048);  // s_i = μ_i + N(0, 1)
        rng.skip(2 * mean.size());
    }
}

void RBM::gibbs(Tensor& vs, int steps) {
    Tensor mh, hs, mv;
    for (int s = 0; s < steps; s++) {
        hidden_mean(vs, mh);
        sample(cfg.hidden_units, mh, hs);
        visible_mean(hs, mv);
        sample(cfg.visible_units, mv, vs);
    }
}

// ----------------------------------------------------------------------------------------------
// free energy: F(v) = -log Σ_h e^(-E(v, h)); the sum factorises over hidden units (docs/rbm.md):
//   visible term   -bᵀv (Bernoulli)  or  ½‖v - b‖² (Gaussian)
//   hidden unit j  -softplus(x_j) (Bernoulli)  or  -(½ x_j² - ½ c_j² + ½ log 2π) (Gaussian),  x = c + W v

Tensor RBM::free_energy(const Tensor& vs) const {
    const int N = vs.rows(), D = cfg.visible, H = cfg.hidden;
    Tensor x;  // (N, H)
    hidden_input(vs, x);
    const double half_log_2pi = 0.5 * std::log(2 * M_PI);
    Tensor F(Shape{N});
    for (int n = 0; n < N; n++) {
        double f = 0;
        for (int i = 0; i < D; i++) {
            double vi = vs.at(n, i), bi = b.value[i];
            f += cfg.visible_units == Units::Bernoulli ? -bi * vi : 0.5 * (vi - bi) * (vi - bi);
        }
        for (int j = 0; j < H; j++) {
            double xj = x.at(n, j), cj = c.value[j];
            f -= cfg.hidden_units == Units::Bernoulli ? softplus_of(xj) : 0.5 * xj * xj - 0.5 * cj * cj + half_log_2pi;
        }
        F[n] = (real)f;
    }
    return F;
}

// F on the tape: the same terms, from ops whose gradients the tape knows
Var RBM::free_energy(Tape& t, Var vs) {
    Var Wp = t.param(W), bp = t.param(b), cp = t.param(c);
    Var x = linear(vs, Wp, cp);  // (N, H)
    Var visible = cfg.visible_units == Units::Bernoulli ? -sum(vs * bp, 1) : sum(pow(vs - bp, 2), 1) * 0.5;  // (N, 1)
    if (cfg.hidden_units == Units::Bernoulli) return visible - sum(softplus(x), 1);
    const real half_log_2pi = (real)(0.5 * std::log(2 * M_PI));
    return visible - ((sum(x * x, 1) - sum(cp * cp)) * 0.5 + half_log_2pi * cfg.hidden);
}

// ----------------------------------------------------------------------------------------------
// CD-k and PCD (docs/rbm.md, "Contrastive divergence"):
//   ∂ log p(v)/∂W = E[h vᵀ | v] - E_model[h vᵀ]:  data statistics minus model statistics.
//   positive phase  ph0 = E[h | v0]                                       (B, H)
//   negative phase  CD: h ~ p(h | v0);  PCD: h ~ p(h | chains)
//                   k times: v ~ p(v | h), ph = E[h | v], h ~ p(h | v)    (v: (M, D), M = B or C)
//   W.grad = -(ph0ᵀ v0 / B - phᵀ v / M) + λ W,  b.grad = -(mean v0 - mean v),  c.grad = -(mean ph0 - mean ph)

double RBM::cd_gradient(const Tensor& v0) {
    const int B = v0.rows(), D = cfg.visible, H = cfg.hidden;
    if (v0.cols() != D || B == 0) throw shape_error("rbm cd_gradient", v0.shape, W.value.shape, "the batch (B, D) and W (H, D) disagree on D");
    hidden_mean(v0, ph0);
    sample(cfg.hidden_units, ph0, h);
    visible_mean(h, pv);  // the first reconstruction, for the error we report
    double recon = 0;
    for (size_t i = 0; i < pv.size(); i++) recon += (double)(v0[i] - pv[i]) * (v0[i] - pv[i]);
    recon /= B;

    if (cfg.persistent) {  // continue the fantasy chains instead of starting at the data
        hidden_mean(chains, ph);
        sample(cfg.hidden_units, ph, h);
        visible_mean(h, pv);
    }
    for (int step = 1; step <= cfg.cd_k; step++) {
        if (step > 1) visible_mean(h, pv);
        sample(cfg.visible_units, pv, negative);
        hidden_mean(negative, ph);
        if (step < cfg.cd_k) sample(cfg.hidden_units, ph, h);
    }
    if (cfg.persistent) chains.assign(negative);
    const Tensor& v = negative;
    const int M = v.rows();

    // W.grad (H, D) = -(1/B) ph0ᵀ v0 + (1/M) phᵀ v + λ W: two gemms over the batch dimension
    real* gW = W.grad.ptr();
    gemm(true, false, H, D, B, real(-1.0 / B), ph0.ptr(), H, v0.ptr(), D, 0, gW, D);
    gemm(true, false, H, D, M, real(1.0 / M), ph.ptr(), H, v.ptr(), D, 1, gW, D);
    const real lambda = (real)cfg.weight_decay;
    const real* w = W.value.ptr();
    for_each_index(W.value.size(), [=](size_t i) { gW[i] += lambda * w[i]; });

    b.grad.fill(0);
    c.grad.fill(0);
    for (int n = 0; n < B; n++) {
        for (int i = 0; i < D; i++) b.grad[i] -= v0.at(n, i) / B;
        for (int j = 0; j < H; j++) c.grad[j] -= ph0.at(n, j) / B;
    }
    for (int n = 0; n < M; n++) {
        for (int i = 0; i < D; i++) b.grad[i] += v.at(n, i) / M;
        for (int j = 0; j < H; j++) c.grad[j] += ph.at(n, j) / M;
    }
    return recon;
}

// ----------------------------------------------------------------------------------------------
// training

double rbm_momentum(int epoch, int warmup, double final_momentum) {
    return epoch <= warmup ? std::min(0.5, final_momentum) : final_momentum;
}

double train_epoch(RBM& rbm, Batcher& batches, SGD& opt, const std::function<void(int, double)>& on_batch) {
    double total = 0;
    long n = 0;
    for (int bn = 1; batches.next(); bn++) {
        const Tensor& xb = batches.xb;
        double r = rbm.cd_gradient(xb);
        if (!std::isfinite(r))
            throw Error(rbm.prefix + ": the reconstruction error became " + std::to_string(r) + " at batch " + std::to_string(bn) +
                            "; lower --lr (Gaussian units want ~10x less than binary ones)", EXIT_NUMERIC);
        opt.step();
        total += r * xb.rows();
        n += xb.rows();
        if (on_batch) on_batch(bn, r);
    }
    return total / n;
}

// ∂/∂θ [mean F(v0) - mean F(v_k)] = -(data statistics - model statistics): exactly CD's update when the
// samples v_k are constants, which is what the tape sees (docs/rbm.md, "Why not the tape")
double cd_vs_tape(RBM& rbm, const Tensor& v0) {
    rbm.cd_gradient(v0);
    std::vector<Tensor> cd = {rbm.W.grad, rbm.b.grad, rbm.c.grad};
    Tensor vk = rbm.negative;
    std::vector<Param*> ps = rbm.params();
    for (Param* p : ps) p->zero_grad();
    Tape t;
    const real B = (real)v0.rows(), M = (real)vk.rows();
    Var loss = sum(rbm.free_energy(t, t.input(v0))) / B - sum(rbm.free_energy(t, t.input(vk))) / M +
               sum(pow(t.param(rbm.W), 2)) * (real)(0.5 * rbm.cfg.weight_decay);
    t.backward(loss);
    double worst = 0, largest = 0;
    for (size_t k = 0; k < ps.size(); k++)
        for (size_t i = 0; i < cd[k].size(); i++) {
            worst = std::max(worst, std::fabs((double)cd[k][i] - ps[k]->grad[i]));
            largest = std::max(largest, std::fabs((double)cd[k][i]));
        }
    return largest > 0 ? worst / largest : worst;
}

Tensor filter_images(const RBM& rbm, int count) {
    const Tensor& W = rbm.W.value;  // (H, D)
    const int n = std::min(count, W.rows()), D = W.cols();
    Tensor t(Shape{n, D});
    for (int j = 0; j < n; j++) {
        real lo = W.at(j, 0), hi = W.at(j, 0);
        for (int i = 0; i < D; i++) { lo = std::min(lo, W.at(j, i)); hi = std::max(hi, W.at(j, i)); }
        for (int i = 0; i < D; i++) t.at(j, i) = hi > lo ? (W.at(j, i) - lo) / (hi - lo) : real(0.5);
    }
    return t;
}


std::vector<std::pair<std::string, Tensor>> gibbs_rows(RBM& rbm, const Tensor& start, int steps) {
    std::vector<std::pair<std::string, Tensor>> rows = {{"start", start}};
    Rng keep = rbm.rng;
    rbm.rng = Rng(1234);
    Tensor v = start, mh, h, pv;
    for (int t = 1; t <= steps; t++) {
        rbm.hidden_mean(v, mh);
        rbm.sample(rbm.cfg.hidden_units, mh, h);
        rbm.visible_mean(h, pv);
        rbm.sample(rbm.cfg.visible_units, pv, v);
        bool power_of_10 = t == 1 || t == 10 || t == 100 || t == 1000 || t == 10000 || t == 100000;
        if (power_of_10 || t == steps) rows.push_back({std::to_string(t) + (t == 1 ? " step" : " steps"), pv});
    }
    rbm.rng = keep;
    return rows;
}
// ----------------------------------------------------------------------------------------------
// monitors

double reconstruction_error(const RBM& rbm, const Tensor& x) {
    Tensor mh, mv;
    rbm.hidden_mean(x, mh);
    rbm.visible_mean(mh, mv);
    double se = 0;
    for (size_t i = 0; i < x.size(); i++) se += (double)(x[i] - mv[i]) * (x[i] - mv[i]);
    return se / x.rows();
}

double mean_free_energy(const RBM& rbm, const Tensor& x) {
    Tensor F = rbm.free_energy(x);
    double s = 0;
    for (real f : F.data) s += f;
    return s / F.size();
}

// log P(x_i | x_-i) = log σ(F(x̃) - F(x)) with x̃ = x with bit i flipped; D times one random i estimates
// Σ_i log P(x_i | x_-i), the log pseudo-likelihood (Besag 1975).
double pseudo_log_likelihood(const RBM& rbm, const Tensor& x, Rng& r) {
    const int N = x.rows(), D = x.cols();
    Tensor flipped = x;
    for (int n = 0; n < N; n++) {
        int i = (int)r.below(D);
        flipped.at(n, i) = 1 - flipped.at(n, i);
    }
    Tensor F = rbm.free_energy(x), Ff = rbm.free_energy(flipped);
    double s = 0;
    for (int n = 0; n < N; n++) s += -D * softplus_of(-(double)(Ff[n] - F[n]));  // D log σ(t) = -D softplus(-t)
    return s / N;
}

// ----------------------------------------------------------------------------------------------
// save / load

void RBM::save(Checkpoint& ck) const {
    RBM& self = const_cast<RBM&>(*this);  // store_params reads the params, it changes nothing
    ck.set(prefix + ".arch", arch());
    store_params(ck, self.params());
    if (cfg.persistent) ck.put(prefix + ".chains", chains);
}

void RBM::load(const Checkpoint& ck) {
    std::string a = ck.get(prefix + ".arch");
    RBMConfig c2 = cfg;
    char vu[16] = "", hu[16] = "";
    if (sscanf(a.c_str(), "%d-%d %15[a-z]-%15[a-z]", &c2.visible, &c2.hidden, vu, hu) != 4)
        throw input_error(ck.path + ": malformed RBM architecture '" + a + "' under " + prefix + ".arch; expected e.g. '784-500 bernoulli-bernoulli'");
    c2.visible_units = parse_units(vu, ck.path + " " + prefix + ".arch");
    c2.hidden_units = parse_units(hu, ck.path + " " + prefix + ".arch");
    c2.persistent = ck.has_tensor(prefix + ".chains");
    if (c2.persistent) c2.chains = ck.tensor(prefix + ".chains").rows();
    *this = RBM(c2, 0, prefix);
    restore_params(ck, params());
    if (cfg.persistent) restore_tensor(ck, prefix + ".chains", chains);
}

}  // namespace tg
