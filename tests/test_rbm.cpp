// test_rbm.cpp — RBMs and DBNs against brute force: on RBMs small enough to enumerate every state (or to
// integrate over a fine grid, for Gaussian units), the conditionals, the free energy, the exact
// log-likelihood gradient vs CD-k/PCD estimates, and CD-1 training raising the exact likelihood; the CD
// update vs the tape's gradient of the free-energy surrogate; gradchecks of the unrolled DBN classifier
// and deep autoencoder (tight in the double build); save/load round trips. Theory: docs/rbm.md, docs/dbn.md
#include <catch2/catch.hpp>

#include <cmath>
#include <functional>

#include "autograd/gradcheck.h"
#include "io/idx.h"
#include "models/dbn.h"
#include "models/rbm.h"

using namespace tg;

namespace {

const bool kDouble = sizeof(real) == sizeof(double);

// An RBM with random W, b, c of moderate size (|W| ~ 1), so the distribution is far from uniform.
RBM random_rbm(int D, int H, Units vis, Units hid, uint64_t seed, double scale = 1.0) {
    RBMConfig c;
    c.visible = D; c.hidden = H; c.visible_units = vis; c.hidden_units = hid; c.weight_decay = 0;
    RBM r(c, seed);
    Rng g(seed + 100);
    for (real& w : r.W.value.data) w = (real)g.normal(0, scale);
    for (real& x : r.b.value.data) x = (real)g.normal(0, 0.5);
    for (real& x : r.c.value.data) x = (real)g.normal(0, 0.5);
    return r;
}

// Every state of n units of type u, with its quadrature weight: {0,1}^n with weight 1 (Bernoulli), or a
// grid of step 0.04 over [-14, 14]^n with weight 0.04^n (Gaussian: the Riemann sum of a Gaussian integrand
// is exact to far below double rounding at this step).
void for_states(Units u, int n, const std::function<void(const std::vector<double>&, double)>& f) {
    const int per = u == Units::Bernoulli ? 2 : 701;
    const double step = 0.04, w = u == Units::Bernoulli ? 1 : std::pow(step, n);
    std::vector<int> idx(n, 0);
    std::vector<double> s(n);
    for (;;) {
        for (int i = 0; i < n; i++) s[i] = u == Units::Bernoulli ? idx[i] : -14 + step * idx[i];
        f(s, w);
        int i = 0;
        while (i < n && ++idx[i] == per) idx[i++] = 0;
        if (i == n) return;
    }
}

// E(v, h) in double from the RBM's parameters (docs/rbm.md, "Energy")
double energy(const RBM& r, const std::vector<double>& v, const std::vector<double>& h) {
    double e = 0;
    for (size_t i = 0; i < v.size(); i++) {
        double bi = r.b.value[i];
        e += r.cfg.visible_units == Units::Bernoulli ? -bi * v[i] : 0.5 * (v[i] - bi) * (v[i] - bi);
    }
    for (size_t j = 0; j < h.size(); j++) {
        double cj = r.c.value[j];
        e += r.cfg.hidden_units == Units::Bernoulli ? -cj * h[j] : 0.5 * (h[j] - cj) * (h[j] - cj);
        for (size_t i = 0; i < v.size(); i++) e -= h[j] * r.W.value.at((int)j, (int)i) * v[i];
    }
    return e;
}

Tensor row(const std::vector<double>& v) {
    Tensor t(Shape{1, (int)v.size()});
    for (size_t i = 0; i < v.size(); i++) t[i] = (real)v[i];
    return t;
}

// Brute force, for one visible state v: F(v) = -log Σ_h w e^-E and E[h | v]
void brute_hidden(const RBM& r, const std::vector<double>& v, double* F, std::vector<double>* mean_h) {
    double Z = 0;
    std::vector<double> m(r.cfg.hidden, 0.0);
    for_states(r.cfg.hidden_units, r.cfg.hidden, [&](const std::vector<double>& h, double w) {
        double p = w * std::exp(-energy(r, v, h));
        Z += p;
        for (size_t j = 0; j < h.size(); j++) m[j] += p * h[j];
    });
    *F = -std::log(Z);
    for (double& x : m) x /= Z;
    *mean_h = m;
}

// Brute force, for one hidden state h: E[v | h]
std::vector<double> brute_visible(const RBM& r, const std::vector<double>& h) {
    double Z = 0;
    std::vector<double> m(r.cfg.visible, 0.0);
    for_states(r.cfg.visible_units, r.cfg.visible, [&](const std::vector<double>& v, double w) {
        double p = w * std::exp(-energy(r, v, h));
        Z += p;
        for (size_t i = 0; i < v.size(); i++) m[i] += p * v[i];
    });
    for (double& x : m) x /= Z;
    return m;
}

// The exact model of a Bernoulli-Bernoulli RBM: log p(v) for each of the 2^D visible states (index =
// the bits of v, unit 0 lowest), from F and Z = Σ_v e^-F(v).
std::vector<double> exact_log_p(const RBM& r) {
    const int D = r.cfg.visible, S = 1 << D;
    Tensor all(Shape{S, D});
    for (int s = 0; s < S; s++)
        for (int i = 0; i < D; i++) all.at(s, i) = (real)((s >> i) & 1);
    Tensor F = r.free_energy(all);
    double fmin = 1e300, Z = 0;
    for (int s = 0; s < S; s++) fmin = std::min(fmin, (double)F[s]);
    for (int s = 0; s < S; s++) Z += std::exp(-(F[s] - fmin));
    std::vector<double> lp(S);
    for (int s = 0; s < S; s++) lp[s] = -(F[s] - fmin) - std::log(Z);
    return lp;
}

int state_index(const Tensor& x, int n) {
    int s = 0;
    for (int i = 0; i < x.cols(); i++) s |= (x.at(n, i) > 0.5) << i;
    return s;
}

double mean_log_likelihood(const RBM& r, const Tensor& data) {
    std::vector<double> lp = exact_log_p(r);
    double s = 0;
    for (int n = 0; n < data.rows(); n++) s += lp[state_index(data, n)];
    return s / data.rows();
}

// The exact -∂(mean log-likelihood)/∂θ of a Bernoulli-Bernoulli RBM, as {W (H, D), b (D), c (H)}:
// -(E_data[E[h|v] vᵀ] - E_model[E[h|v] vᵀ]), and likewise for b (v) and c (E[h|v]).
std::vector<Tensor> exact_gradient(const RBM& r, const Tensor& data) {
    const int D = r.cfg.visible, H = r.cfg.hidden, S = 1 << D;
    std::vector<Tensor> g = {Tensor(Shape{H, D}), Tensor(Shape{D}), Tensor(Shape{H})};
    std::vector<double> lp = exact_log_p(r);
    auto add = [&](const Tensor& v, double weight) {  // weight · statistics of v (1, D)
        Tensor ph;
        r.hidden_mean(v, ph);
        for (int j = 0; j < H; j++)
            for (int i = 0; i < D; i++) g[0].at(j, i) += (real)(weight * ph[j] * v[i]);
        for (int i = 0; i < D; i++) g[1][i] += (real)(weight * v[i]);
        for (int j = 0; j < H; j++) g[2][j] += (real)(weight * ph[j]);
    };
    for (int n = 0; n < data.rows(); n++) add(data.first_slice(n, n + 1), -1.0 / data.rows());
    for (int s = 0; s < S; s++) {
        Tensor v(Shape{1, D});
        for (int i = 0; i < D; i++) v[i] = (real)((s >> i) & 1);
        add(v, std::exp(lp[s]));
    }
    return g;
}

double max_abs_diff(const std::vector<Tensor>& a, const std::vector<Tensor>& b) {
    double m = 0;
    for (size_t k = 0; k < a.size(); k++)
        for (size_t i = 0; i < a[k].size(); i++) m = std::max(m, std::fabs((double)a[k][i] - b[k][i]));
    return m;
}

// A small binary data set: three prototypes of 6 bits, each bit flipped with probability 0.05.
Tensor prototypes(int n, uint64_t seed) {
    const int P[3][6] = {{1, 1, 1, 0, 0, 0}, {0, 0, 1, 1, 1, 0}, {1, 0, 0, 0, 1, 1}};
    Rng r(seed);
    Tensor x(Shape{n, 6});
    for (int k = 0; k < n; k++)
        for (int i = 0; i < 6; i++) x.at(k, i) = (real)(P[k % 3][i] ^ (r.uniform() < 0.05));
    return x;
}

}  // namespace

// ----------------------------------------------------------------------------------------------
TEST_CASE("RBM: conditionals and free energy match brute-force sums over all states", "[rbm]") {
    const double tol = kDouble ? 1e-9 : 2e-5;
    struct Case { const char* name; int D, H; Units vis, hid; };
    for (Case k : {Case{"bernoulli-bernoulli 4x3 (all 2^7 states)", 4, 3, Units::Bernoulli, Units::Bernoulli},
                   Case{"bernoulli-gaussian 3x2 (h on a grid)", 3, 2, Units::Bernoulli, Units::Gaussian},
                   Case{"gaussian-bernoulli 2x3 (v on a grid)", 2, 3, Units::Gaussian, Units::Bernoulli}}) {
        INFO(k.name);
        RBM r = random_rbm(k.D, k.H, k.vis, k.hid, 7, k.vis == Units::Gaussian || k.hid == Units::Gaussian ? 0.5 : 1.0);
        // visible states to test: all binary ones, or a few real vectors for Gaussian units
        std::vector<std::vector<double>> vs;
        if (k.vis == Units::Bernoulli) for_states(Units::Bernoulli, k.D, [&](const std::vector<double>& v, double) { vs.push_back(v); });
        else vs = {{0.3, -1.2}, {1.5, 0.7}, {-2.0, 0.1}};
        for (const auto& v : vs) {
            double F;
            std::vector<double> mh;
            brute_hidden(r, v, &F, &mh);
            Tensor ph;
            r.hidden_mean(row(v), ph);
            CHECK(r.free_energy(row(v))[0] == Approx(F).margin(tol).epsilon(tol));
            for (int j = 0; j < k.H; j++) CHECK(ph[j] == Approx(mh[j]).margin(tol));
        }
        std::vector<std::vector<double>> hs;
        if (k.hid == Units::Bernoulli) for_states(Units::Bernoulli, k.H, [&](const std::vector<double>& h, double) { hs.push_back(h); });
        else hs = {{0.4, -0.9}, {-1.1, 2.0}};
        for (const auto& h : hs) {
            std::vector<double> mv = brute_visible(r, h);
            Tensor pv;
            r.visible_mean(row(h), pv);
            for (int i = 0; i < k.D; i++) CHECK(pv[i] == Approx(mv[i]).margin(tol));
        }
    }
}

TEST_CASE("RBM: the free energy on the tape equals the plain one, and the CD update is its gradient with the samples fixed", "[rbm]") {
    for (Units hid : {Units::Bernoulli, Units::Gaussian}) {
        RBM r = random_rbm(5, 4, Units::Bernoulli, hid, 3, 0.5);
        r.cfg.persistent = true;  // the negative samples are then kept in r.negative; any mode would do
        r.cfg.cd_k = 2;
        r.cfg.weight_decay = 0.01;
        r.chains = Tensor(Shape{6, 5});
        Rng g(8);
        Tensor x(Shape{8, 5});
        for (real& v : x.data) v = (real)(g.uniform() < 0.5);
        Tape t;
        Tensor tape_F = r.free_energy(t, t.input(x)).value(), F = r.free_energy(x);
        for (int n = 0; n < 8; n++) CHECK(tape_F[n] == Approx(F[n]).epsilon(kDouble ? 1e-12 : 1e-5));
        double rel = cd_vs_tape(r, x);
        INFO(units_name(hid) << " hidden units: CD vs tape relative difference " << rel);
        CHECK(rel < (kDouble ? 1e-12 : 1e-5));
        CHECK(r.W.grad.data != std::vector<real>(r.W.grad.size(), 0));
    }
}

TEST_CASE("RBM: CD with k = 1000 and PCD estimate the exact log-likelihood gradient; CD-1 is biased", "[rbm]") {
    // 4 visible, 3 hidden, strong random weights; 8 data vectors. The exact gradient sums over 16 states.
    RBM r = random_rbm(4, 3, Units::Bernoulli, Units::Bernoulli, 11, 1.5);
    Tensor data(Shape{8, 4}, {1, 1, 0, 0, 1, 1, 0, 0, 1, 1, 1, 0, 0, 0, 1, 1, 0, 1, 1, 1, 1, 0, 0, 0, 1, 1, 0, 1, 0, 0, 1, 1});
    std::vector<Tensor> exact = exact_gradient(r, data);
    const int copies = 500;  // 4000 chains: the model term's standard error is below 0.5 / √4000 ≈ 0.008
    Tensor batch(Shape{8 * copies, 4});
    for (int n = 0; n < 8 * copies; n++)
        for (int i = 0; i < 4; i++) batch.at(n, i) = data.at(n % 8, i);
    auto estimate = [&](int k) {
        r.cfg.cd_k = k;
        r.cd_gradient(batch);
        return std::vector<Tensor>{r.W.grad, r.b.grad, r.c.grad};
    };
    double cd1000 = max_abs_diff(estimate(1000), exact), cd1 = max_abs_diff(estimate(1), exact);
    // PCD: 1000 persistent chains, 300 updates of k = 1 with no parameter change, the last 200 averaged
    r.cfg.persistent = true;
    r.cfg.chains = 1000;
    r.chains = Tensor(Shape{1000, 4});
    r.cfg.cd_k = 1;
    std::vector<Tensor> pcd = {Tensor(Shape{3, 4}), Tensor(Shape{4}), Tensor(Shape{3})};
    for (int it = 0; it < 300; it++) {
        r.cd_gradient(data);
        if (it < 100) continue;
        std::vector<Tensor> g = {r.W.grad, r.b.grad, r.c.grad};
        for (int k = 0; k < 3; k++)
            for (size_t i = 0; i < g[k].size(); i++) pcd[k][i] += g[k][i] / 200;
    }
    double pcd_err = max_abs_diff(pcd, exact);
    INFO("max |estimate - exact|: CD-1000 " << cd1000 << ", PCD " << pcd_err << ", CD-1 " << cd1);
    CHECK(cd1000 < 0.035);
    CHECK(pcd_err < 0.035);
    CHECK(cd1 > 0.1);  // the check above can tell a biased estimate from an unbiased one
}

TEST_CASE("RBM: CD-1, CD-3 and PCD training raise the exact log-likelihood of a tiny binary data set", "[rbm]") {
    Tensor x = prototypes(60, 5);
    Dataset d;
    d.x = x;
    struct Case { const char* name; int k; bool pcd; };
    for (Case k : {Case{"CD-1", 1, false}, Case{"CD-3", 3, false}, Case{"PCD", 1, true}}) {
        RBMConfig c;
        c.visible = 6; c.hidden = 4; c.cd_k = k.k; c.persistent = k.pcd; c.chains = 10; c.weight_decay = 1e-4;
        RBM r(c, 2);
        r.init_from_data(x);
        double before = mean_log_likelihood(r, x);
        SGD opt(r.params(), 0.1, 0.5);
        Batcher b(d, 10, 3);
        for (int e = 1; e <= 200; e++) {
            // PCD keeps momentum 0.5: at 0.9 its chains cannot follow the moving model and the likelihood
            // oscillates (docs/rbm.md, "Persistent CD")
            opt.momentum = rbm_momentum(e, k.pcd ? 1 << 30 : 5, 0.9);
            b.start_epoch(e);
            train_epoch(r, b, opt);
        }
        double after = mean_log_likelihood(r, x);
        INFO(k.name << ": mean exact log-likelihood " << before << " -> " << after << " (uniform: " << -6 * std::log(2) << ")");
        CHECK(after > before + 1.0);
        CHECK(after > -3.0);  // the three prototypes with 5% noise have entropy ≈ 2.3 nats
    }
}

TEST_CASE("RBM: the stochastic pseudo-log-likelihood averages to the exact one", "[rbm]") {
    RBM r = random_rbm(4, 3, Units::Bernoulli, Units::Bernoulli, 21, 1.0);
    Tensor v(Shape{1, 4}, {1, 0, 1, 1});
    // exact: Σ_i log P(v_i | v_-i) = Σ_i log σ(F(v with bit i flipped) - F(v))
    double exact = 0, F = r.free_energy(v)[0];
    for (int i = 0; i < 4; i++) {
        Tensor f = v;
        f[i] = 1 - f[i];
        exact += -std::log1p(std::exp(-(r.free_energy(f)[0] - F)));
    }
    const int N = 20000;
    Tensor many(Shape{N, 4});
    for (int n = 0; n < N; n++)
        for (int i = 0; i < 4; i++) many.at(n, i) = v[i];
    Rng g(4);
    double est = pseudo_log_likelihood(r, many, g);
    INFO("exact " << exact << ", estimate " << est);
    CHECK(est == Approx(exact).epsilon(0.03));
    CHECK(exact < 0);
}

TEST_CASE("RBM: a short CD-1 training on Fashion-MNIST lowers the reconstruction error", "[rbm][train]") {
    Dataset train = load_idx_split(DEFAULT_DATA_DIR, true).subset(2000), test = load_idx_split(DEFAULT_DATA_DIR, false).subset(500);
    RBMConfig c;
    c.hidden = 64;
    RBM r(c, 1);
    r.init_from_data(train.x);
    double before = reconstruction_error(r, test.x);
    SGD opt(r.params(), 0.05, 0.5);
    Batcher b(train, 50, 1);
    for (int e = 1; e <= 3; e++) {
        b.start_epoch(e);
        train_epoch(r, b, opt);
    }
    double after = reconstruction_error(r, test.x);
    INFO("test reconstruction error per image " << before << " -> " << after);
    CHECK(after < 0.75 * before);  // ~69 -> ~43 in 120 updates; the mean image alone gives ~69
}

TEST_CASE("DBN: gradcheck of the unrolled classifier and the deep autoencoder", "[dbn][gradcheck]") {
    DBNConfig c;
    c.sizes = {10, 7, 5, 3};
    DBN dbn(c, 1);
    Rng g(2);
    for (Param* p : dbn.params())  // pretend-pretrained weights, different from any random init
        for (real& x : p->value.data) x = (real)g.normal(0, 0.5);
    Tensor x = Tensor::uniform(Shape{4, 10}, 0.05, 0.95, g);

    Sequential net("dbn");
    build_classifier(net, "dbn", {10, 7, 5, 3}, 4, g);
    load_pretrained(net, dbn);
    CHECK(net.params()[0]->value.data == dbn.rbms[0]->W.value.data);
    std::vector<int> labels = {0, 3, 1, 3};
    GradcheckResult gc = gradcheck("dbn classifier", [&](Tape&, const std::vector<Var>& in) { return cross_entropy(net(in[0]), labels); },
                                   {x}, net.params());
    INFO(gc.report());
    CHECK(gc.ok);
    CHECK(gc.tensors.size() == 1 + 8);  // the input and 4 weights + 4 biases

    for (bool linear_top : {true, false}) {
        c.linear_top = linear_top;
        DBN d2(c, 3);
        for (Param* p : d2.params())
            for (real& v : p->value.data) v = (real)g.normal(0, 0.5);
        DBNAutoencoder ae(c, 4);
        ae.unroll(d2);
        GradcheckResult ga = gradcheck("dbn autoencoder", [&](Tape& t, const std::vector<Var>&) { return ae.loss(t, x); }, {}, ae.params());
        INFO("linear top " << linear_top << "\n" << ga.report());
        CHECK(ga.ok);
        CHECK(ga.tensors.size() == 12);
    }
}

TEST_CASE("DBN: unrolling puts W in the encoder and Wᵀ with the visible biases in the decoder", "[dbn]") {
    DBNConfig c;
    c.sizes = {6, 4, 2};
    DBN dbn(c, 5);
    Rng g(6);
    for (Param* p : dbn.params())
        for (real& x : p->value.data) x = (real)g.normal(0, 1);
    DBNAutoencoder ae(c, 7);
    ae.unroll(dbn);
    Tensor x = Tensor::uniform(Shape{3, 6}, 0, 1, g);
    // the encoder is the stack's deterministic up-pass: the top RBM's Gaussian hidden mean is the code
    Tensor up = dbn.propagate(x, 2), code = ae.encode(x);
    for (size_t i = 0; i < up.size(); i++) CHECK(code[i] == Approx(up[i]).margin(1e-5));
    // the decoder is the down-pass through each RBM's visible mean
    Tensor h1, v;
    dbn.rbms[1]->visible_mean(code, h1);
    dbn.rbms[0]->visible_mean(h1, v);
    Tensor dec = ae.decode(code);
    for (size_t i = 0; i < v.size(); i++) CHECK(dec[i] == Approx(v[i]).margin(1e-5));
}

TEST_CASE("DBN: greedy pretraining and fine-tuning on Fashion-MNIST: the deep autoencoder learns", "[dbn][train]") {
    Dataset train = load_idx_split(DEFAULT_DATA_DIR, true).subset(1000), test = load_idx_split(DEFAULT_DATA_DIR, false).subset(300);
    DBNConfig c;
    c.sizes = {784, 64, 8};
    c.pretrain_epochs = 3;
    c.linear_lr = 0.01;
    c.finetune_epochs = 3;
    c.finetune_batch = 50;
    DBN dbn(c, 1);
    std::vector<double> recon;
    pretrain(dbn, train.x, 2, [&](int, int, double r) { recon.push_back(r); });
    REQUIRE(recon.size() == 6);
    CHECK(recon[2] < recon[0]);  // each layer's reconstruction error falls while it trains
    CHECK(recon[5] < recon[3]);
    DBNAutoencoder ae(c, 3), random(c, 3);
    ae.unroll(dbn);
    double l_pre, se_pre, l_rand, se_rand;
    evaluate(ae, test, &l_pre, &se_pre);
    evaluate(random, test, &l_rand, &se_rand);
    Adam opt(ae.params(), 1e-3);
    Batcher b(train, 50, 4);
    Tape tape;
    for (int e = 0; e < 3; e++) { b.start_epoch(e); train_epoch(ae, b, opt, tape); }
    double l_fine, se_fine;
    evaluate(ae, test, &l_fine, &se_fine);
    INFO("test squared error per image: random init " << se_rand << ", pretrained+unrolled " << se_pre << ", fine-tuned " << se_fine);
    CHECK(se_pre < se_rand);
    CHECK(se_fine < se_pre);
}

TEST_CASE("DBN autoencoder: Reducer::fit pretrains, unrolls and fine-tunes to codes of the asked size", "[dbn][train]") {
    Dataset train = load_idx_split(DEFAULT_DATA_DIR, true).subset(1000);
    DBNConfig c;
    c.sizes = {1, 32, 1};  // fit replaces the input size by the data's and the top by dim
    c.pretrain_epochs = 2;
    c.linear_lr = 0.01;
    c.finetune_epochs = 5;
    c.finetune_batch = 50;
    c.finetune_lr = 3e-3;
    DBNAutoencoder ae(c, 1);
    Reducer& red = ae;
    Rng r(5);
    red.fit(train, 6, r);
    CHECK(ae.arch() == "784-32-6");
    Tensor x = train.x.first_slice(0, 20), z = red.encode(x), xr = red.decode(z);
    CHECK(z.shape == Shape({20, 6}));
    CHECK(xr.shape == x.shape);
    // better than reconstructing every image as the mean image
    Tensor mean(Shape{784});
    for (int n = 0; n < train.size(); n++)
        for (int i = 0; i < 784; i++) mean[i] += train.x.at(n, i) / train.size();
    double se = 0, se_mean = 0;
    for (int n = 0; n < 20; n++)
        for (int i = 0; i < 784; i++) {
            se += std::pow(x.at(n, i) - xr.at(n, i), 2);
            se_mean += std::pow(x.at(n, i) - mean[i], 2);
        }
    INFO("squared error per image: DBN " << se / 20 << ", mean image " << se_mean / 20);
    CHECK(se < 0.85 * se_mean);  // ~0.76 after these 100 Adam steps
}

TEST_CASE("RBM and DBN autoencoder: save/load round trips", "[rbm][dbn]") {
    RBMConfig c;
    c.visible = 6; c.hidden = 3; c.hidden_units = Units::Gaussian; c.persistent = true; c.chains = 5;
    RBM r(c, 3, "layer");
    r.init_from_data(prototypes(9, 2));
    Checkpoint ck;
    r.save(ck);
    RBM other(RBMConfig{}, 1, "layer");
    other.load(ck);
    CHECK(other.arch() == "6-3 bernoulli-gaussian");
    CHECK(other.W.value.data == r.W.value.data);
    CHECK(other.b.value.data == r.b.value.data);
    CHECK(other.chains.data == r.chains.data);
    RBM wrong(RBMConfig{}, 1, "rbm");
    CHECK_THROWS_WITH(wrong.load(ck), Catch::Contains("rbm.arch"));

    DBNConfig dc;
    dc.sizes = {12, 6, 2};
    DBNAutoencoder ae(dc, 5);
    Checkpoint ck2;
    ae.save(ck2);
    DBNAutoencoder ae2(DBNConfig{}, 9);
    Reducer& red = ae2;
    red.load(ck2);
    CHECK(red.name() == "dbn");
    CHECK(ae2.arch() == "12-6-2");
    Tensor x = prototypes(4, 3);
    x = Tensor(Shape{2, 12}, x.data);
    CHECK(red.encode(x).data == ae.encode(x).data);
    CHECK(red.decode(red.encode(x)).data == ae.decode(ae.encode(x)).data);
    ck2.set("model", "vae");
    CHECK_THROWS_WITH(ae2.load(ck2), Catch::Contains("not a DBN autoencoder"));
    CHECK_THROWS_WITH(parse_sizes("500,x,30", "--layers"), Catch::Contains("--layers"));
    CHECK_THROWS_WITH(RBM(c, 1).cd_gradient(Tensor(Shape{2, 5})), Catch::Contains("disagree"));
}
